/**
 * Pod Security findings in one voice: plain English that says what happens at run time and what the profile
 * requires, one finding per cause and place, and the admission controller's own words kept in `pss`.
 * Each expected message names, in a comment, the upstream function whose verdict it words
 * (kubernetes/pod-security-admission `policy/check_*.go`, ported in server/src/engine/pss/checks).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { runCli } from '../../server/src/cli/main';
import { Analyzer } from '../../server/src/engine/analyze';
import { DEFAULT_OPTIONS, type AnalysisOptions } from '../../server/src/engine/options';
import { PSS_CHECKS } from '../../server/src/engine/pss/index';
import { PSS_MESSAGE_CHECKS } from '../../server/src/engine/rules/pss-messages';
import { RULES } from '../../server/src/engine/rules/index';
import { TWO_CONTAINERS, TWO_CONTAINERS_EXPECTED } from '../support/pss-two-containers';

const dir = mkdtempSync(join(tmpdir(), 'secctx-pss-messages-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function cli(argv: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const code = await runCli(argv, { stdout: (s) => { stdout += s; }, stderr: () => {} });
  return { code, stdout };
}

interface JsonFinding { line: number; rule: string; message: string; pss?: { level: string; check: string; reason: string; detail: string } }

describe('the two-container Deployment', () => {
  test('check --format json: exactly one finding per cause and place, in plain English', async () => {
    const file = join(dir, 'two.yaml');
    writeFileSync(file, TWO_CONTAINERS);
    const { stdout } = await cli(['check', '--format', 'json', '--profile', 'restricted', file]);
    const findings = (JSON.parse(stdout) as { findings: JsonFinding[] }).findings;
    assert.deepStrictEqual(findings.map((f) => [f.line, f.rule, f.message]), TWO_CONTAINERS_EXPECTED);
  });

  test('the admission controller\'s words stay in pss: the whole detail on the pod, narrowed to the container elsewhere', async () => {
    const file = join(dir, 'two-pss.yaml');
    writeFileSync(file, TWO_CONTAINERS);
    const { stdout } = await cli(['check', '--format', 'json', file]);
    const findings = (JSON.parse(stdout) as { findings: JsonFinding[] }).findings;
    assert.deepStrictEqual(findings.map((f) => [f.line, f.pss]), [
      [7, { level: 'restricted', check: 'runAsNonRoot', reason: 'runAsNonRoot != true', detail: 'pod or containers "api", "metrics" must set securityContext.runAsNonRoot=true' }],
      [7, { level: 'restricted', check: 'seccompProfile_restricted', reason: 'seccompProfile', detail: 'pod or containers "api", "metrics" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"' }],
      [8, { level: 'baseline', check: 'hostNamespaces', reason: 'host namespaces', detail: 'hostNetwork=true' }],
      [12, { level: 'restricted', check: 'allowPrivilegeEscalation', reason: 'allowPrivilegeEscalation != false', detail: 'container "api" must set securityContext.allowPrivilegeEscalation=false' }],
      [13, { level: 'restricted', check: 'capabilities_restricted', reason: 'unrestricted capabilities', detail: 'container "api" must set securityContext.capabilities.drop=["ALL"]' }],
      [14, { level: 'baseline', check: 'capabilities_baseline', reason: 'non-default capabilities', detail: 'container "api" must not include "NET_ADMIN" in securityContext.capabilities.add' }],
      [15, { level: 'restricted', check: 'allowPrivilegeEscalation', reason: 'allowPrivilegeEscalation != false', detail: 'container "metrics" must set securityContext.allowPrivilegeEscalation=false' }],
      [15, { level: 'restricted', check: 'capabilities_restricted', reason: 'unrestricted capabilities', detail: 'container "metrics" must set securityContext.capabilities.drop=["ALL"]' }],
    ]);
  });

  test('SARIF keeps them in the result properties', async () => {
    const file = join(dir, 'two-sarif.yaml');
    writeFileSync(file, TWO_CONTAINERS);
    const { stdout } = await cli(['check', '--format', 'sarif', file]);
    const results = (JSON.parse(stdout) as { runs: { results: { ruleId: string; properties?: { pss?: unknown } }[] }[] }).runs[0].results;
    assert.deepStrictEqual(results.filter((r) => r.ruleId === 'host-namespaces').map((r) => r.properties), [
      { pss: { level: 'baseline', check: 'hostNamespaces', reason: 'host namespaces', detail: 'hostNetwork=true' } },
    ]);
  });

  test('--fix-unsafe closes each gap where it was reported: the pod-wide ones once, in the pod', async () => {
    const file = join(dir, 'two-fix.yaml');
    writeFileSync(file, TWO_CONTAINERS);
    await cli(['check', '--fix-unsafe', file]);
    const fixed = readFileSync(file, 'utf8');
    assert.equal(fixed, `${TWO_CONTAINERS.split('\n').slice(0, 12).join('\n')}
            capabilities:
              drop: ["ALL"]
            allowPrivilegeEscalation: false
        - name: metrics
          image: metrics:1
          securityContext:
            allowPrivilegeEscalation: false
            capabilities:
              drop: ["ALL"]
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
        seccompProfile:
          type: RuntimeDefault
`);
    // hostNetwork has no automatic fix (taking the node's network away is the user's decision).
    assert.deepStrictEqual(new Analyzer().analyze('two.yaml', fixed, DEFAULT_OPTIONS).findings.map((f) => f.rule), ['host-namespaces']);
  });
});

/** The one finding of `rule` for `text`: [line, message]. */
function said(rule: string, text: string, options: Partial<AnalysisOptions> = {}): [number, string][] {
  return new Analyzer()
    .analyze('pod.yaml', text, { ...DEFAULT_OPTIONS, ...options })
    .findings.filter((f) => f.rule === rule)
    .map((f) => [text.slice(0, f.span.start).split('\n').length, f.message]);
}

const pod = (spec: string, metadata = ''): string => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n${metadata}spec:\n${spec}`;
const app = (securityContext: string, extra = ''): string =>
  `  containers:\n    - name: app\n      image: app:1\n${extra}${securityContext ? `      securityContext:\n${securityContext}` : ''}`;

interface Case {
  readonly name: string;
  readonly rule: string;
  readonly text: string;
  readonly options?: Partial<AnalysisOptions>;
  readonly expected: [number, string][];
}

const CASES: readonly Case[] = [
  // check_hostNamespaces.go hostNamespaces_1_0
  { name: 'hostIPC', rule: 'host-namespaces', text: pod(`  hostIPC: true\n${app('')}`), expected: [[6, 'The pod shares the node\'s IPC namespace: its containers can read and write other workloads\' shared memory and message queues. The baseline profile forbids hostIPC.']] },
  // check_privileged.go privileged_1_0
  { name: 'privileged', rule: 'privileged', text: pod(app('        privileged: true\n')), expected: [[10, 'Container "app" is privileged: it gets every capability and the node\'s devices, without seccomp, AppArmor or SELinux confinement, so root in it is root on the node. The baseline profile forbids privileged containers.']] },
  // check_capabilities_baseline.go capabilitiesBaseline_1_0
  { name: 'a dangerous add', rule: 'dangerous-capability', text: pod(app('        capabilities:\n          add: [SYS_ADMIN]\n')), expected: [[11, 'Container "app" adds SYS_ADMIN: close to root on the node: mount filesystems, use many namespace and device operations; the basis of several container escapes. The baseline profile forbids adding it.']] },
  // capabilitiesBaseline_1_0 compares names exactly: a prefixed name (capability-prefix says what the runtime does with it)
  { name: 'a prefixed add', rule: 'dangerous-capability', text: pod(app('        capabilities:\n          add: [CAP_SYS_PTRACE]\n')), expected: [[11, 'Container "app" adds CAP_SYS_PTRACE, a name not on the baseline allow-list (admission compares names exactly, whatever the runtime makes of it). The baseline profile forbids adding it.']] },
  // check_capabilities_restricted.go capabilitiesRestricted_1_22: a drop list without ALL
  { name: 'drop without ALL', rule: 'restricted-capabilities', text: pod(app('        capabilities:\n          drop: [NET_RAW]\n')), expected: [[11, 'Container "app" drops only NET_RAW and keeps the rest of the runtime\'s default capabilities (CHOWN, DAC_OVERRIDE, SETUID, …). The restricted profile requires dropping ALL.']] },
  // capabilitiesRestricted_1_22 compares the literal "ALL"
  { name: 'drop: [all]', rule: 'restricted-capabilities', text: pod(app('        capabilities:\n          drop: [all]\n')), expected: [[11, 'Container "app" drops all: the runtime drops every capability, but admission compares names exactly. The restricted profile requires dropping ALL, spelled in capitals.']] },
  // capabilitiesRestricted_1_22: an add other than NET_BIND_SERVICE (that the baseline allows)
  { name: 'adding back CHOWN', rule: 'restricted-capabilities', text: pod(app('        capabilities:\n          drop: [ALL]\n          add: [CHOWN]\n')), expected: [[12, 'Container "app" adds CHOWN. The restricted profile allows adding only NET_BIND_SERVICE.']] },
  // check_hostPathVolumes.go hostPathVolumes_1_0
  { name: 'hostPath', rule: 'host-path-volume', text: pod(`${app('')}  volumes:\n    - name: data\n      hostPath:\n        path: /var/lib/data\n`), expected: [[11, 'Volume "data" mounts the node\'s /var/lib/data (hostPath): a container that mounts it reads, and unless read-only writes, the node\'s files. The baseline profile forbids hostPath volumes.']] },
  // check_restrictedVolumes.go restrictedVolumes_1_0
  { name: 'nfs', rule: 'restricted-volume-type', text: pod(`${app('')}  volumes:\n    - name: share\n      nfs:\n        server: nfs\n        path: /x\n`), expected: [[11, 'Volume "share" mounts nfs storage straight from the pod spec, outside any PersistentVolumeClaim. The restricted profile allows only configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected and secret volumes.']] },
  // check_hostPorts.go hostPorts_1_0
  { name: 'hostPort', rule: 'host-port', text: pod(app('', '      ports:\n        - containerPort: 80\n          hostPort: 8080\n')), expected: [[11, 'Container "app" opens port 8080 on the node\'s own address (hostPort): it is reachable wherever the node is, and takes that port on the node. The baseline profile forbids host ports.']] },
  // check_hostProbesAndHostLifecycle.go hostProbesAndHostLifecycle_1_34
  { name: 'probe host', rule: 'host-probe', text: pod(app('', '      readinessProbe:\n        tcpSocket:\n          host: 10.0.0.1\n          port: 80\n')), expected: [[11, 'Container "app" has the kubelet run its readinessProbe against 10.0.0.1: the kubelet connects there from the node, on the pod\'s behalf. The baseline profile forbids a host in probes and lifecycle handlers.']] },
  { name: 'lifecycle host', rule: 'host-probe', text: pod(app('', '      lifecycle:\n        preStop:\n          httpGet:\n            host: example.com\n            port: 80\n')), expected: [[12, 'Container "app" has the kubelet run its preStop hook against example.com: the kubelet connects there from the node, on the pod\'s behalf. The baseline profile forbids a host in probes and lifecycle handlers.']] },
  // check_appArmorProfile.go appArmorProfile_1_0: the pod field, and a container's beta annotation
  { name: 'AppArmor, pod field', rule: 'apparmor-profile', text: pod(`  securityContext:\n    appArmorProfile:\n      type: Unconfined\n${app('')}`), expected: [[8, 'The pod\'s containers run without the runtime\'s AppArmor confinement (appArmorProfile type Unconfined). The baseline profile allows only RuntimeDefault or Localhost.']] },
  { name: 'AppArmor, annotation', rule: 'apparmor-profile', text: pod(app(''), '  annotations:\n    container.apparmor.security.beta.kubernetes.io/app: unconfined\n'), expected: [[6, 'Container "app" runs without the runtime\'s AppArmor confinement (annotation container.apparmor.security.beta.kubernetes.io/app: unconfined). The baseline profile allows only runtime/default or localhost/<profile>.']] },
  // check_seLinuxOptions.go seLinuxOptions_1_31 (container_engine_t allowed from 1.31)
  { name: 'SELinux type', rule: 'selinux-options', text: pod(app('        seLinuxOptions:\n          type: spc_t\n')), expected: [[11, 'Container "app" runs with SELinux type spc_t instead of a container type: spc_t is not confined by SELinux at all. The baseline profile allows only container_t, container_init_t, container_kvm_t or container_engine_t.']] },
  // seLinuxOptions_1_0 before 1.31
  { name: 'SELinux type at 1.30', rule: 'selinux-options', options: { kubernetesVersion: '1.30' }, text: pod(app('        seLinuxOptions:\n          type: spc_t\n')), expected: [[11, 'Container "app" runs with SELinux type spc_t instead of a container type: spc_t is not confined by SELinux at all. The baseline profile allows only container_t, container_init_t, container_kvm_t.']] },
  { name: 'SELinux user', rule: 'selinux-options', text: pod(app('        seLinuxOptions:\n          user: system_u\n')), expected: [[11, 'Container "app" sets the SELinux user system_u instead of the runtime\'s container user, which the policy may confine less. The baseline profile forbids setting the SELinux user.']] },
  // check_procMount_baseline.go procMount_1_0
  { name: 'procMount', rule: 'proc-mount', text: pod(app('        procMount: Unmasked\n')), expected: [[10, 'Container "app" mounts /proc unmasked (procMount Unmasked): paths the runtime normally hides or makes read-only (/proc/kcore, /proc/sys, /proc/sysrq-trigger, …) become visible. The baseline profile requires the default /proc mount.']] },
  // check_seccompProfile_baseline.go seccompProfileBaseline_1_19: the pod field
  { name: 'seccomp Unconfined in the pod', rule: 'seccomp-unconfined', text: pod(`  securityContext:\n    seccompProfile:\n      type: Unconfined\n${app('')}`), expected: [[8, 'The pod\'s containers run without a seccomp filter (seccompProfile type Unconfined): every system call of the node\'s kernel is reachable, including those the runtime\'s default profile blocks. The baseline profile allows only RuntimeDefault or Localhost.']] },
  // seccompProfileBaseline_1_0: the annotations, before 1.19
  { name: 'seccomp annotation at 1.18', rule: 'seccomp-unconfined', options: { kubernetesVersion: '1.18' }, text: pod(app(''), '  annotations:\n    seccomp.security.alpha.kubernetes.io/pod: unconfined\n'), expected: [[6, 'The pod\'s containers run without a seccomp filter (annotation seccomp.security.alpha.kubernetes.io/pod: unconfined): every system call of the node\'s kernel is reachable, including those the runtime\'s default profile blocks. The baseline profile allows only runtime/default, docker/default or localhost/<profile>.']] },
  // check_seccompProfile_restricted.go seccompProfileRestricted_1_19: one container, no profile anywhere: on that container
  { name: 'no seccomp profile, one container', rule: 'seccomp-profile-required', text: pod(app('')), expected: [[7, 'Container "app" can make every system call of the node\'s kernel: no seccomp profile is set, which means Unconfined unless the kubelet defaults to RuntimeDefault. The restricted profile requires RuntimeDefault or Localhost.']] },
  // check_sysctls.go sysctls_1_0 … (the safe list of the version)
  { name: 'sysctl', rule: 'unsafe-sysctl', text: pod(`  securityContext:\n    sysctls:\n      - name: kernel.msgmax\n        value: "65536"\n${app('')}`), expected: [[8, 'The pod sets sysctl kernel.msgmax, which is not on the safe list: it may reach beyond the pod, to other pods or the node\'s kernel. The baseline profile allows only the safe sysctls (kernel.shm_rmid_forced, net.ipv4.ip_local_port_range, net.ipv4.ip_unprivileged_port_start, …).']] },
  // check_windowsHostProcess.go windowsHostProcess_1_0
  { name: 'HostProcess', rule: 'windows-host-process', text: pod(`  os:\n    name: windows\n${app('        windowsOptions:\n          hostProcess: true\n')}`), expected: [[13, 'Container "app" is a Windows HostProcess container: it runs on the node itself, with the node\'s network and file system and a node account. The baseline profile forbids HostProcess containers.']] },
  // check_allowPrivilegeEscalation.go allowPrivilegeEscalation_1_8: set to true
  { name: 'allowPrivilegeEscalation: true', rule: 'privilege-escalation', text: pod(app('        allowPrivilegeEscalation: true\n')), expected: [[10, 'Container "app" can gain more privileges than its parent process (setuid binaries, file capabilities): allowPrivilegeEscalation is true. The restricted profile requires false.']] },
  // check_runAsNonRoot.go runAsNonRoot_1_0: explicitly false, in a container and in the pod
  { name: 'runAsNonRoot: false in a container', rule: 'run-as-non-root', text: pod(app('        runAsNonRoot: false\n')), expected: [[10, 'Container "app" may run as root: runAsNonRoot is false, so the kubelet does not check the user. The restricted profile requires runAsNonRoot: true.']] },
  { name: 'runAsNonRoot: false in the pod', rule: 'run-as-non-root', text: pod(`  securityContext:\n    runAsNonRoot: false\n${app('')}`), expected: [[7, 'The pod\'s containers may run as root: runAsNonRoot is false, so the kubelet does not check the user. The restricted profile requires runAsNonRoot: true.']] },
  // runAsNonRoot_1_0: one container opts in, the other does not: the gap is that container's
  {
    name: 'runAsNonRoot set by one container of two',
    rule: 'run-as-non-root',
    text: pod('  containers:\n    - name: a\n      image: a:1\n      securityContext:\n        runAsNonRoot: true\n    - name: b\n      image: b:1\n'),
    expected: [[11, 'Container "b" may run as root: runAsNonRoot is not set, so an image without a non-root USER starts as uid 0. The restricted profile requires runAsNonRoot: true.']],
  },
  // check_runAsUser.go runAsUser_1_23: a pod-level 0 that every container overrides (run-as-root says the rest)
  { name: 'runAsUser: 0 in the pod, overridden', rule: 'run-as-user-zero', text: pod(`  securityContext:\n    runAsUser: 0\n${app('        runAsUser: 1000\n')}`), expected: [[7, 'The pod securityContext sets runAsUser 0: every container that does not set its own runAsUser runs as root. The restricted profile forbids uid 0, even where a container overrides it.']] },
];

describe('one message per upstream check, in plain English', () => {
  for (const c of CASES) test(c.name, () => assert.deepStrictEqual(said(c.rule, c.text, c.options), c.expected));

  test('every upstream check has a message builder', () => {
    assert.deepStrictEqual(PSS_CHECKS.map((c) => c.id).filter((id) => !PSS_MESSAGE_CHECKS.includes(id)), []);
  });

  test('no admission-controller jargon in the messages: no `!=`, no `securityContext.x=y`, no "must set"', () => {
    const messages = [...CASES.flatMap((c) => c.expected.map(([, m]) => m)), ...TWO_CONTAINERS_EXPECTED.map(([, , m]) => m)];
    assert.deepStrictEqual(messages.filter((m) => /!=|securityContext\.\w+=|must (not )?set|must not include/.test(m)), []);
  });

  test('every Pod Security rule\'s bad example speaks in the same voice', () => {
    const upstream = RULES.filter((r) => r.meta.pss).flatMap((r) => new Analyzer().analyze(r.meta.docs.bad.file, r.meta.docs.bad.code, DEFAULT_OPTIONS).findings.filter((f) => f.rule === r.meta.id && f.pss && f.message.startsWith(f.pss.reason)));
    assert.deepStrictEqual(upstream.map((f) => f.rule), []);
  });
});
