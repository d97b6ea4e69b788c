/**
 * Effective security contexts, as Kubernetes, the kubelet and the runtime decide them: precedence of
 * user, group and supplemental groups (with linked images), capability sets per runtime, privilege
 * escalation, runAsNonRoot verdicts, every workload and container kind, multi-document streams,
 * Lists, Helm templates, syntax errors and Windows pods. Each test compares whole projections.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Analyzer } from '../../server/src/engine/analyze';
import type { Runtime } from '../../server/src/engine/capabilities';
import type { ContainerKind, EffectiveContext, RunAsNonRootVerdict, Source, Valued } from '../../server/src/engine/effective';
import { ImageIndex } from '../../server/src/engine/images/index';
import { kubeletVerdict } from '../../server/src/engine/kubernetes/resolve';
import { LineIndex } from '../../server/src/engine/lines';
import { DEFAULT_OPTIONS, type AnalysisOptions, type ImageResolver, type ImageUser } from '../../server/src/engine/options';
import { indent, pod as podYaml, yaml } from '../support/manifests';

const FIXTURES = join(__dirname, '..', 'fixtures', 'effective');


const DEFAULTS = ['CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'SETGID', 'SETUID', 'SETPCAP', 'NET_BIND_SERVICE', 'NET_RAW', 'SYS_CHROOT', 'MKNOD', 'AUDIT_WRITE', 'SETFCAP'];

/** Linked images, as the workspace image index would report them from Dockerfiles. */
const IMAGES: Readonly<Record<string, ImageUser>> = {
  'example.com/numeric': { spec: '10001:10001', uid: 10001, gid: 10001, note: 'USER 10001:10001 in Dockerfile line 3', dockerfile: '/src/numeric/Dockerfile' },
  'example.com/named': { spec: 'app', name: 'app', uid: 10002, gid: 10003, note: 'user app created in Dockerfile line 2', dockerfile: '/src/named/Dockerfile' },
  'example.com/named-unknown': { spec: 'svc', name: 'svc', note: 'user svc (not created in the Dockerfile)', dockerfile: '/src/svc/Dockerfile' },
  'example.com/root': { spec: '0', uid: 0, gid: 0, note: 'USER 0 in Dockerfile line 4', dockerfile: '/src/root/Dockerfile' },
  'example.com/nouser': { note: 'Dockerfile has no USER', dockerfile: '/src/nouser/Dockerfile' },
};
const images: ImageResolver = (image) => IMAGES[image.replace(/:[^/]*$/, '')];

function analyze(text: string, options: Partial<AnalysisOptions> = {}) {
  return new Analyzer().analyze('manifest.yaml', text, { ...DEFAULT_OPTIONS, images, ...options });
}

/** What a reader checks about a container: who it runs as and with which privileges. */
interface Projection {
  readonly workload: string;
  readonly container: string;
  readonly kind: ContainerKind;
  readonly user: number | null;
  readonly userFrom: Source;
  readonly group: number | null;
  readonly groupFrom: Source;
  readonly supplementalGroups: readonly number[];
  readonly bounding: readonly string[] | null;
  readonly effective: readonly string[] | null;
  readonly allowPrivilegeEscalation: boolean;
  readonly runAsNonRoot: RunAsNonRootVerdict;
}

function project(c: EffectiveContext): Projection {
  return {
    workload: c.workload,
    container: c.name,
    kind: c.kind,
    user: c.user.value ?? null,
    userFrom: c.user.source,
    group: c.group.value ?? null,
    groupFrom: c.group.source,
    supplementalGroups: c.supplementalGroups.value,
    bounding: c.capabilities?.bounding ?? null,
    effective: c.capabilities?.effective ?? null,
    allowPrivilegeEscalation: c.allowPrivilegeEscalation.value,
    runAsNonRoot: c.runAsNonRoot.verdict,
  };
}

function only(text: string, options: Partial<AnalysisOptions> = {}): EffectiveContext {
  const { contexts } = analyze(text, options);
  assert.equal(contexts.length, 1, `expected one container, got ${contexts.length}`);
  return contexts[0];
}

function spanOf(text: string, needle: string, from = 0): { start: number; end: number } {
  const start = text.indexOf(needle, from);
  assert.ok(start >= 0, needle);
  return { start, end: start + needle.length };
}

/**
 * A Pod with one container `app`; `podSc`/`containerSc` are securityContext bodies (two-space indented YAML).
 * Its image is linked to a Dockerfile without USER (root) unless another is given.
 */
function pod(opts: { podSc?: string; containerSc?: string; image?: string; spec?: string } = {}): string {
  return podYaml({ ...opts, image: opts.image ?? 'example.com/nouser:1' });
}

describe('the examples people start from (fixtures)', () => {
  const yamls = readdirSync(FIXTURES).filter((f) => f.endsWith('.yaml')).sort();
  test('fixtures are present', () => assert.deepStrictEqual(yamls, ['busybox-capabilities.yaml', 'pod-level-capabilities.yaml', 'pod-override.yaml']));
  for (const file of yamls) {
    const base = file.replace(/\.yaml$/, '');
    const text = readFileSync(join(FIXTURES, file), 'utf8');
    const expectations = readdirSync(FIXTURES).filter((f) => f.startsWith(`${base}.`) && f.endsWith('.expected.json'));
    for (const expected of expectations) {
      const runtime = (expected.slice(base.length + 1, -'.expected.json'.length) || 'containerd') as Runtime;
      test(`${file} under ${runtime}`, () => {
        const want: unknown = JSON.parse(readFileSync(join(FIXTURES, expected), 'utf8'));
        assert.deepStrictEqual(analyze(text, { runtime }).contexts.map(project), want);
      });
    }
  }
});

describe('user, group and supplemental groups', () => {
  interface Case {
    readonly name: string;
    readonly text: string;
    readonly expected: Pick<Projection, 'user' | 'userFrom' | 'group' | 'groupFrom' | 'supplementalGroups'>;
  }
  const cases: Case[] = [
    { name: 'nothing set, image without USER: uid 0 and gid 0', text: pod(), expected: { user: 0, userFrom: 'image', group: 0, groupFrom: 'default', supplementalGroups: [] } },
    // The kubelet's getImageUser reads the image's User: with nothing known of the image, neither root nor non-root is claimed.
    { name: 'nothing set, image not known: uid and gid unknown', text: pod({ image: 'example.com/unlinked:1' }), expected: { user: null, userFrom: 'image', group: null, groupFrom: 'default', supplementalGroups: [] } },
    { name: 'pod runAsUser', text: pod({ podSc: 'runAsUser: 2000' }), expected: { user: 2000, userFrom: 'pod', group: 0, groupFrom: 'default', supplementalGroups: [] } },
    { name: 'container runAsUser overrides the pod', text: pod({ podSc: 'runAsUser: 2000', containerSc: 'runAsUser: 3000' }), expected: { user: 3000, userFrom: 'container', group: 0, groupFrom: 'default', supplementalGroups: [] } },
    { name: 'container runAsUser 0 overrides a pod non-root uid', text: pod({ podSc: 'runAsUser: 2000', containerSc: 'runAsUser: 0' }), expected: { user: 0, userFrom: 'container', group: 0, groupFrom: 'default', supplementalGroups: [] } },
    { name: 'pod runAsGroup', text: pod({ podSc: 'runAsUser: 1000\nrunAsGroup: 3000' }), expected: { user: 1000, userFrom: 'pod', group: 3000, groupFrom: 'pod', supplementalGroups: [] } },
    { name: 'container runAsGroup overrides the pod', text: pod({ podSc: 'runAsGroup: 3000', containerSc: 'runAsGroup: 5000' }), expected: { user: 0, userFrom: 'image', group: 5000, groupFrom: 'container', supplementalGroups: [] } },
    // USER 10001:10001: the kubelet passes only the uid; with no /etc/passwd entry known, gid 0 (runtime-identity.test.ts).
    { name: 'linked image with a numeric USER', text: pod({ image: 'example.com/numeric:1.0' }), expected: { user: 10001, userFrom: 'image', group: 0, groupFrom: 'default', supplementalGroups: [] } },
    { name: 'linked image with a named USER', text: pod({ image: 'example.com/named:1.0' }), expected: { user: 10002, userFrom: 'image', group: 10003, groupFrom: 'image', supplementalGroups: [] } },
    { name: 'linked image whose named USER has no known uid', text: pod({ image: 'example.com/named-unknown' }), expected: { user: null, userFrom: 'image', group: null, groupFrom: 'default', supplementalGroups: [] } },
    { name: 'linked image without USER runs as root', text: pod({ image: 'example.com/nouser' }), expected: { user: 0, userFrom: 'image', group: 0, groupFrom: 'default', supplementalGroups: [] } },
    { name: 'pod runAsUser beats the image USER', text: pod({ image: 'example.com/named:1.0', podSc: 'runAsUser: 2000' }), expected: { user: 2000, userFrom: 'pod', group: 0, groupFrom: 'default', supplementalGroups: [] } },
    { name: 'runAsGroup beats the image user\'s group', text: pod({ image: 'example.com/numeric', containerSc: 'runAsGroup: 7' }), expected: { user: 10001, userFrom: 'image', group: 7, groupFrom: 'container', supplementalGroups: [] } },
    { name: 'fsGroup joins the supplemental groups', text: pod({ podSc: 'fsGroup: 4000' }), expected: { user: 0, userFrom: 'image', group: 0, groupFrom: 'default', supplementalGroups: [4000] } },
    { name: 'supplementalGroups then fsGroup', text: pod({ podSc: 'supplementalGroups: [5000, 6000]\nfsGroup: 4000' }), expected: { user: 0, userFrom: 'image', group: 0, groupFrom: 'default', supplementalGroups: [5000, 6000, 4000] } },
    { name: 'fsGroup already among the supplemental groups is not repeated', text: pod({ podSc: 'supplementalGroups: [4000, 5000]\nfsGroup: 4000' }), expected: { user: 0, userFrom: 'image', group: 0, groupFrom: 'default', supplementalGroups: [4000, 5000] } },
    { name: 'ids the API rejects are not taken', text: pod({ podSc: 'runAsUser: 2000', containerSc: 'runAsUser: "3000"\nrunAsGroup: -1' }), expected: { user: 2000, userFrom: 'pod', group: 0, groupFrom: 'default', supplementalGroups: [] } },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const { user, userFrom, group, groupFrom, supplementalGroups } = project(only(c.text));
      assert.deepStrictEqual({ user, userFrom, group, groupFrom, supplementalGroups }, c.expected);
    });
  }

  test('provenance: the container value says what it overrides and points at its key', () => {
    const text = pod({ podSc: 'runAsUser: 2000\nfsGroup: 4000', containerSc: 'runAsUser: 3000' });
    const c = only(text);
    const containerKey = spanOf(text, 'runAsUser', text.indexOf('containers:'));
    const expected: { user: EffectiveContext['user']; supplementalGroups: Valued<readonly number[]> } = {
      user: { value: 3000, source: 'container', field: 'securityContext.runAsUser', span: containerKey, note: 'overrides pod runAsUser 2000' },
      supplementalGroups: { value: [4000], source: 'pod', field: 'spec.securityContext.fsGroup', span: spanOf(text, 'fsGroup') },
    };
    assert.deepStrictEqual({ user: c.user, supplementalGroups: c.supplementalGroups }, expected);
  });

  test('provenance: supplemental groups name the fields that are set', () => {
    const both = pod({ podSc: 'supplementalGroups: [5000]\nfsGroup: 4000' });
    const listOnly = pod({ podSc: 'supplementalGroups: [5000]' });
    assert.deepStrictEqual([only(both).supplementalGroups, only(listOnly).supplementalGroups, only(pod()).supplementalGroups], [
      { value: [5000, 4000], source: 'pod', field: 'spec.securityContext.supplementalGroups + fsGroup', span: spanOf(both, 'fsGroup') },
      { value: [5000], source: 'pod', field: 'spec.securityContext.supplementalGroups', span: spanOf(listOnly, 'supplementalGroups') },
      { value: [], source: 'default' },
    ]);
  });

  test('provenance: a linked image names the Dockerfile', () => {
    const c = only(pod({ image: 'example.com/named:1.0' }));
    assert.deepStrictEqual(c.user, { value: 10002, name: 'app', source: 'image', field: 'USER', note: 'user app created in Dockerfile line 2' });
  });
});

describe('the group of an explicit runAsUser: the image\'s /etc/passwd, as containerd and CRI-O read it', () => {
  // containerd (pkg/oci WithUserID) and CRI-O (GetExecUser) look the uid up in the image's /etc/passwd:
  // its entry's gid when there is one, gid 0 when there is none.
  const dockerfiles: Record<string, string> = {
    // app 1000:1000 created, but the image runs as root: the manifest sets the user.
    '/ws/app/Dockerfile': yaml('FROM debian:12', 'RUN groupadd -g 1000 app && useradd -u 1000 -g app app'),
    // every account of distroless is known: uid 1234 has no entry.
    '/ws/static/Dockerfile': yaml('FROM gcr.io/distroless/static:nonroot'),
    // an unknown base: uid 1234 may or may not have an entry.
    '/ws/other/Dockerfile': yaml('FROM example.com/base:1'),
  };
  function indexed(): ImageResolver {
    const index = new ImageIndex({ roots: ['/ws'] });
    index.update('/ws/.secctx.yaml', yaml('images:', '  example.com/app: app/Dockerfile', '  example.com/static: static/Dockerfile', '  example.com/other: other/Dockerfile'));
    for (const [path, text] of Object.entries(dockerfiles)) index.update(path, text);
    return index.resolver('/ws/k8s/pod.yaml');
  }
  const cases: { name: string; text: string; expected: EffectiveContext['group'] }[] = [
    {
      name: 'a uid the image creates: its primary group',
      text: pod({ image: 'example.com/app:1', containerSc: 'runAsUser: 1000' }),
      expected: { value: 1000, source: 'image', field: '/etc/passwd', note: 'user app (uid 1000, gid 1000) created in Dockerfile line 2, via .secctx.yaml' },
    },
    {
      name: 'pod runAsUser: the same lookup',
      text: pod({ image: 'example.com/app:1', podSc: 'runAsUser: 1000' }),
      expected: { value: 1000, source: 'image', field: '/etc/passwd', note: 'user app (uid 1000, gid 1000) created in Dockerfile line 2, via .secctx.yaml' },
    },
    {
      name: 'a uid of the base image\'s accounts',
      text: pod({ image: 'example.com/app:1', containerSc: 'runAsUser: 33' }),
      expected: { value: 33, source: 'image', field: '/etc/passwd', note: 'user www-data (uid 33, gid 33) from base image debian, via .secctx.yaml' },
    },
    {
      name: 'a uid an image with every account known does not have: gid 0',
      text: pod({ image: 'example.com/static:1', containerSc: 'runAsUser: 1234' }),
      expected: { value: 0, source: 'image', field: '/etc/passwd', note: 'no entry for uid 1234 in the image\'s /etc/passwd (all its accounts are known), via .secctx.yaml: gid 0' },
    },
    {
      name: 'an unknown base: gid 0 unless the image has an entry (as before)',
      text: pod({ image: 'example.com/other:1', containerSc: 'runAsUser: 1234' }),
      expected: { value: 0, source: 'default', note: 'the primary group of a uid not in the image\'s /etc/passwd is 0' },
    },
    {
      name: 'an image that is not linked: as before',
      text: pod({ image: 'example.com/unlinked:1', containerSc: 'runAsUser: 1000' }),
      expected: { value: 0, source: 'default', note: 'the primary group of a uid not in the image\'s /etc/passwd is 0' },
    },
  ];
  for (const c of cases) test(c.name, () => assert.deepStrictEqual(only(c.text, { images: indexed() }).group, c.expected));

  test('no USER on a known non-root base (distroless :nonroot): the image runs as 65532 and runAsNonRoot passes', () => {
    const text = pod({ image: 'example.com/static:1', containerSc: 'runAsNonRoot: true' });
    const { contexts, findings } = analyze(text, { images: indexed() });
    assert.deepStrictEqual(
      { uid: contexts[0].user.value, gid: contexts[0].group.value, verdict: contexts[0].runAsNonRoot.verdict, rules: findings.map((f) => f.rule).filter((r) => r === 'run-as-root' || r === 'run-as-non-root') },
      { uid: 65532, gid: 65532, verdict: 'pass', rules: [] },
    );
  });

  test('no USER on an unknown base: the user is unknown, not root, and the kubelet verdict waits for the image', () => {
    const text = pod({ image: 'example.com/other:1', containerSc: 'runAsNonRoot: true' });
    const { contexts, findings } = analyze(text, { images: indexed() });
    assert.deepStrictEqual(
      { uid: contexts[0].user.value, source: contexts[0].user.source, gid: contexts[0].group.value, verdict: contexts[0].runAsNonRoot.verdict, rootFindings: findings.filter((f) => f.rule === 'run-as-root').length },
      { uid: undefined, source: 'image', gid: undefined, verdict: 'unknown', rootFindings: 0 },
    );
  });

  test('runAsGroup still wins over the image\'s /etc/passwd', () => {
    const text = pod({ image: 'example.com/app:1', containerSc: 'runAsUser: 1000\nrunAsGroup: 3000' });
    assert.deepStrictEqual(only(text, { images: indexed() }).group, { value: 3000, source: 'container', field: 'securityContext.runAsGroup', span: spanOf(text, 'runAsGroup'), note: undefined });
  });
});

describe('capabilities and privilege escalation', () => {
  interface Case {
    readonly name: string;
    readonly text: string;
    readonly runtime?: Runtime;
    readonly expected: Pick<Projection, 'user' | 'bounding' | 'effective' | 'allowPrivilegeEscalation'>;
  }
  const ALL41 = ['CHOWN', 'DAC_OVERRIDE', 'DAC_READ_SEARCH', 'FOWNER', 'FSETID', 'KILL', 'SETGID', 'SETUID', 'SETPCAP', 'LINUX_IMMUTABLE', 'NET_BIND_SERVICE', 'NET_BROADCAST', 'NET_ADMIN', 'NET_RAW', 'IPC_LOCK', 'IPC_OWNER', 'SYS_MODULE', 'SYS_RAWIO', 'SYS_CHROOT', 'SYS_PTRACE', 'SYS_PACCT', 'SYS_ADMIN', 'SYS_BOOT', 'SYS_NICE', 'SYS_RESOURCE', 'SYS_TIME', 'SYS_TTY_CONFIG', 'MKNOD', 'LEASE', 'AUDIT_WRITE', 'AUDIT_CONTROL', 'SETFCAP', 'MAC_OVERRIDE', 'MAC_ADMIN', 'SYSLOG', 'WAKE_ALARM', 'BLOCK_SUSPEND', 'AUDIT_READ', 'PERFMON', 'BPF', 'CHECKPOINT_RESTORE'];
  const cases: Case[] = [
    { name: 'root keeps the runtime defaults as its effective set', text: pod(), expected: { user: 0, bounding: DEFAULTS, effective: DEFAULTS, allowPrivilegeEscalation: true } },
    { name: 'a non-root uid starts with no effective capabilities', text: pod({ containerSc: 'runAsUser: 1000' }), expected: { user: 1000, bounding: DEFAULTS, effective: [], allowPrivilegeEscalation: true } },
    { name: 'drop ALL, add NET_BIND_SERVICE, no escalation', text: pod({ containerSc: 'allowPrivilegeEscalation: false\ncapabilities:\n  drop: [ALL]\n  add: [NET_BIND_SERVICE]' }), expected: { user: 0, bounding: ['NET_BIND_SERVICE'], effective: ['NET_BIND_SERVICE'], allowPrivilegeEscalation: false } },
    { name: 'explicit allowPrivilegeEscalation: true', text: pod({ containerSc: 'runAsUser: 1000\nallowPrivilegeEscalation: true' }), expected: { user: 1000, bounding: DEFAULTS, effective: [], allowPrivilegeEscalation: true } },
    { name: 'privileged: all 41', text: pod({ containerSc: 'privileged: true\ncapabilities:\n  drop: [ALL]' }), expected: { user: 0, bounding: ALL41, effective: ALL41, allowPrivilegeEscalation: true } },
    { name: 'privileged with allowPrivilegeEscalation: false keeps what is written (the API rejects it)', text: pod({ containerSc: 'privileged: true\nallowPrivilegeEscalation: false' }), expected: { user: 0, bounding: ALL41, effective: ALL41, allowPrivilegeEscalation: false } },
    { name: 'containerd does not grant CAP_-prefixed names', text: pod({ containerSc: 'capabilities:\n  drop: [ALL]\n  add: [CAP_NET_ADMIN]' }), expected: { user: 0, bounding: [], effective: [], allowPrivilegeEscalation: true } },
    { name: 'CRI-O grants CAP_-prefixed names', runtime: 'cri-o', text: pod({ containerSc: 'capabilities:\n  drop: [ALL]\n  add: [CAP_NET_ADMIN]' }), expected: { user: 0, bounding: ['NET_ADMIN'], effective: ['NET_ADMIN'], allowPrivilegeEscalation: true } },
    { name: 'Docker: add wins over drop', runtime: 'docker', text: pod({ containerSc: 'capabilities:\n  add: [SYS_TIME]\n  drop: [SYS_TIME, NET_RAW]' }), expected: { user: 0, bounding: ['CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'SETGID', 'SETUID', 'SETPCAP', 'NET_BIND_SERVICE', 'SYS_CHROOT', 'SYS_TIME', 'MKNOD', 'AUDIT_WRITE', 'SETFCAP'], effective: ['CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'SETGID', 'SETUID', 'SETPCAP', 'NET_BIND_SERVICE', 'SYS_CHROOT', 'SYS_TIME', 'MKNOD', 'AUDIT_WRITE', 'SETFCAP'], allowPrivilegeEscalation: true } },
    { name: 'containerd: drop wins over add', text: pod({ containerSc: 'capabilities:\n  add: [SYS_TIME]\n  drop: [SYS_TIME, NET_RAW]' }), expected: { user: 0, bounding: DEFAULTS.filter((c) => c !== 'NET_RAW'), effective: DEFAULTS.filter((c) => c !== 'NET_RAW'), allowPrivilegeEscalation: true } },
    { name: 'pod-level capabilities are not applied', text: pod({ podSc: 'capabilities:\n  add: [SYS_ADMIN]' }), expected: { user: 0, bounding: DEFAULTS, effective: DEFAULTS, allowPrivilegeEscalation: true } },
    { name: 'an image that runs as root keeps the bounding set', text: pod({ image: 'example.com/root', containerSc: 'capabilities:\n  drop: [ALL]\n  add: [CHOWN]' }), expected: { user: 0, bounding: ['CHOWN'], effective: ['CHOWN'], allowPrivilegeEscalation: true } },
    { name: 'an image user with unknown uid has no effective set', text: pod({ image: 'example.com/named-unknown' }), expected: { user: null, bounding: DEFAULTS, effective: [], allowPrivilegeEscalation: true } },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const { user, bounding, effective, allowPrivilegeEscalation } = project(only(c.text, c.runtime ? { runtime: c.runtime } : {}));
      assert.deepStrictEqual({ user, bounding, effective, allowPrivilegeEscalation }, c.expected);
    });
  }
});

describe('runAsNonRoot: the kubelet\'s verdict', () => {
  interface Case {
    readonly name: string;
    readonly text: string;
    readonly expected: { verdict: RunAsNonRootVerdict; message?: string };
  }
  const ROOT = 'container has runAsNonRoot and image will run as root';
  const cases: Case[] = [
    { name: 'not set: not required', text: pod({ image: 'example.com/root' }), expected: { verdict: 'not-required' } },
    { name: 'container false overrides pod true: not required', text: pod({ podSc: 'runAsNonRoot: true', containerSc: 'runAsNonRoot: false', image: 'example.com/root' }), expected: { verdict: 'not-required' } },
    { name: 'explicit uid 0 fails whatever the image', text: pod({ podSc: 'runAsNonRoot: true', containerSc: 'runAsUser: 0', image: 'example.com/numeric' }), expected: { verdict: 'fail', message: "container's runAsUser breaks non-root policy" } },
    { name: 'explicit pod uid > 0 passes even with a named image user', text: pod({ podSc: 'runAsNonRoot: true\nrunAsUser: 1000', image: 'example.com/named' }), expected: { verdict: 'pass' } },
    { name: 'container runAsNonRoot with a container uid', text: pod({ containerSc: 'runAsNonRoot: true\nrunAsUser: 1000' }), expected: { verdict: 'pass' } },
    { name: 'image with a numeric USER passes', text: pod({ podSc: 'runAsNonRoot: true', image: 'example.com/numeric:2' }), expected: { verdict: 'pass' } },
    { name: 'image with a named USER cannot be verified', text: pod({ podSc: 'runAsNonRoot: true', image: 'example.com/named:2' }), expected: { verdict: 'unverifiable', message: 'container has runAsNonRoot and image has non-numeric user (app), cannot verify user is non-root' } },
    { name: 'image with USER 0 fails', text: pod({ podSc: 'runAsNonRoot: true', image: 'example.com/root' }), expected: { verdict: 'fail', message: ROOT } },
    { name: 'image without USER fails', text: pod({ podSc: 'runAsNonRoot: true', image: 'example.com/nouser' }), expected: { verdict: 'fail', message: ROOT } },
    { name: 'image not known: unknown until the kubelet checks', text: pod({ podSc: 'runAsNonRoot: true', image: 'registry.example.com/team/api:1.27' }), expected: { verdict: 'unknown', message: 'the image user is not known: the kubelet checks it when the container starts' } },
    // The well-known base-image table answers with lookups off: nginx's config sets no User, so getImageUser gives uid 0.
    { name: 'image in the well-known table (nginx: no USER) fails', text: pod({ podSc: 'runAsNonRoot: true', image: 'docker.io/library/nginx:1.27' }), expected: { verdict: 'fail', message: ROOT } },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const { verdict, message } = only(c.text).runAsNonRoot;
      assert.deepStrictEqual({ verdict, ...(message === undefined ? {} : { message }) }, c.expected);
    });
  }

  const direct: { name: string; args: Parameters<typeof kubeletVerdict>; expected: ReturnType<typeof kubeletVerdict> }[] = [
    { name: 'not required', args: [false, 0, undefined], expected: { verdict: 'not-required' } },
    { name: 'USER uid:gid is read by its uid', args: [true, undefined, { spec: '0:1000', note: '', dockerfile: 'Dockerfile' }], expected: { verdict: 'fail', message: ROOT } },
    { name: 'USER name:group is a name', args: [true, undefined, { spec: 'nobody:nogroup', note: '', dockerfile: 'Dockerfile' }], expected: { verdict: 'unverifiable', message: 'container has runAsNonRoot and image has non-numeric user (nobody), cannot verify user is non-root' } },
    { name: 'USER root is a name too', args: [true, undefined, { spec: 'root', note: '', dockerfile: 'Dockerfile' }], expected: { verdict: 'unverifiable', message: 'container has runAsNonRoot and image has non-numeric user (root), cannot verify user is non-root' } },
    { name: 'empty USER is root', args: [true, undefined, { spec: '', note: '', dockerfile: 'Dockerfile' }], expected: { verdict: 'fail', message: ROOT } },
  ];
  for (const c of direct) test(`kubeletVerdict: ${c.name}`, () => assert.deepStrictEqual(kubeletVerdict(...c.args), c.expected));
});

describe('workload kinds', () => {
  const podSpec = yaml('containers:', '  - name: app', '    image: app:1');
  const templated = (apiVersion: string, kind: string) => yaml(`apiVersion: ${apiVersion}`, `kind: ${kind}`, 'metadata:', '  name: w', 'spec:', '  template:', '    spec:', indent(podSpec, 6).trimEnd());
  const cases: { kind: string; text: string; expected: string[] }[] = [
    { kind: 'Pod', text: yaml('apiVersion: v1', 'kind: Pod', 'metadata:', '  name: w', 'spec:', indent(podSpec, 2).trimEnd()), expected: ['Pod/w app container'] },
    { kind: 'Deployment', text: templated('apps/v1', 'Deployment'), expected: ['Deployment/w app container'] },
    { kind: 'ReplicaSet', text: templated('apps/v1', 'ReplicaSet'), expected: ['ReplicaSet/w app container'] },
    { kind: 'StatefulSet', text: templated('apps/v1', 'StatefulSet'), expected: ['StatefulSet/w app container'] },
    { kind: 'DaemonSet', text: templated('apps/v1', 'DaemonSet'), expected: ['DaemonSet/w app container'] },
    { kind: 'Job', text: templated('batch/v1', 'Job'), expected: ['Job/w app container'] },
    { kind: 'ReplicationController', text: templated('v1', 'ReplicationController'), expected: ['ReplicationController/w app container'] },
    { kind: 'CronJob', text: yaml('apiVersion: batch/v1', 'kind: CronJob', 'metadata:', '  name: w', 'spec:', '  schedule: "@daily"', '  jobTemplate:', '    spec:', '      template:', '        spec:', indent(podSpec, 10).trimEnd()), expected: ['CronJob/w app container'] },
    { kind: 'PodTemplate', text: yaml('apiVersion: v1', 'kind: PodTemplate', 'metadata:', '  name: w', 'template:', '  spec:', indent(podSpec, 4).trimEnd()), expected: ['PodTemplate/w app container'] },
    { kind: 'any kind with spec.template.spec.containers', text: templated('argoproj.io/v1alpha1', 'Rollout'), expected: ['Rollout/w app container'] },
    { kind: 'generateName', text: yaml('apiVersion: v1', 'kind: Pod', 'metadata:', '  generateName: w-', 'spec:', indent(podSpec, 2).trimEnd()), expected: ['Pod/w- app container'] },
    { kind: 'Service (no pod)', text: yaml('apiVersion: v1', 'kind: Service', 'metadata:', '  name: w', 'spec:', '  template:', '    spec: {}'), expected: [] },
    { kind: 'ConfigMap', text: yaml('apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: w', 'data:', '  spec: "containers: []"'), expected: [] },
  ];
  for (const c of cases) {
    test(c.kind, () => assert.deepStrictEqual(analyze(c.text).contexts.map((x) => `${x.workload} ${x.name} ${x.kind}`), c.expected));
  }

  test('containers, init containers (sidecars too) and ephemeral containers', () => {
    const text = yaml(
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: p',
      'spec:',
      '  ephemeralContainers:',
      '    - name: debugger',
      '      image: busybox',
      '      securityContext:',
      '        runAsUser: 3',
      '  containers:',
      '    - name: main',
      '      image: app',
      '      securityContext:',
      '        runAsUser: 1',
      '  initContainers:',
      '    - name: migrate',
      '      image: app',
      '      securityContext:',
      '        runAsUser: 2',
      '    - name: proxy',
      '      image: envoy',
      '      restartPolicy: Always',
      '      securityContext:',
      '        capabilities:',
      '          drop: [ALL]',
      '    - image: unnamed',
    );
    const lines = new LineIndex(text);
    assert.deepStrictEqual(
      analyze(text).contexts.map((c) => ({ name: c.name, kind: c.kind, line: lines.position(c.nameSpan.start).line, user: c.user.value, bounding: c.capabilities?.bounding.length })),
      [
        { name: 'migrate', kind: 'initContainer', line: 17, user: 2, bounding: 14 },
        { name: 'proxy', kind: 'initContainer', line: 21, user: undefined, bounding: 0 },
        { name: 'initContainers[2]', kind: 'initContainer', line: 27, user: undefined, bounding: 14 },
        { name: 'main', kind: 'container', line: 12, user: 1, bounding: 14 },
        { name: 'debugger', kind: 'ephemeralContainer', line: 7, user: 3, bounding: 14 },
      ],
    );
  });
});

describe('files: streams, Lists, templates, syntax errors, other YAML', () => {
  const podDoc = (name: string, extra: string[] = []) => yaml('apiVersion: v1', 'kind: Pod', 'metadata:', `  name: ${name}`, 'spec:', '  containers:', `    - name: ${name}-c`, '      image: app:1', ...extra);
  /** Container findings and contexts by line, so shifted document offsets are checked too. */
  function summary(text: string) {
    const lines = new LineIndex(text);
    const a = analyze(text);
    return {
      contexts: a.contexts.map((c) => `${lines.position(c.nameSpan.start).line}: ${c.workload} ${text.slice(c.nameSpan.start, c.nameSpan.end)}`),
      findings: a.findings.filter((f) => f.rule !== 'run-as-non-root' && f.rule !== 'seccomp-profile-required' && f.rule !== 'privilege-escalation' && f.rule !== 'restricted-capabilities').map((f) => `${lines.position(f.span.start).line}: ${f.rule}`),
    };
  }

  test('every document of a multi-document file, with file lines', () => {
    const text = '---\n' + podDoc('a') + '---\n' + yaml('apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: cm') + '---\n' + podDoc('b', ['      securityContext:', '        runAsUser: 0']) + '...\n';
    assert.deepStrictEqual(summary(text), {
      contexts: ['8: Pod/a a-c', '22: Pod/b b-c'],
      // run-as-user-zero yields to run-as-root at the same runAsUser: 0 (one finding per cause and place).
      findings: ['25: run-as-root'],
    });
  });

  test('List and *List items', () => {
    const text = yaml(
      'apiVersion: v1',
      'kind: List',
      'items:',
      indent(podDoc('a'), 2).replace(/^ {2}apiVersion/, '- apiVersion').trimEnd(),
      '- apiVersion: apps/v1',
      '  kind: DeploymentList',
      '  items:',
      '  - apiVersion: apps/v1',
      '    kind: Deployment',
      '    metadata: {name: d}',
      '    spec:',
      '      template:',
      '        spec:',
      '          containers: [{name: d-c, image: app}]',
    );
    assert.deepStrictEqual(summary(text).contexts, ['10: Pod/a a-c', '21: Deployment/d d-c']);
  });

  test('Helm-templated documents are skipped without findings; the others are analysed', () => {
    const text = podDoc('a', ['      securityContext:', '        runAsUser: 0']) + '---\n' + yaml(
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: {{ .Release.Name }}',
      'spec:',
      '  securityContext:',
      '    capabilities: {add: [SYS_ADMIN]}',
      '  containers:',
      '    - name: c',
      '      image: "{{ .Values.image }}"',
      '      securityContext:',
      '        runAsUser: 0',
    );
    assert.deepStrictEqual(summary(text), { contexts: ['7: Pod/a a-c'], findings: ['10: run-as-root'] });
  });

  test('non-Kubernetes YAML gets no findings and no contexts', () => {
    const texts = [
      yaml('name: CI', 'on: [push]', 'jobs:', '  build:', '    runs-on: ubuntu-latest', '    container:', '      securityContext:', '        privileged: true'),
      yaml('spec:', '  containers:', '    - name: x', '      securityContext:', '        capabilities: {add: [CAP_SYS_ADMIN]}'),
      yaml('- a', '- b: [', ''),
      '',
    ];
    for (const text of texts) assert.deepStrictEqual(analyze(text).findings.length + analyze(text).contexts.length, 0, text);
  });

  test('a syntax error is reported once per document; the other documents are still analysed', () => {
    const broken = yaml('apiVersion: v1', 'kind: Pod', 'metadata:', '  name: broken', '  labels: {a: [}', '  annotations: {b: [}', 'spec: {}');
    const text = podDoc('a') + '---\n' + broken + '---\n' + podDoc('b', ['      securityContext:', '        runAsUser: 0']);
    const a = analyze(text);
    const lines = new LineIndex(text);
    assert.deepStrictEqual(
      a.findings.filter((f) => f.rule === 'yaml-syntax').map((f) => ({ line: lines.position(f.span.start).line, severity: f.severity, message: f.message.split(':')[0] })),
      [{ line: 14, severity: 'error', message: 'YAML syntax error' }],
    );
    assert.deepStrictEqual(summary(text).contexts, ['7: Pod/a a-c', '24: Pod/b b-c']);
    assert.deepStrictEqual(summary(text).findings.filter((f) => !f.endsWith('yaml-syntax')), ['27: run-as-root']);
  });

  const syntaxCases: { name: string; file: string; text: string; expected: string[] }[] = [
    { name: 'a mis-indented kind', file: 'pod.yaml', text: yaml('apiVersion: v1', ' kind: Pod', 'metadata:', '  name: x'), expected: ['1: Nested mappings are not allowed in compact mappings'] },
    { name: 'a JSON manifest', file: 'pod.json', text: '{"apiVersion": "v1", "kind": "Pod",\n "spec": {"containers": [{"name": "c" "image": "i"}]}}\n', expected: ['2: Unexpected double-quoted-scalar token'] },
    { name: 'YAML that is not a Kubernetes resource', file: 'ci.yaml', text: yaml('name: ci', 'on: [push', 'jobs: {}'), expected: [] },
  ];
  for (const c of syntaxCases) {
    test(`syntax error in ${c.name}`, () => {
      const lines = new LineIndex(c.text);
      const found = new Analyzer().analyze(c.file, c.text, { ...DEFAULT_OPTIONS, images }).findings.filter((f) => f.rule === 'yaml-syntax');
      assert.deepStrictEqual(found.map((f) => `${lines.position(f.span.start).line}: ${f.message.replace('YAML syntax error: ', '')}`), c.expected);
    });
  }

  test('editing one document reanalyses only that document', () => {
    const analyzer = new Analyzer();
    const options = { ...DEFAULT_OPTIONS, images };
    const text = podDoc('a') + '---\n' + podDoc('b') + '---\n' + podDoc('c');
    analyzer.analyze('s.yaml', text, options);
    assert.equal(analyzer.lastReanalysed, 3);
    const edited = text.replace('    - name: b-c\n      image: app:1\n', '    - name: b-c\n      image: app:1\n      securityContext:\n        runAsUser: 7\n');
    const a = analyzer.analyze('s.yaml', edited, options);
    assert.deepStrictEqual({ reanalysed: analyzer.lastReanalysed, users: a.contexts.map((c) => [c.name, c.user.value]) }, { reanalysed: 1, users: [['a-c', undefined], ['b-c', 7], ['c-c', undefined]] });
  });
});

describe('Windows pods', () => {
  test('no capability analysis; the user is the runAsUserName account and the verdict the Windows kubelet\'s', () => {
    const text = pod({ spec: 'os:\n  name: windows', podSc: 'runAsNonRoot: true\nwindowsOptions:\n  runAsUserName: ContainerUser', containerSc: 'capabilities:\n  add: [CAP_SYS_ADMIN, NET_ADMN, chown]' });
    const c = only(text);
    assert.deepStrictEqual({ windows: c.windows, ...project(c) }, {
      windows: true, workload: 'Pod/demo', container: 'app', kind: 'container', user: null, userFrom: 'pod', group: null, groupFrom: 'default', supplementalGroups: [],
      bounding: null, effective: null, allowPrivilegeEscalation: true, runAsNonRoot: 'pass',
    });
    const capabilityRules = ['capability-prefix', 'unknown-capability', 'capability-case', 'redundant-capability'];
    assert.deepStrictEqual(analyze(text).findings.filter((f) => capabilityRules.includes(f.rule)).map((f) => f.rule), []);
  });

  test('a Linux os name keeps the analysis', () => {
    const c = only(pod({ spec: 'os:\n  name: linux' }));
    assert.deepStrictEqual({ windows: c.windows, bounding: c.capabilities?.bounding }, { windows: false, bounding: DEFAULTS });
  });
});
