/**
 * The fix safety audit (docs/rules/README.md, "Fix safety"), table-driven: a fix is safe only when no
 * container can do anything after it that it cannot do today, beyond what the author wrote. Each case
 * is a file, the rule, and every fix that rule offers there as [title, safety, preferred]; each cites
 * the upstream function that decides what the container may do today.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Analyzer } from '../../server/src/engine/analyze';
import { fixAll } from '../../server/src/engine/fixes/apply';
import { ImageIndex } from '../../server/src/engine/images/index';
import { DEFAULT_OPTIONS, type AnalysisOptions } from '../../server/src/engine/options';

function y(...lines: string[]): string {
  return lines.join('\n') + '\n';
}

/** A pod with a pod securityContext (lines under it) and one container securityContext (lines under it). */
function pod(podLines: readonly string[], containerLines: readonly string[]): string {
  return y(
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    '  name: p',
    'spec:',
    ...(podLines.length ? ['  securityContext:', ...podLines.map((l) => `    ${l}`)] : []),
    '  containers:',
    '    - name: app',
    '      image: app:1',
    ...(containerLines.length ? ['      securityContext:', ...containerLines.map((l) => `        ${l}`)] : []),
    '    - name: sidecar',
    '      image: sidecar:1',
  );
}

interface Case {
  readonly name: string;
  readonly file: string;
  readonly text: string;
  readonly rule: string;
  readonly options?: Partial<AnalysisOptions>;
  readonly fixes: readonly (readonly [string, 'safe' | 'unsafe', boolean])[];
}

const cases: readonly Case[] = [
  // kubelet AddNoNewPrivileges (pkg/securitycontext/util.go): no_new_privs only for an explicit false, so
  // allowPrivilegeEscalation: true is what an unset field means; a pod-level field reaches no container.
  { name: 'container-field-at-pod-level: privileged: true grants', file: 'p.yaml', text: pod(['privileged: true'], []), rule: 'container-field-at-pod-level',
    fixes: [['Move privileged to all containers', 'unsafe', true]] },
  { name: 'container-field-at-pod-level: procMount: Unmasked grants', file: 'p.yaml', text: pod(['procMount: Unmasked'], []), rule: 'container-field-at-pod-level',
    fixes: [['Move procMount to all containers', 'unsafe', true]] },
  { name: 'container-field-at-pod-level: readOnlyRootFilesystem: true narrows', file: 'p.yaml', text: pod(['readOnlyRootFilesystem: true'], []), rule: 'container-field-at-pod-level',
    fixes: [['Move readOnlyRootFilesystem to all containers', 'safe', true]] },
  { name: 'container-field-at-pod-level: allowPrivilegeEscalation: true is what unset means (AddNoNewPrivileges)', file: 'p.yaml', text: pod(['allowPrivilegeEscalation: true'], []), rule: 'container-field-at-pod-level',
    fixes: [['Move allowPrivilegeEscalation to all containers', 'safe', true]] },
  // At pod level, fsGroup and supplementalGroups are groups of every container process (kubelet
  // determineEffectiveSecurityContext → SupplementalGroups); sysctls are set in the pod's namespaces.
  { name: 'pod-field-at-container-level: supplementalGroups at pod level grants every container the groups', file: 'p.yaml', text: pod([], ['supplementalGroups: [4000]']), rule: 'pod-field-at-container-level',
    fixes: [['Move supplementalGroups to the pod securityContext', 'unsafe', true]] },
  { name: 'pod-field-at-container-level: fsGroupChangePolicy grants nothing', file: 'p.yaml', text: pod([], ['fsGroupChangePolicy: OnRootMismatch']), rule: 'pod-field-at-container-level',
    fixes: [['Move fsGroupChangePolicy to the pod securityContext', 'safe', true]] },
  // A misspelt key is dropped by the API server's decoding today; renamed, it takes effect.
  { name: 'unknown-security-context-field: privilegd: true renamed grants', file: 'p.yaml', text: pod([], ['privilegd: true']), rule: 'unknown-security-context-field',
    fixes: [['Rename to privileged', 'unsafe', true]] },
  { name: 'unknown-security-context-field: runAsNonroot: true renamed narrows', file: 'p.yaml', text: pod([], ['runAsNonroot: true']), rule: 'unknown-security-context-field',
    fixes: [['Rename to runAsNonRoot', 'safe', true]] },
  // The API server rejects the object today (an int64 cannot be decoded from a string): nothing runs.
  { name: 'invalid-value: privileged: "true" → true grants', file: 'p.yaml', text: pod([], ['privileged: "true"']), rule: 'invalid-value',
    fixes: [['Change to true', 'unsafe', true]] },
  { name: 'invalid-value: runAsUser: "0" → 0 grants root', file: 'p.yaml', text: pod([], ['runAsUser: "0"']), rule: 'invalid-value',
    fixes: [['Change to 0', 'unsafe', true]] },
  { name: 'invalid-value: runAsUser: "1000" → 1000 grants nothing', file: 'p.yaml', text: pod([], ['runAsUser: "1000"']), rule: 'invalid-value',
    fixes: [['Change to 1000', 'safe', true]] },
  // containerd (pkg/cri/opts WithCapabilities → "CAP_"+ToUpper) passes an unknown name on and runc ignores it.
  { name: 'unknown-capability: a corrected name in add grants', file: 'p.yaml', text: pod([], ['capabilities:', '  add: [NET_ADMN]']), rule: 'unknown-capability',
    fixes: [['Change to NET_ADMIN', 'unsafe', true]] },
  { name: 'unknown-capability: a corrected name in drop narrows', file: 'p.yaml', text: pod([], ['capabilities:', '  drop: [NET_ADMN]']), rule: 'unknown-capability',
    fixes: [['Change to NET_ADMIN', 'safe', true]] },
  // moby TweakCapabilities refuses an unknown name: the container is not created today.
  { name: 'unknown-capability: a corrected Compose cap_add grants', file: 'compose.yaml', text: y('services:', '  app:', '    image: app:1', '    cap_add: [NET_ADMN]'), rule: 'unknown-capability',
    fixes: [['Change to NET_ADMIN', 'unsafe', true]] },
  { name: 'unknown-capability: a corrected Compose cap_drop narrows', file: 'compose.yaml', text: y('services:', '  app:', '    image: app:1', '    cap_drop: [NET_ADMN]'), rule: 'unknown-capability',
    fixes: [['Change to NET_ADMIN', 'safe', true]] },
  // containerd prepends CAP_ (CAP_CAP_SYS_TIME, ignored); CRI-O strips the prefix (it already grants).
  { name: 'capability-prefix: add under containerd grants', file: 'p.yaml', text: pod([], ['capabilities:', '  add: [CAP_SYS_TIME]']), rule: 'capability-prefix',
    fixes: [['Change to SYS_TIME', 'unsafe', true]] },
  { name: 'capability-prefix: add under CRI-O changes nothing', file: 'p.yaml', text: pod([], ['capabilities:', '  add: [CAP_SYS_TIME]']), rule: 'capability-prefix', options: { runtime: 'cri-o' },
    fixes: [['Change to SYS_TIME', 'safe', true]] },
  // containerd and CRI-O drop a name both added and dropped; Docker adds it (moby TweakCapabilities):
  // with runtime docker the flagged entry is the drop, whose removal grants it under containerd and CRI-O.
  { name: 'redundant-capability: the add of a name both added and dropped (containerd) is safe to remove', file: 'p.yaml', text: pod([], ['capabilities:', '  add: [SYS_TIME]', '  drop: [SYS_TIME]']), rule: 'redundant-capability',
    fixes: [['Remove SYS_TIME', 'safe', true]] },
  { name: 'redundant-capability: the drop of a name both added and dropped (runtime docker) is unsafe to remove', file: 'p.yaml', text: pod([], ['capabilities:', '  add: [SYS_TIME]', '  drop: [SYS_TIME]']), rule: 'redundant-capability', options: { runtime: 'docker' },
    fixes: [['Remove SYS_TIME', 'unsafe', true]] },
];

describe('fix safety: a safe fix never grants', () => {
  for (const c of cases) {
    test(c.name, () => {
      const options = { ...DEFAULT_OPTIONS, ...c.options };
      const findings = new Analyzer().analyze(c.file, c.text, options).findings.filter((f) => f.rule === c.rule);
      assert.deepStrictEqual(findings.flatMap((f) => f.fixes.map((fix) => [fix.title, fix.safety, fix.preferred === true])), c.fixes);
    });
  }

  test('the pod-level capabilities move: unsafe with add (PodSecurityContext has no capabilities field), safe for drop alone', () => {
    const withAdd = new Analyzer().analyze('p.yaml', pod(['capabilities:', '  add: [NET_ADMIN]', '  drop: [MKNOD]'], []), DEFAULT_OPTIONS).findings.filter((f) => f.rule === 'capabilities-at-pod-level');
    const dropOnly = new Analyzer().analyze('p.yaml', pod(['capabilities:', '  drop: [MKNOD]'], []), DEFAULT_OPTIONS).findings.filter((f) => f.rule === 'capabilities-at-pod-level');
    assert.deepStrictEqual([withAdd, dropOnly].map((fs) => fs.flatMap((f) => f.fixes.map((fix) => [fix.title, fix.safety, fix.preferred === true]))), [
      [['Move capabilities to all containers', 'unsafe', true], ['Move capabilities to container "app" only', 'unsafe', false], ['Move capabilities to container "sidecar" only', 'unsafe', false]],
      [['Move capabilities to all containers', 'safe', true], ['Move capabilities to container "app" only', 'safe', false], ['Move capabilities to container "sidecar" only', 'safe', false]],
    ]);
  });

  test('fix-all (safe only) leaves every granting fix and applies the rest', () => {
    const before = pod(['capabilities:', '  add: [NET_ADMIN]'], ['privilegd: true', 'runAsNonroot: true']);
    const result = fixAll('p.yaml', before, DEFAULT_OPTIONS, { unsafe: false });
    assert.deepStrictEqual(result.applied.map((a) => `${a.rule}: ${a.title} (${a.safety})`), ['unknown-security-context-field: Rename to runAsNonRoot (safe)']);
  });

  // moby/sys/user GetExecUser: /etc/group memberships become supplementary groups only when no group is
  // given (`USER app`, `USER 1000`); `USER 1000:1000` keeps the primary group alone. So the numeric USER
  // written for a user with supplementary groups is the bare uid: the same ids and groups.
  test('run-as-non-root-violation: the Dockerfile\'s numeric USER keeps the user\'s groups (a bare uid)', () => {
    const index = new ImageIndex({ roots: ['/ws'] });
    index.update('/ws/.secctx.yaml', y('images:', '  example.com/member: member/Dockerfile', '  example.com/plain: plain/Dockerfile'));
    index.update('/ws/member/Dockerfile', y('FROM debian:12', 'RUN groupadd -g 1000 app && groupadd -g 2000 audit && useradd -u 1000 -g app -G audit app', 'USER app'));
    index.update('/ws/plain/Dockerfile', y('FROM debian:12', 'RUN groupadd -g 1000 app && useradd -u 1000 -g app app', 'USER app'));
    const fixesFor = (image: string) => {
      const text = y('apiVersion: v1', 'kind: Pod', 'metadata:', '  name: p', 'spec:', '  securityContext:', '    runAsNonRoot: true', '  containers:', '    - name: app', `      image: ${image}`);
      const findings = new Analyzer().analyze('/ws/k8s/p.yaml', text, { ...DEFAULT_OPTIONS, images: index.resolver('/ws/k8s/p.yaml') }).findings;
      return findings.filter((f) => f.rule === 'run-as-non-root-violation').flatMap((f) => f.fixes.map((fix) => [fix.title, fix.safety, fix.preferred === true]));
    };
    assert.deepStrictEqual([fixesFor('example.com/member'), fixesFor('example.com/plain')], [
      [['Run as uid 1000 (runAsUser: 1000)', 'unsafe', true], ['Use a numeric USER 1000 in Dockerfile', 'safe', false]],
      [['Run as uid 1000 (runAsUser: 1000)', 'unsafe', true], ['Use a numeric USER 1000:1000 in Dockerfile', 'safe', false]],
    ]);
  });
});
