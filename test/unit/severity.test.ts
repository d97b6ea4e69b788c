/**
 * What the profile, per-rule settings and the Kubernetes version do to the findings of one manifest.
 * Whole finding lists (rule, severity, message) in report order.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Analyzer } from '../../server/src/engine/analyze';
import { DEFAULT_OPTIONS, type AnalysisOptions } from '../../server/src/engine/options';
import type { Severity } from '../../server/src/engine/types';

/** An error, baseline warnings, restricted infos and one non-PSS info. */
const MANIFEST = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  hostPID: true
  securityContext:
    runAsUser: 0
    capabilities:
      add: ["SYS_TIME"]
  containers:
    - name: web
      image: web:1
      securityContext:
        seccompProfile:
          type: Unconfined
        capabilities:
          add: ["NET_ADMIN", "CHOWN"]
`;

interface Reported {
  readonly rule: string;
  readonly severity: Severity;
  readonly message: string;
}

function findings(options: Partial<AnalysisOptions>): Reported[] {
  return new Analyzer()
    .analyze('pod.yaml', MANIFEST, { ...DEFAULT_OPTIONS, ...options })
    .findings.map(({ rule, severity, message }) => ({ rule, severity, message }));
}

// Messages: plain English, per upstream check (k8s.io/pod-security-admission policy/check_*.go); the admission
// controller's words are in each finding's `pss` data.
// check_hostNamespaces.go hostNamespaces_1_0
const HOST_PID: Reported = {
  rule: 'host-namespaces',
  severity: 'warning',
  message: 'The pod shares the node\'s process table: its containers see every process on the node and can signal or trace those of the same user. The baseline profile forbids hostPID.',
};
const RUN_AS_ROOT: Reported = { rule: 'run-as-root', severity: 'warning', message: 'Container "web" runs as root (uid 0): runAsUser: 0 is set in the pod securityContext.' };
/** check_runAsUser.go runAsUser_1_23: said by run-as-root where the uid applies (one finding per cause and place), so only when that rule is off. */
const RUN_AS_USER_ZERO: Reported = {
  rule: 'run-as-user-zero',
  severity: 'info',
  message: 'The pod securityContext sets runAsUser 0: every container that does not set its own runAsUser runs as root. The restricted profile forbids uid 0, even where a container overrides it.',
};
const POD_CAPABILITIES: Reported = {
  rule: 'capabilities-at-pod-level',
  severity: 'error',
  message:
    'capabilities is not a pod-level securityContext field: the API server rejects it under strict field validation or drops it, ' +
    'so container "web" does not get these capabilities (+SYS_TIME). Set them in each container\'s securityContext.',
};
// check_allowPrivilegeEscalation.go allowPrivilegeEscalation_1_8
const PRIVILEGE_ESCALATION: Reported = {
  rule: 'privilege-escalation',
  severity: 'info',
  message: 'Container "web" can gain more privileges than its parent process (setuid binaries, file capabilities): allowPrivilegeEscalation is not set (true). The restricted profile requires false.',
};
// check_runAsNonRoot.go runAsNonRoot_1_0 (one container: reported on it)
const RUN_AS_NON_ROOT: Reported = {
  rule: 'run-as-non-root',
  severity: 'info',
  message: 'Container "web" may run as root: runAsNonRoot is not set, so an image without a non-root USER starts as uid 0. The restricted profile requires runAsNonRoot: true.',
};
// check_seccompProfile_baseline.go seccompProfileBaseline_1_19; check_seccompProfile_restricted.go seccompProfileRestricted_1_19 (its own level)
const unconfined = (level: string): string =>
  `Container "web" runs without a seccomp filter (seccompProfile type Unconfined): every system call of the node's kernel is reachable, including those the runtime's default profile blocks. The ${level} profile allows only RuntimeDefault or Localhost.`;
const SECCOMP_UNCONFINED: Reported = { rule: 'seccomp-unconfined', severity: 'warning', message: unconfined('baseline') };
/**
 * One finding at `capabilities` (drop ALL missing) and one at the CHOWN entry (allowed at baseline,
 * not at restricted): each says its own cause, not the whole upstream detail.
 */
// check_capabilities_restricted.go capabilitiesRestricted_1_22
const RESTRICTED_CAPABILITIES: Reported = {
  rule: 'restricted-capabilities',
  severity: 'info',
  message: 'Container "web" keeps the runtime\'s default capabilities (CHOWN, DAC_OVERRIDE, SETUID, NET_RAW, …). The restricted profile requires dropping ALL.',
};
const RESTRICTED_CAPABILITIES_CHOWN: Reported = {
  rule: 'restricted-capabilities',
  severity: 'info',
  message: 'Container "web" adds CHOWN. The restricted profile allows adding only NET_BIND_SERVICE.',
};
// check_capabilities_baseline.go capabilitiesBaseline_1_0
const DANGEROUS_CAPABILITY: Reported = {
  rule: 'dangerous-capability',
  severity: 'warning',
  message: 'Container "web" adds NET_ADMIN: can rewrite iptables/nftables, routes and interfaces of the network namespace; with hostNetwork, of the node. The baseline profile forbids adding it.',
};
const REDUNDANT_CAPABILITY: Reported = { rule: 'redundant-capability', severity: 'info', message: 'CHOWN is already in containerd\'s default capability set: adding it changes nothing.' };

describe('profiles', () => {
  test('restricted (the default) reports everything, baseline violations as warnings and restricted-only ones as info', () => {
    assert.deepStrictEqual(findings({}), [
      HOST_PID,
      RUN_AS_ROOT,
      POD_CAPABILITIES,
      PRIVILEGE_ESCALATION,
      RUN_AS_NON_ROOT,
      SECCOMP_UNCONFINED,
      RESTRICTED_CAPABILITIES,
      DANGEROUS_CAPABILITY,
      REDUNDANT_CAPABILITY,
      RESTRICTED_CAPABILITIES_CHOWN,
    ]);
  });

  test('baseline hides restricted-only findings and keeps the rest, including infos that are not Pod Security findings', () => {
    assert.deepStrictEqual(findings({ profile: 'baseline' }), [
      HOST_PID,
      RUN_AS_ROOT,
      POD_CAPABILITIES,
      SECCOMP_UNCONFINED,
      DANGEROUS_CAPABILITY,
      REDUNDANT_CAPABILITY,
    ]);
  });

  test('privileged keeps only errors', () => {
    assert.deepStrictEqual(findings({ profile: 'privileged' }), [POD_CAPABILITIES]);
  });
});

describe('per-rule settings', () => {
  test('off removes a rule, a severity replaces the default; turning a baseline rule off lets its restricted counterpart report the field', () => {
    assert.deepStrictEqual(findings({ rules: { 'seccomp-unconfined': 'off', 'privilege-escalation': 'error', 'redundant-capability': 'off' } }), [
      HOST_PID,
      RUN_AS_ROOT,
      POD_CAPABILITIES,
      { ...PRIVILEGE_ESCALATION, severity: 'error' },
      RUN_AS_NON_ROOT,
      { rule: 'seccomp-profile-required', severity: 'info', message: unconfined('restricted') },
      RESTRICTED_CAPABILITIES,
      DANGEROUS_CAPABILITY,
      RESTRICTED_CAPABILITIES_CHOWN,
    ]);
  });

  test('run-as-user-zero says the pod\'s runAsUser: 0 only where run-as-root does not (one finding per cause and place)', () => {
    assert.deepStrictEqual(findings({ rules: { 'run-as-root': 'off' } }).filter((f) => f.rule.startsWith('run-as')), [RUN_AS_USER_ZERO, RUN_AS_NON_ROOT]);
  });

  test('an explicit severity wins over the privileged profile', () => {
    assert.deepStrictEqual(findings({ profile: 'privileged', rules: { 'run-as-root': 'warning', 'redundant-capability': 'info' } }), [
      RUN_AS_ROOT,
      POD_CAPABILITIES,
      REDUNDANT_CAPABILITY,
    ]);
  });

  test('at baseline, settings change and remove baseline findings too', () => {
    assert.deepStrictEqual(findings({ profile: 'baseline', rules: { 'dangerous-capability': 'error', 'host-namespaces': 'off' } }), [
      RUN_AS_ROOT,
      POD_CAPABILITIES,
      SECCOMP_UNCONFINED,
      { ...DANGEROUS_CAPABILITY, severity: 'error' },
      REDUNDANT_CAPABILITY,
    ]);
  });
});

describe('Kubernetes version (secctx.kubernetesVersion, --kubernetes-version)', () => {
  test('1.23 and later: as the newest version', () => {
    assert.deepStrictEqual(findings({ kubernetesVersion: '1.23' }), findings({}));
    assert.deepStrictEqual(findings({ kubernetesVersion: '1.30' }), findings({}));
  });

  test('1.22: no runAsUser check yet (it starts at 1.23)', () => {
    assert.deepStrictEqual(findings({ kubernetesVersion: '1.22' }), [
      HOST_PID,
      RUN_AS_ROOT,
      POD_CAPABILITIES,
      PRIVILEGE_ESCALATION,
      RUN_AS_NON_ROOT,
      SECCOMP_UNCONFINED,
      RESTRICTED_CAPABILITIES,
      DANGEROUS_CAPABILITY,
      REDUNDANT_CAPABILITY,
      RESTRICTED_CAPABILITIES_CHOWN,
    ]);
  });

  test('1.21: no capabilities_restricted either (it starts at 1.22); the baseline capabilities check still applies', () => {
    assert.deepStrictEqual(findings({ kubernetesVersion: '1.21' }), [
      HOST_PID,
      RUN_AS_ROOT,
      POD_CAPABILITIES,
      PRIVILEGE_ESCALATION,
      RUN_AS_NON_ROOT,
      SECCOMP_UNCONFINED,
      DANGEROUS_CAPABILITY,
      REDUNDANT_CAPABILITY,
    ]);
  });

  test('1.18: seccomp is judged by the annotations only, so the Unconfined field is not a finding', () => {
    assert.deepStrictEqual(findings({ kubernetesVersion: '1.18' }), [
      HOST_PID,
      RUN_AS_ROOT,
      POD_CAPABILITIES,
      PRIVILEGE_ESCALATION,
      RUN_AS_NON_ROOT,
      DANGEROUS_CAPABILITY,
      REDUNDANT_CAPABILITY,
    ]);
  });
});

describe('a rule that owns a baseline check and its restricted replacement (proc-mount)', () => {
  const unmasked = (spec: string): string =>
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: builder\nspec:\n${spec}  containers:\n    - name: builder\n      image: builder:1\n      securityContext:\n        procMount: Unmasked\n`;
  const procMount = (text: string, options: Partial<AnalysisOptions>): Reported[] =>
    new Analyzer()
      .analyze('pod.yaml', text, { ...DEFAULT_OPTIONS, ...options })
      .findings.filter((f) => f.rule === 'proc-mount')
      .map(({ rule, severity, message }) => ({ rule, severity, message }));
  // check_procMount_baseline.go procMount_1_0, check_procMount_restricted.go (1.35): the same cause, said once.
  const unmaskedProc = 'Container "builder" mounts /proc unmasked (procMount Unmasked): paths the runtime normally hides or makes read-only (/proc/kcore, /proc/sys, /proc/sysrq-trigger, …) become visible.';
  const message = `${unmaskedProc} The baseline profile requires the default /proc mount.`;
  const restrictedMessage = `${unmaskedProc} The restricted profile requires the default /proc mount, even with hostUsers: false.`;

  test('both checks flag the field at restricted: reported once, as the baseline warning', () => {
    assert.deepStrictEqual(procMount(unmasked(''), {}), [{ rule: 'proc-mount', severity: 'warning', message }]);
    assert.deepStrictEqual(procMount(unmasked(''), { profile: 'baseline' }), [{ rule: 'proc-mount', severity: 'warning', message }]);
  });

  test('from 1.35, in a pod with hostUsers: false, only restricted forbids it', () => {
    const inUserNamespace = unmasked('  hostUsers: false\n');
    assert.deepStrictEqual(procMount(inUserNamespace, {}), [{ rule: 'proc-mount', severity: 'info', message: restrictedMessage }]);
    assert.deepStrictEqual(procMount(inUserNamespace, { profile: 'baseline' }), []);
    assert.deepStrictEqual(procMount(inUserNamespace, { kubernetesVersion: '1.34' }), [{ rule: 'proc-mount', severity: 'warning', message }]);
  });
});
