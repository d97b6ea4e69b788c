/**
 * The rules that are not Pod Security checks, RuleTester-style: for each rule, valid manifests that
 * raise nothing and invalid ones with the whole list of findings they raise ({rule, severity,
 * message, line}); Pod Security rules are switched off so each list is complete. Then suppression
 * comments and annotations, and `.secctx.yaml` parsing.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Analyzer } from '../../server/src/engine/analyze';
import { parseConfig, type ConfigProblem, type ProjectConfig } from '../../server/src/engine/config';
import { LineIndex } from '../../server/src/engine/lines';
import { DEFAULT_OPTIONS, type AnalysisOptions, type ImageResolver, type ImageUser } from '../../server/src/engine/options';
import { RULES } from '../../server/src/engine/rules/index';
import type { Severity, SeverityOverride, Span } from '../../server/src/engine/types';
import { indent, pod as podYaml, yaml } from '../support/manifests';

interface Reported {
  readonly rule: string;
  readonly severity: Severity;
  readonly message: string;
  readonly line: number;
}

const PSS_OFF: Record<string, SeverityOverride> = Object.fromEntries(RULES.filter((r) => r.meta.pss).map((r) => [r.meta.id, 'off']));

const IMAGES: Readonly<Record<string, ImageUser>> = {
  'example.com/named': { spec: 'app', name: 'app', uid: 10001, gid: 10001, note: 'user app created in Dockerfile line 2', dockerfile: '/src/named/Dockerfile', userSpan: { start: 40, end: 43 } },
  'example.com/root': { spec: '0', uid: 0, gid: 0, note: 'USER 0 in Dockerfile line 4', dockerfile: '/src/root/Dockerfile' },
  'example.com/nouser': { note: 'Dockerfile has no USER', dockerfile: '/src/nouser/Dockerfile' },
};
const images: ImageResolver = (image) => IMAGES[image.replace(/:[^/]*$/, '')];

function report(code: string, options: Partial<AnalysisOptions> = {}, file = 'pod.yaml'): Reported[] {
  const analysis = new Analyzer().analyze(file, code, { ...DEFAULT_OPTIONS, images, ...options, rules: { ...PSS_OFF, ...options.rules } });
  const lines = new LineIndex(code);
  return analysis.findings.map((f) => ({ rule: f.rule, severity: f.severity, message: f.message, line: lines.position(f.span.start).line }));
}


/**
 * A Pod `demo` with one container `app`. Without `podSpec`/`podSc`, the container's `name` is on
 * line 7 and `containerSc` starts on line 10; each line of `podSpec`/`podSc` (plus the
 * `securityContext:` line) shifts them down.
 */
function pod(opts: { podSc?: string; containerSc?: string; image?: string; more?: string; podSpec?: string } = {}): string {
  return podYaml({ ...opts, spec: opts.podSpec, image: opts.image ?? 'app:1' });
}

interface ValidCase {
  readonly name: string;
  readonly code: string;
  readonly options?: Partial<AnalysisOptions>;
}
interface InvalidCase extends ValidCase {
  readonly errors: readonly Reported[];
}
interface RuleCases {
  readonly valid: readonly ValidCase[];
  readonly invalid: readonly InvalidCase[];
}

const CONTAINERD_PREFIX = (raw: string, bare: string, what: 'added' | 'dropped') =>
  `containerd prepends CAP_ to every name, so ${raw} becomes CAP_${raw.toUpperCase()}, which is not a capability: runc ignores it and ${bare} is not ${what}. Write ${bare}.`;

const CASES: Record<string, RuleCases> = {
  'capabilities-at-pod-level': {
    valid: [
      { name: 'capabilities in the container', code: pod({ containerSc: 'capabilities:\n  add: [NET_BIND_SERVICE]\n  drop: [ALL]' }) },
      { name: 'pod securityContext without capabilities', code: pod({ podSc: 'runAsNonRoot: true\nrunAsUser: 1000' }) },
    ],
    invalid: [
      {
        name: 'add and drop at pod level, one container',
        code: pod({ podSc: 'capabilities:\n  add: [NET_ADMIN]\n  drop: [ALL]' }),
        errors: [{ rule: 'capabilities-at-pod-level', severity: 'error', line: 7, message: 'capabilities is not a pod-level securityContext field: the API server rejects it under strict field validation or drops it, so container "app" does not get these capabilities (+NET_ADMIN -ALL). Set them in each container\'s securityContext.' }],
      },
      {
        name: 'two containers, empty capabilities',
        code: pod({ podSc: 'capabilities: {}', more: '- name: sidecar\n  image: proxy:1' }),
        errors: [{ rule: 'capabilities-at-pod-level', severity: 'error', line: 7, message: 'capabilities is not a pod-level securityContext field: the API server rejects it under strict field validation or drops it, so containers "app", "sidecar" do not get these capabilities. Set them in each container\'s securityContext.' }],
      },
      {
        name: 'no containers',
        code: yaml('apiVersion: v1', 'kind: Pod', 'metadata:', '  name: demo', 'spec:', '  securityContext:', '    capabilities:', '      add: [KILL]', '  containers: []'),
        errors: [{ rule: 'invalid-pod-spec', severity: 'error', line: 5, message: 'The API server rejects Pod/demo: spec.containers is required (at least one container).' }, { rule: 'capabilities-at-pod-level', severity: 'error', line: 7, message: 'capabilities is not a pod-level securityContext field: the API server rejects it under strict field validation or drops it, so no container gets these capabilities (+KILL). Set them in each container\'s securityContext.' }],
      },
    ],
  },

  'container-field-at-pod-level': {
    valid: [{ name: 'container-only fields in the container', code: pod({ containerSc: 'privileged: false\nallowPrivilegeEscalation: false\nreadOnlyRootFilesystem: true\nprocMount: Default' }) }],
    invalid: [
      {
        name: 'privileged and readOnlyRootFilesystem at pod level',
        code: pod({ podSc: 'privileged: false\nreadOnlyRootFilesystem: true' }),
        errors: [
          { rule: 'container-field-at-pod-level', severity: 'error', line: 7, message: 'privileged is a container securityContext field, not a pod one: it is rejected under strict field validation or dropped, so it applies to no container ("app" run without it).' },
          { rule: 'container-field-at-pod-level', severity: 'error', line: 8, message: 'readOnlyRootFilesystem is a container securityContext field, not a pod one: it is rejected under strict field validation or dropped, so it applies to no container ("app" run without it).' },
        ],
      },
      {
        name: 'allowPrivilegeEscalation at pod level, no containers',
        code: yaml('apiVersion: v1', 'kind: Pod', 'metadata:', '  name: demo', 'spec:', '  securityContext:', '    allowPrivilegeEscalation: false'),
        errors: [{ rule: 'invalid-pod-spec', severity: 'error', line: 5, message: 'The API server rejects Pod/demo: spec.containers is required (at least one container).' }, { rule: 'container-field-at-pod-level', severity: 'error', line: 7, message: 'allowPrivilegeEscalation is a container securityContext field, not a pod one: it is rejected under strict field validation or dropped, so it applies to no container.' }],
      },
    ],
  },

  'pod-field-at-container-level': {
    valid: [{ name: 'pod-only fields at pod level', code: pod({ podSc: 'fsGroup: 999\nsupplementalGroups: [5]\nfsGroupChangePolicy: OnRootMismatch\nsysctls: []' }) }],
    invalid: [
      {
        name: 'fsGroup and sysctls in a container',
        code: pod({ containerSc: 'fsGroup: 999\nsysctls:\n  - name: net.core.somaxconn\n    value: "1024"' }),
        errors: [
          { rule: 'pod-field-at-container-level', severity: 'error', line: 10, message: 'fsGroup is a pod securityContext field: in container "app" it is rejected under strict field validation or dropped, so it has no effect.' },
          { rule: 'pod-field-at-container-level', severity: 'error', line: 11, message: 'sysctls is a pod securityContext field: in container "app" it is rejected under strict field validation or dropped, so it has no effect.' },
        ],
      },
    ],
  },

  'unknown-security-context-field': {
    valid: [
      { name: 'every container field', code: pod({ containerSc: 'runAsUser: 1\nrunAsGroup: 1\nrunAsNonRoot: true\nprivileged: false\nallowPrivilegeEscalation: false\nreadOnlyRootFilesystem: true\nprocMount: Default\ncapabilities: {drop: [ALL]}\nseccompProfile: {type: RuntimeDefault}\nappArmorProfile: {type: RuntimeDefault}\nseLinuxOptions: {level: "s0:c1"}\nwindowsOptions: {}\ncgroupOptions: {mountMode: ReadOnly}' }) },
      { name: 'every pod field', code: pod({ podSc: 'runAsUser: 1\nrunAsGroup: 1\nrunAsNonRoot: true\nfsGroup: 1\nfsGroupChangePolicy: Always\nsupplementalGroups: [1]\nsupplementalGroupsPolicy: Strict\nsysctls: []\nseccompProfile: {type: RuntimeDefault}\nappArmorProfile: {type: RuntimeDefault}\nseLinuxOptions: {}\nseLinuxChangePolicy: MountOption\nwindowsOptions: {}' }) },
    ],
    invalid: [
      {
        name: 'misspelt container field',
        code: pod({ containerSc: 'runAsNonroot: true\nallowPriviledgeEscalation: false' }),
        errors: [
          { rule: 'unknown-security-context-field', severity: 'error', line: 10, message: 'runAsNonroot is not a container securityContext field: it is rejected under strict field validation or ignored. Did you mean runAsNonRoot?' },
          { rule: 'unknown-security-context-field', severity: 'error', line: 11, message: 'allowPriviledgeEscalation is not a container securityContext field: it is rejected under strict field validation or ignored. Did you mean allowPrivilegeEscalation?' },
        ],
      },
      {
        name: 'unknown pod field without suggestion',
        code: pod({ podSc: 'hardened: true' }),
        errors: [{ rule: 'unknown-security-context-field', severity: 'error', line: 7, message: 'hardened is not a pod securityContext field: it is rejected under strict field validation or ignored.' }],
      },
    ],
  },

  'invalid-value': {
    valid: [{ name: 'ids at the bounds and booleans', code: pod({ podSc: 'runAsUser: 2147483647\nfsGroup: 0\nsupplementalGroups: [0, 5]', containerSc: 'runAsGroup: 0\nrunAsNonRoot: false\nprivileged: false\nreadOnlyRootFilesystem: true' }) }],
    invalid: [
      {
        name: 'ids that are strings, negative, too large, fractional or null',
        code: pod({ podSc: 'runAsUser: "1000"\nfsGroup: -1\nsupplementalGroups: ["5", 6]', containerSc: 'runAsUser: 2147483648\nrunAsGroup: 1.5' }),
        errors: [
          { rule: 'invalid-value', severity: 'error', line: 7, message: 'runAsUser must be an integer, not the string "1000": the API server rejects the object.' },
          { rule: 'invalid-value', severity: 'error', line: 8, message: 'fsGroup must not be negative: the API server rejects -1.' },
          { rule: 'invalid-value', severity: 'error', line: 9, message: 'supplementalGroups item must be an integer, not the string "5": the API server rejects the object.' },
          { rule: 'invalid-value', severity: 'error', line: 14, message: 'runAsUser 2147483648 is above 2147483647, the largest id the API server accepts.' },
          { rule: 'invalid-value', severity: 'error', line: 15, message: 'runAsGroup must be an integer user or group id; 1.5 is rejected by the API server.' },
        ],
      },
      {
        name: 'booleans written as strings',
        code: pod({ containerSc: 'runAsNonRoot: "true"\nprivileged: "yes"\nallowPrivilegeEscalation: 0\nreadOnlyRootFilesystem: "False"' }),
        errors: [
          { rule: 'invalid-value', severity: 'error', line: 10, message: 'runAsNonRoot must be a boolean, not the string "true": the API server rejects the object.' },
          { rule: 'invalid-value', severity: 'error', line: 11, message: 'privileged must be true or false; the quoted "yes" is a string (unquoted, YAML 1.1 reads it as true) and is rejected by the API server.' },
          { rule: 'invalid-value', severity: 'error', line: 12, message: 'allowPrivilegeEscalation must be true or false; 0 is rejected by the API server.' },
          { rule: 'invalid-value', severity: 'error', line: 13, message: 'readOnlyRootFilesystem must be a boolean, not the string "False": the API server rejects the object.' },
        ],
      },
    ],
  },

  'invalid-security-context': {
    valid: [
      { name: 'allowPrivilegeEscalation: false alone', code: pod({ containerSc: 'allowPrivilegeEscalation: false\ncapabilities:\n  drop: [ALL]\n  add: [NET_BIND_SERVICE]' }) },
      { name: 'privileged with escalation allowed', code: pod({ containerSc: 'privileged: true\nallowPrivilegeEscalation: true' }) },
      { name: 'CAP_SYS_ADMIN without allowPrivilegeEscalation: false', code: pod({ containerSc: 'capabilities:\n  add: [SYS_ADMIN]' }) },
    ],
    invalid: [
      {
        name: 'privileged with allowPrivilegeEscalation: false',
        code: pod({ containerSc: 'privileged: true\nallowPrivilegeEscalation: false' }),
        errors: [{ rule: 'invalid-security-context', severity: 'error', line: 11, message: 'The API server rejects container "app": cannot set allowPrivilegeEscalation to false and privileged to true.' }],
      },
      {
        name: 'literal CAP_SYS_ADMIN with allowPrivilegeEscalation: false',
        code: pod({ containerSc: 'allowPrivilegeEscalation: false\ncapabilities:\n  add: [CAP_SYS_ADMIN]' }),
        errors: [
          { rule: 'invalid-security-context', severity: 'error', line: 12, message: 'The API server rejects container "app": cannot set allowPrivilegeEscalation to false and capabilities.Add CAP_SYS_ADMIN.' },
          { rule: 'capability-prefix', severity: 'error', line: 12, message: CONTAINERD_PREFIX('CAP_SYS_ADMIN', 'SYS_ADMIN', 'added') },
        ],
      },
      {
        name: 'SYS_ADMIN is accepted but escalation stays possible',
        code: pod({ containerSc: 'allowPrivilegeEscalation: false\ncapabilities:\n  add: [SYS_ADMIN]' }),
        errors: [{ rule: 'invalid-security-context', severity: 'warning', line: 12, message: 'The API server accepts SYS_ADMIN with allowPrivilegeEscalation: false (it only matches the literal CAP_SYS_ADMIN), but with SYS_ADMIN container "app" can still escalate privileges.' }],
      },
    ],
  },

  'unknown-capability': {
    valid: [
      { name: 'known names and ALL', code: pod({ containerSc: 'capabilities:\n  drop: [ALL]\n  add: [NET_ADMIN, SYS_TIME, CHECKPOINT_RESTORE]' }) },
      { name: 'known names under CRI-O', code: pod({ containerSc: 'capabilities:\n  add: [BPF, PERFMON]' }), options: { runtime: 'cri-o' } },
    ],
    invalid: [
      {
        name: 'typo under containerd',
        code: pod({ containerSc: 'capabilities:\n  add: [NET_ADMN]\n  drop: [FOO]' }),
        errors: [
          { rule: 'unknown-capability', severity: 'error', line: 11, message: 'NET_ADMN is not a Linux capability: containerd passes it on and runc ignores it, so nothing is added. Did you mean NET_ADMIN?' },
          { rule: 'unknown-capability', severity: 'error', line: 12, message: 'FOO is not a Linux capability: containerd passes it on and runc ignores it, so nothing is dropped.' },
        ],
      },
      {
        name: 'typo under CRI-O',
        code: pod({ containerSc: 'capabilities:\n  add: [SYS_PTRAC]' }),
        options: { runtime: 'cri-o' },
        errors: [{ rule: 'unknown-capability', severity: 'error', line: 11, message: 'SYS_PTRAC is not a Linux capability: CRI-O refuses to create the container. Did you mean SYS_PTRACE?' }],
      },
      {
        name: 'prefixed typo under Docker (capability-prefix leaves it to this rule)',
        code: pod({ containerSc: 'capabilities:\n  add: [CAP_SYS_ADMN]' }),
        options: { runtime: 'docker' },
        errors: [{ rule: 'unknown-capability', severity: 'error', line: 11, message: 'CAP_SYS_ADMN is not a Linux capability: Docker refuses to create the container. Did you mean SYS_ADMIN?' }],
      },
    ],
  },

  'capability-prefix': {
    valid: [
      { name: 'names without CAP_', code: pod({ containerSc: 'capabilities:\n  add: [SYS_PTRACE]\n  drop: [NET_RAW]' }) },
    ],
    invalid: [
      {
        name: 'containerd: CAP_ in add and drop',
        code: pod({ containerSc: 'capabilities:\n  add: [CAP_SYS_PTRACE]\n  drop: [CAP_NET_RAW]' }),
        errors: [
          { rule: 'capability-prefix', severity: 'error', line: 11, message: CONTAINERD_PREFIX('CAP_SYS_PTRACE', 'SYS_PTRACE', 'added') },
          { rule: 'capability-prefix', severity: 'error', line: 12, message: CONTAINERD_PREFIX('CAP_NET_RAW', 'NET_RAW', 'dropped') },
        ],
      },
      {
        name: 'containerd: lower-case prefix',
        code: pod({ containerSc: 'capabilities:\n  add: [cap_net_admin]' }),
        errors: [{ rule: 'capability-prefix', severity: 'error', line: 11, message: CONTAINERD_PREFIX('cap_net_admin', 'NET_ADMIN', 'added') }],
      },
      {
        name: 'CRI-O accepts it: warning',
        code: pod({ containerSc: 'capabilities:\n  add: [CAP_SYS_PTRACE]' }),
        options: { runtime: 'cri-o' },
        errors: [{ rule: 'capability-prefix', severity: 'warning', line: 11, message: 'cri-o accepts CAP_SYS_PTRACE, but containerd would ignore it (CAP_CAP_SYS_PTRACE) and Pod Security admission compares names exactly. Write SYS_PTRACE.' }],
      },
      {
        name: 'containerd: CAP_ALL in drop',
        code: pod({ containerSc: 'capabilities:\n  drop: [CAP_ALL]' }),
        errors: [{ rule: 'capability-prefix', severity: 'error', line: 11, message: CONTAINERD_PREFIX('CAP_ALL', 'ALL', 'dropped') }],
      },
      {
        name: 'Docker refuses CAP_ALL',
        code: pod({ containerSc: 'capabilities:\n  add: [CAP_ALL]' }),
        options: { runtime: 'docker' },
        errors: [{ rule: 'capability-prefix', severity: 'error', line: 11, message: 'docker refuses CAP_ALL and does not create the container: only ALL, without CAP_, means every capability. Write ALL.' }],
      },
      {
        name: 'CRI-O refuses CAP_ALL',
        code: pod({ containerSc: 'capabilities:\n  drop: [CAP_ALL]' }),
        options: { runtime: 'cri-o' },
        errors: [{ rule: 'capability-prefix', severity: 'error', line: 11, message: 'cri-o refuses CAP_ALL and does not create the container: only ALL, without CAP_, means every capability. Write ALL.' }],
      },
    ],
  },

  'capability-case': {
    valid: [
      { name: 'upper case', code: pod({ containerSc: 'capabilities:\n  drop: [ALL]\n  add: [NET_BIND_SERVICE]' }) },
      { name: 'unknown lower-case name is left to unknown-capability', code: pod({ containerSc: 'capabilities:\n  add: [net_admn]' }), options: { rules: { 'unknown-capability': 'off' } } },
    ],
    invalid: [
      {
        name: 'lower-case add and drop all',
        code: pod({ containerSc: 'capabilities:\n  add: [net_bind_service]\n  drop: [all]' }),
        errors: [
          { rule: 'capability-case', severity: 'warning', line: 11, message: 'net_bind_service works in the runtime (names are upper-cased) but Pod Security admission compares names exactly. Write NET_BIND_SERVICE.' },
          { rule: 'capability-case', severity: 'warning', line: 12, message: 'all works in the runtime (names are upper-cased) but Pod Security admission compares names exactly: drop "all" does not satisfy the restricted profile. Write ALL.' },
        ],
      },
    ],
  },

  'redundant-capability': {
    valid: [
      { name: 'default added after drop ALL', code: pod({ containerSc: 'capabilities:\n  drop: [ALL]\n  add: [CHOWN]' }) },
      { name: 'NET_RAW is not a CRI-O default', code: pod({ containerSc: 'capabilities:\n  add: [NET_RAW]' }), options: { runtime: 'cri-o' } },
    ],
    invalid: [
      {
        name: 'a default added',
        code: pod({ containerSc: 'capabilities:\n  add: [CHOWN, NET_ADMIN]' }),
        errors: [{ rule: 'redundant-capability', severity: 'info', line: 11, message: 'CHOWN is already in containerd\'s default capability set: adding it changes nothing.' }],
      },
      {
        name: 'a name listed twice',
        code: pod({ containerSc: 'capabilities:\n  drop: [NET_RAW, MKNOD, NET_RAW]' }),
        errors: [{ rule: 'redundant-capability', severity: 'info', line: 11, message: 'NET_RAW is listed twice in drop.' }],
      },
      {
        name: 'added and dropped under containerd: the add has no effect',
        code: pod({ containerSc: 'capabilities:\n  add:\n    - SYS_TIME\n  drop:\n    - SYS_TIME' }),
        errors: [{ rule: 'redundant-capability', severity: 'info', line: 12, message: 'SYS_TIME is both added and dropped: containerd drops it, so this entry has no effect.' }],
      },
      {
        name: 'added and dropped under Docker: the drop has no effect',
        code: pod({ containerSc: 'capabilities:\n  add:\n    - SYS_TIME\n  drop:\n    - SYS_TIME' }),
        options: { runtime: 'docker' },
        errors: [{ rule: 'redundant-capability', severity: 'info', line: 14, message: 'SYS_TIME is both added and dropped: docker adds it, so this entry has no effect.' }],
      },
    ],
  },

  'run-as-root': {
    valid: [
      { name: 'no runAsUser and no linked image: not known to be root', code: pod() },
      { name: 'non-root uid', code: pod({ containerSc: 'runAsUser: 1000' }) },
      { name: 'a linked image with a named user', code: pod({ image: 'example.com/named:1' }) },
      // runAsUser is forbidden in a Windows pod (invalid-security-context); its administrator is a name.
      { name: 'Windows pod', code: pod({ podSpec: 'os:\n  name: windows', containerSc: 'windowsOptions:\n  runAsUserName: ContainerAdministrator' }) },
    ],
    invalid: [
      {
        name: 'runAsUser: 0 in the container',
        code: pod({ containerSc: 'runAsUser: 0' }),
        errors: [{ rule: 'run-as-root', severity: 'warning', line: 10, message: 'Container "app" runs as root (uid 0): runAsUser: 0 is set in the container securityContext.' }],
      },
      {
        name: 'runAsUser: 0 in the pod, two containers',
        code: pod({ podSc: 'runAsUser: 0', more: '- name: sidecar\n  image: proxy:1' }),
        errors: [
          // Two findings at one place: each offers the fix for its own container (runRules merges only equal fixes).
          { rule: 'run-as-root', severity: 'warning', line: 7, message: 'Container "app" runs as root (uid 0): runAsUser: 0 is set in the pod securityContext.' },
          { rule: 'run-as-root', severity: 'warning', line: 7, message: 'Container "sidecar" runs as root (uid 0): runAsUser: 0 is set in the pod securityContext.' },
        ],
      },
      {
        name: 'a linked image that runs as root',
        code: pod({ image: 'example.com/nouser:1' }),
        errors: [{ rule: 'run-as-root', severity: 'warning', line: 7, message: 'Container "app" runs as root (uid 0): its image runs as root (the image sets no USER: root (Dockerfile has no USER)).' }],
      },
    ],
  },

  'run-as-non-root-violation': {
    valid: [
      { name: 'numeric non-root uid', code: pod({ podSc: 'runAsNonRoot: true', containerSc: 'runAsUser: 1000' }) },
      { name: 'image not linked: the kubelet decides', code: pod({ podSc: 'runAsNonRoot: true' }) },
      { name: 'runAsNonRoot not set', code: pod({ containerSc: 'runAsUser: 0' }), options: { rules: { 'run-as-root': 'off' } } },
    ],
    invalid: [
      {
        name: 'runAsUser: 0',
        code: pod({ podSc: 'runAsNonRoot: true', containerSc: 'runAsUser: 0' }),
        options: { rules: { 'run-as-root': 'off' } },
        errors: [{ rule: 'run-as-non-root-violation', severity: 'error', line: 12, message: 'The kubelet will not start container "app": container\'s runAsUser breaks non-root policy.' }],
      },
      {
        name: 'image with a named user',
        code: pod({ podSc: 'runAsNonRoot: true', image: 'example.com/named:1' }),
        errors: [{ rule: 'run-as-non-root-violation', severity: 'error', line: 9, message: 'The kubelet will not start container "app": container has runAsNonRoot and image has non-numeric user (app), cannot verify user is non-root.' }],
      },
      {
        name: 'image that runs as root',
        code: pod({ containerSc: 'runAsNonRoot: true', image: 'example.com/root:1' }),
        errors: [
          { rule: 'run-as-non-root-violation', severity: 'error', line: 7, message: 'The kubelet will not start container "app": container has runAsNonRoot and image will run as root.' },
          { rule: 'run-as-root', severity: 'warning', line: 7, message: 'Container "app" runs as root (uid 0): its image runs as root (USER 0 in Dockerfile line 4).' },
        ],
      },
    ],
  },
};

describe('rules (RuleTester-style)', () => {
  test('the rules under test are registered Kubernetes rules outside Pod Security', () => {
    const ids = RULES.filter((r) => !r.meta.pss && r.kubernetes).map((r) => r.meta.id);
    assert.deepStrictEqual(Object.keys(CASES).filter((id) => !ids.includes(id)), []);
  });
  for (const [rule, { valid, invalid }] of Object.entries(CASES)) {
    describe(rule, () => {
      for (const c of valid) test(`valid: ${c.name}`, () => assert.deepStrictEqual(report(c.code, c.options), []));
      for (const c of invalid) test(`invalid: ${c.name}`, () => assert.deepStrictEqual(report(c.code, c.options), c.errors));
    });
  }
});

describe('suppression', () => {
  const ROOT: Reported = { rule: 'run-as-root', severity: 'warning', line: 0, message: 'Container "app" runs as root (uid 0): runAsUser: 0 is set in the container securityContext.' };
  const PREFIX: Reported = { rule: 'capability-prefix', severity: 'error', line: 0, message: CONTAINERD_PREFIX('CAP_NET_ADMIN', 'NET_ADMIN', 'added') };
  const at = (r: Reported, line: number): Reported => ({ ...r, line });
  const body = 'runAsUser: 0\ncapabilities:\n  add: [CAP_NET_ADMIN]';

  const cases: InvalidCase[] = [
    { name: 'nothing suppressed', code: pod({ containerSc: body }), errors: [at(ROOT, 10), at(PREFIX, 12)] },
    { name: 'disable-next-line, one id', code: pod({ containerSc: '# secctx-disable-next-line run-as-root\n' + body }), errors: [at(PREFIX, 13)] },
    { name: 'disable-next-line applies to the next line only', code: pod({ containerSc: '# secctx-disable-next-line capability-prefix\n' + body }), errors: [at(ROOT, 11), at(PREFIX, 13)] },
    { name: 'disable-next-line, two ids', code: pod({ containerSc: 'runAsUser: 0\ncapabilities:\n  # secctx-disable-next-line run-as-root, capability-prefix\n  add: [CAP_NET_ADMIN]' }), errors: [at(ROOT, 10)] },
    { name: 'a trailing disable-next-line comment covers only the line after it', code: pod({ containerSc: 'runAsUser: 0  # secctx-disable-next-line capability-prefix\ncapabilities:\n  add: [CAP_NET_ADMIN]' }), errors: [at(ROOT, 10), at(PREFIX, 12)] },
    { name: 'another rule id suppresses nothing', code: pod({ containerSc: '# secctx-disable-next-line unknown-capability\n' + body }), errors: [at(ROOT, 11), at(PREFIX, 13)] },
    { name: 'disable: the rest of the document', code: '# secctx-disable run-as-root\n' + pod({ containerSc: body }), errors: [at(PREFIX, 13)] },
    { name: 'disable: findings before the comment stay', code: pod({ containerSc: 'runAsUser: 0\n# secctx-disable run-as-root, capability-prefix\ncapabilities:\n  add: [CAP_NET_ADMIN]' }) + '---\n' + pod({ containerSc: body }), errors: [at(ROOT, 10), at(ROOT, 24), at(PREFIX, 26)] },
    {
      name: 'annotation secctx.dev/ignore on the resource',
      code: pod({ containerSc: body }).replace('  name: demo\n', '  name: demo\n  annotations:\n    secctx.dev/ignore: "run-as-root, redundant-capability"\n'),
      errors: [at(PREFIX, 14)],
    },
    {
      name: 'the annotation covers its own resource only',
      code: pod({ containerSc: body }).replace('  name: demo\n', '  name: demo\n  annotations:\n    secctx.dev/ignore: capability-prefix,run-as-root\n') + '---\n' + pod({ containerSc: body }),
      errors: [at(ROOT, 25), at(PREFIX, 27)],
    },
  ];
  for (const c of cases) test(c.name, () => assert.deepStrictEqual(report(c.code, c.options), c.errors));
});

describe('.secctx.yaml', () => {
  interface Case {
    readonly name: string;
    readonly text: string;
    readonly config: ProjectConfig;
    /** Problems as [line, message]. */
    readonly problems: readonly (readonly [number, string])[];
  }
  const EMPTY: ProjectConfig = { rules: {}, ignore: [], images: {} };
  const span = (text: string, needle: string): Span => ({ start: text.indexOf(needle), end: text.indexOf(needle) + needle.length });
  const full = yaml(
    'profile: baseline',
    'kubernetesVersion: "1.30"',
    'runtime: cri-o',
    'rules:',
    '  run-as-root: off',
    '  redundant-capability: warning',
    'ignore:',
    '  - charts/**',
    '  - "*.generated.yaml"',
    'images:',
    '  myorg/api: ./api/Dockerfile',
  );
  const cases: Case[] = [
    {
      name: 'every setting',
      text: full,
      config: { profile: 'baseline', kubernetesVersion: '1.30', runtime: 'cri-o', rules: { 'run-as-root': 'off', 'redundant-capability': 'warning' }, ignore: ['charts/**', '*.generated.yaml'], images: { 'myorg/api': { path: './api/Dockerfile', span: span(full, './api/Dockerfile') } } },
      problems: [],
    },
    { name: 'empty file: defaults', text: '', config: EMPTY, problems: [] },
    { name: 'comments only: defaults', text: '# nothing yet\n', config: EMPTY, problems: [] },
    { name: 'invalid YAML', text: 'profile: [baseline\n', config: EMPTY, problems: [[2, 'Invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]; the defaults apply.']] },
    { name: 'not a map', text: '- profile\n', config: EMPTY, problems: [[1, '.secctx.yaml must be a map of settings; the defaults apply.']] },
    {
      name: 'bad values, others kept',
      text: yaml('profile: strict', 'runtime: podman', 'kubernetesVersion: "1.x"', 'rules:', '  run-as-root: loud', '  no-such-rule: off', '  redundant-capability: info', 'ignore: "*.yaml"', 'images:', '  myorg/api: 3', 'color: true'),
      config: { rules: { 'redundant-capability': 'info' }, ignore: [], images: {} },
      problems: [
        [1, 'profile must be one of restricted, baseline, privileged.'],
        [2, 'runtime must be one of containerd, cri-o, docker.'],
        [3, 'kubernetesVersion must look like "1.30" (quote it: 1.30 unquoted is the number 1.3).'],
        [5, 'Severity must be one of off, info, warning, error.'],
        [6, 'Unknown rule id no-such-rule.'],
        [8, 'ignore must be a list of globs.'],
        [10, 'images maps an image to the path of its Dockerfile.'],
        [11, 'Unknown setting color: expected profile, kubernetesVersion, runtime, rules, ignore, images, kustomize, helm, imageLookup, imagePlatform or imageLayerBudget.'],
      ],
    },
    {
      name: 'kubernetesVersion unquoted is a number: 1.30 would silently be 1.3',
      text: 'kubernetesVersion: 1.30\n',
      config: EMPTY,
      problems: [[1, 'kubernetesVersion must look like "1.30" (quote it: 1.30 unquoted is the number 1.3).']],
    },
    {
      name: 'wrong shapes for rules, ignore entries and images',
      text: yaml('rules: [run-as-root]', 'ignore:', '  - 3', 'images: ./Dockerfile'),
      config: EMPTY,
      problems: [
        [1, 'rules must be a map of rule id to off|info|warning|error.'],
        [3, 'ignore entries must be glob strings.'],
        [4, 'images must be a map of image → Dockerfile path.'],
      ],
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const { config, problems } = parseConfig(c.text);
      const lines = new LineIndex(c.text);
      const where = (p: ConfigProblem) => [lines.position(p.span.start).line, p.message] as const;
      assert.deepStrictEqual({ config, problems: problems.map(where) }, { config: c.config, problems: c.problems });
    });
  }

  test('an invalid config file is analysed as such: invalid-config findings', () => {
    const text = yaml('profile: strict', 'rules:', '  nope: off');
    assert.deepStrictEqual(report(text, {}, '.secctx.yaml'), [
      { rule: 'invalid-config', severity: 'error', line: 1, message: 'profile must be one of restricted, baseline, privileged.' },
      { rule: 'invalid-config', severity: 'error', line: 3, message: 'Unknown rule id nope.' },
    ]);
  });
});
