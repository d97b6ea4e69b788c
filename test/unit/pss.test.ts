/** Unit tests of the Pod Security Standards engine: whole messages, paths, versions and malformed input. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  LATEST_KUBE_VERSION,
  PSS_CHECKS,
  evaluatePodSecurity,
  formatPssViolation,
  formatPssViolations,
  parseKubeVersion,
} from '../../server/src/engine/pss/index';
import type { KubeVersion, PssViolation } from '../../server/src/engine/pss/index';
import type { PssLevel } from '../../server/src/engine/types';

function v(minor: number): KubeVersion {
  return { major: 1, minor };
}

function pod(spec: Record<string, unknown>, annotations?: Record<string, string>): unknown {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', annotations }, spec };
}

/** `check (level): reason (detail)` for each violation, in the admission controller's order. */
function messages(subject: unknown, level: PssLevel, version: KubeVersion): string[] {
  return evaluatePodSecurity(subject, level, version).map((x) => `${x.check} (${x.level}): ${formatPssViolation(x)}`);
}

/** A pod that passes restricted at every version, to which a case adds one problem. */
function restrictedPod(container: Record<string, unknown> = {}, spec: Record<string, unknown> = {}): unknown {
  return pod({
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [
      { name: 'a', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } }, ...container },
    ],
    ...spec,
  });
}

interface MessageCase {
  readonly name: string;
  readonly pod: unknown;
  readonly level: PssLevel;
  readonly version: KubeVersion;
  readonly expected: readonly string[];
}

const messageCases: readonly MessageCase[] = [
  {
    name: 'privileged init, regular and ephemeral containers are aggregated into one violation',
    pod: pod({
      initContainers: [{ name: 'init', securityContext: { privileged: true } }],
      containers: [{ name: 'b', securityContext: { privileged: true } }, { name: 'c', securityContext: { privileged: false } }],
      ephemeralContainers: [{ name: 'debug', securityContext: { privileged: true } }],
    }),
    level: 'baseline',
    version: LATEST_KUBE_VERSION,
    expected: [
      'privileged (baseline): privileged (containers "init", "b", "debug" must not set securityContext.privileged=true)',
    ],
  },
  {
    name: 'host ports are listed in string order, verbs agree with the container count',
    pod: pod({
      containers: [
        { name: 'a', ports: [{ containerPort: 80, hostPort: 8080 }, { hostPort: 10 }, { hostPort: 0 }] },
        { name: 'b', ports: [{ hostPort: 9090 }] },
      ],
    }),
    level: 'baseline',
    version: LATEST_KUBE_VERSION,
    expected: ['hostPorts (baseline): hostPort (containers "a", "b" use hostPorts 10, 8080, 9090)'],
  },
  {
    name: 'host namespaces, several baseline checks in upstream order',
    pod: pod({
      hostIPC: true,
      hostPID: true,
      hostNetwork: true,
      containers: [{ name: 'a', ports: [{ hostPort: 80 }], securityContext: { privileged: true } }],
    }),
    level: 'baseline',
    version: LATEST_KUBE_VERSION,
    expected: [
      'hostNamespaces (baseline): host namespaces (hostNetwork=true, hostPID=true, hostIPC=true)',
      'hostPorts (baseline): hostPort (container "a" uses hostPort 80)',
      'privileged (baseline): privileged (container "a" must not set securityContext.privileged=true)',
    ],
  },
  {
    name: 'sysctls before 1.27: ip_local_reserved_ports is not yet safe; names keep manifest order and repeats',
    pod: pod({
      securityContext: { sysctls: [{ name: 'net.ipv4.ip_local_reserved_ports' }, { name: 'a' }, { name: 'a' }] },
      containers: [{ name: 'a' }],
    }),
    level: 'baseline',
    version: v(26),
    expected: ['sysctls (baseline): forbidden sysctls (net.ipv4.ip_local_reserved_ports, a, a)'],
  },
  {
    name: 'sysctls from 1.27',
    pod: pod({
      securityContext: { sysctls: [{ name: 'net.ipv4.ip_local_reserved_ports' }, { name: 'a' }, { name: 'a' }] },
      containers: [{ name: 'a' }],
    }),
    level: 'baseline',
    version: v(27),
    expected: ['sysctls (baseline): forbidden sysctls (a, a)'],
  },
  {
    name: 'sysctls added in 1.37 are forbidden at 1.36',
    pod: pod({ securityContext: { sysctls: [{ name: 'net.ipv4.tcp_notsent_lowat' }] }, containers: [{ name: 'a' }] }),
    level: 'baseline',
    version: v(36),
    expected: ['sysctls (baseline): forbidden sysctls (net.ipv4.tcp_notsent_lowat)'],
  },
  {
    name: 'seLinuxOptions: type, user and role of the pod',
    pod: pod({
      securityContext: { seLinuxOptions: { type: 'foo', user: 'bar', role: 'baz' } },
      containers: [{ name: 'a', securityContext: { seLinuxOptions: { user: 'u' } } }],
    }),
    level: 'baseline',
    version: LATEST_KUBE_VERSION,
    expected: [
      'seLinuxOptions (baseline): seLinuxOptions (pod and container "a" set forbidden securityContext.seLinuxOptions: type "foo"; user may not be set; role may not be set)',
    ],
  },
  {
    name: 'seLinuxOptions: container_engine_t before 1.31',
    pod: pod({ containers: [{ name: 'a', securityContext: { seLinuxOptions: { type: 'container_engine_t' } } }] }),
    level: 'baseline',
    version: v(30),
    expected: [
      'seLinuxOptions (baseline): seLinuxOptions (container "a" set forbidden securityContext.seLinuxOptions: type "container_engine_t")',
    ],
  },
  {
    name: 'seLinuxOptions: container_engine_t from 1.31',
    pod: pod({ containers: [{ name: 'a', securityContext: { seLinuxOptions: { type: 'container_engine_t' } } }] }),
    level: 'baseline',
    version: v(31),
    expected: [],
  },
  {
    name: 'AppArmor annotations (upstream table): sorted, each quoted again as a whole',
    pod: pod({ containers: [{ name: 'a' }] }, {
      'container.apparmor.security.beta.kubernetes.io/': 'bogus',
      'container.apparmor.security.beta.kubernetes.io/a': '',
      'container.apparmor.security.beta.kubernetes.io/b': 'runtime/default',
      'container.apparmor.security.beta.kubernetes.io/c': 'localhost/',
      'container.apparmor.security.beta.kubernetes.io/d': 'localhost/foo',
      'container.apparmor.security.beta.kubernetes.io/e': 'unconfined',
      'container.apparmor.security.beta.kubernetes.io/f': 'unknown',
    }),
    level: 'baseline',
    version: LATEST_KUBE_VERSION,
    expected: [
      'appArmorProfile (baseline): forbidden AppArmor profiles (annotations must not set AppArmor profile type to ' +
        '"container.apparmor.security.beta.kubernetes.io/="bogus"", ' +
        '"container.apparmor.security.beta.kubernetes.io/e="unconfined"", ' +
        '"container.apparmor.security.beta.kubernetes.io/f="unknown"")',
    ],
  },
  {
    name: 'AppArmor field and annotation together',
    pod: pod(
      { securityContext: { appArmorProfile: { type: 'Unconfined' } }, containers: [{ name: 'a' }] },
      { 'container.apparmor.security.beta.kubernetes.io/a': 'unconfined' },
    ),
    level: 'baseline',
    version: LATEST_KUBE_VERSION,
    expected: [
      'appArmorProfile (baseline): forbidden AppArmor profiles (pod and annotation must not set AppArmor profile type to ' +
        '"Unconfined", "container.apparmor.security.beta.kubernetes.io/a="unconfined"")',
    ],
  },
  {
    name: 'seccomp annotations before 1.19, sorted',
    pod: pod({ containers: [{ name: 'c1' }] }, {
      'seccomp.security.alpha.kubernetes.io/pod': 'unconfined',
      'container.seccomp.security.alpha.kubernetes.io/c1': 'unconfined',
      'container.seccomp.security.alpha.kubernetes.io/other': 'unconfined',
    }),
    level: 'baseline',
    version: v(18),
    expected: [
      'seccompProfile_baseline (baseline): seccompProfile (forbidden annotations ' +
        'container.seccomp.security.alpha.kubernetes.io/c1="unconfined", seccomp.security.alpha.kubernetes.io/pod="unconfined")',
    ],
  },
  {
    name: 'seccomp annotations are no longer read from 1.19; the fields are',
    pod: pod(
      { containers: [{ name: 'c1', securityContext: { seccompProfile: { type: 'Unconfined' } } }] },
      { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined' },
    ),
    level: 'baseline',
    version: v(19),
    expected: [
      'seccompProfile_baseline (baseline): seccompProfile (container "c1" must not set securityContext.seccompProfile.type to "Unconfined")',
    ],
  },
  {
    name: 'a bare container at restricted: every restricted requirement, in upstream order',
    pod: pod({ containers: [{ name: 'app' }] }),
    level: 'restricted',
    version: LATEST_KUBE_VERSION,
    expected: [
      'allowPrivilegeEscalation (restricted): allowPrivilegeEscalation != false (container "app" must set securityContext.allowPrivilegeEscalation=false)',
      'capabilities_restricted (restricted): unrestricted capabilities (container "app" must set securityContext.capabilities.drop=["ALL"])',
      'runAsNonRoot (restricted): runAsNonRoot != true (pod or container "app" must set securityContext.runAsNonRoot=true)',
      'seccompProfile_restricted (restricted): seccompProfile (pod or container "app" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
    ],
  },
  {
    name: 'capabilities at restricted: drop must hold the literal ALL, and the baseline check is replaced',
    pod: restrictedPod({
      securityContext: {
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['all'], add: ['SYS_ADMIN', 'NET_RAW', 'NET_BIND_SERVICE'] },
      },
    }),
    level: 'restricted',
    version: v(22),
    expected: [
      'capabilities_restricted (restricted): unrestricted capabilities (container "a" must set securityContext.capabilities.drop=["ALL"]; ' +
        'container "a" must not include "NET_RAW", "SYS_ADMIN" in securityContext.capabilities.add)',
    ],
  },
  {
    name: 'capabilities at restricted before 1.22: only the baseline check applies',
    pod: restrictedPod({
      securityContext: {
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['all'], add: ['SYS_ADMIN', 'NET_RAW', 'NET_BIND_SERVICE'] },
      },
    }),
    level: 'restricted',
    version: v(21),
    expected: [
      'capabilities_baseline (baseline): non-default capabilities (container "a" must not include "NET_RAW", "SYS_ADMIN" in securityContext.capabilities.add)',
    ],
  },
  {
    name: 'runAsNonRoot set to false by the pod and a container',
    pod: pod({
      securityContext: { runAsNonRoot: false, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        { name: 'c', securityContext: { runAsNonRoot: false, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } },
        { name: 'd', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } },
      ],
    }),
    level: 'restricted',
    version: LATEST_KUBE_VERSION,
    expected: [
      'runAsNonRoot (restricted): runAsNonRoot != true (pod and container "c" must not set securityContext.runAsNonRoot=false)',
    ],
  },
  {
    name: 'runAsUser=0 by the pod and two containers',
    pod: restrictedPod({ securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsUser: 0 } }, {
      securityContext: { runAsNonRoot: true, runAsUser: 0, seccompProfile: { type: 'RuntimeDefault' } },
      initContainers: [{ name: 'i', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsUser: 0 } }],
    }),
    level: 'restricted',
    version: v(23),
    expected: ['runAsUser (restricted): runAsUser=0 (pod and containers "i", "a" must not set runAsUser=0)'],
  },
  {
    name: 'runAsUser=0 is not checked before 1.23',
    pod: restrictedPod({ securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsUser: 0 } }),
    level: 'restricted',
    version: v(22),
    expected: [],
  },
  {
    name: 'hostUsers: false relaxes runAsNonRoot and runAsUser from 1.35',
    pod: pod({
      hostUsers: false,
      securityContext: { runAsUser: 0, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [{ name: 'a', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
    }),
    level: 'restricted',
    version: v(35),
    expected: [],
  },
  {
    name: 'hostUsers: false does not relax them before 1.35',
    pod: pod({
      hostUsers: false,
      securityContext: { runAsUser: 0, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [{ name: 'a', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
    }),
    level: 'restricted',
    version: v(34),
    expected: [
      'runAsNonRoot (restricted): runAsNonRoot != true (pod or container "a" must set securityContext.runAsNonRoot=true)',
      'runAsUser (restricted): runAsUser=0 (pod must not set runAsUser=0)',
    ],
  },
  {
    name: 'volumes at restricted: restricted types replace the baseline hostPath check; a volume without source is an emptyDir',
    pod: restrictedPod({}, {
      volumes: [{ name: 'a', hostPath: { path: '/' } }, { name: 'b', nfs: { server: 's', path: '/' } }, { name: 'c' }, { name: 'd', configMap: { name: 'x' } }],
    }),
    level: 'restricted',
    version: LATEST_KUBE_VERSION,
    expected: ['restrictedVolumes (restricted): restricted volume types (volumes "a", "b" use restricted volume types "hostPath", "nfs")'],
  },
  {
    name: 'volumes at baseline: only hostPath',
    pod: restrictedPod({}, {
      volumes: [{ name: 'a', hostPath: { path: '/' } }, { name: 'b', nfs: { server: 's', path: '/' } }, { name: 'c' }],
    }),
    level: 'baseline',
    version: LATEST_KUBE_VERSION,
    expected: ['hostPathVolumes (baseline): hostPath volumes (volume "a")'],
  },
  {
    name: 'Windows hostProcess by the pod and a container',
    pod: pod({
      securityContext: { windowsOptions: { hostProcess: true } },
      containers: [{ name: 'w', securityContext: { windowsOptions: { hostProcess: true } } }, { name: 'x' }],
    }),
    level: 'baseline',
    version: LATEST_KUBE_VERSION,
    expected: ['windowsHostProcess (baseline): hostProcess (pod and container "w" must not set securityContext.windowsOptions.hostProcess=true)'],
  },
  {
    name: 'probe and lifecycle hosts from 1.34: containers and hosts as sorted sets',
    pod: pod({
      containers: [
        {
          name: 'b',
          livenessProbe: { httpGet: { host: 'y', port: 80 } },
          readinessProbe: { tcpSocket: { host: 'x', port: 80 } },
          lifecycle: { preStop: { httpGet: { host: 'x', port: 80 } } },
        },
        { name: 'a', startupProbe: { tcpSocket: { host: 'z', port: 80 } }, livenessProbe: { httpGet: { host: '', port: 80 } } },
      ],
    }),
    level: 'baseline',
    version: v(34),
    expected: [
      'hostProbesAndHostLifecycle (baseline): probe or lifecycle host (containers "a", "b" use probe or lifecycle hosts "x", "y", "z")',
    ],
  },
  {
    name: 'probe and lifecycle hosts are not checked before 1.34',
    pod: pod({ containers: [{ name: 'a', livenessProbe: { httpGet: { host: 'y', port: 80 } } }] }),
    level: 'baseline',
    version: v(33),
    expected: [],
  },
  {
    name: 'procMount with hostUsers: false is allowed at baseline from 1.35',
    pod: restrictedPod({ securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, procMount: 'Unmasked' } }, { hostUsers: false }),
    level: 'baseline',
    version: v(35),
    expected: [],
  },
  {
    name: 'procMount with hostUsers: false is still forbidden at restricted 1.35, by the restricted check',
    pod: restrictedPod({ securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, procMount: 'Unmasked' } }, { hostUsers: false }),
    level: 'restricted',
    version: v(35),
    expected: ['procMount_restricted (restricted): procMount (container "a" must not set securityContext.procMount to "Unmasked")'],
  },
  {
    name: 'procMount before 1.35 is the baseline check, also at restricted',
    pod: restrictedPod({ securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, procMount: 'Unmasked' } }, { hostUsers: false }),
    level: 'restricted',
    version: v(34),
    expected: ['procMount (baseline): procMount (container "a" must not set securityContext.procMount to "Unmasked")'],
  },
  {
    name: 'Windows pods need no Linux-only restricted fields from 1.25',
    pod: pod({ os: { name: 'windows' }, securityContext: { runAsNonRoot: true }, containers: [{ name: 'w' }] }),
    level: 'restricted',
    version: v(25),
    expected: [],
  },
  {
    name: 'Windows pods before 1.25 are judged like any other',
    pod: pod({ os: { name: 'windows' }, securityContext: { runAsNonRoot: true }, containers: [{ name: 'w' }] }),
    level: 'restricted',
    version: v(24),
    expected: [
      'allowPrivilegeEscalation (restricted): allowPrivilegeEscalation != false (container "w" must set securityContext.allowPrivilegeEscalation=false)',
      'capabilities_restricted (restricted): unrestricted capabilities (container "w" must set securityContext.capabilities.drop=["ALL"])',
      'seccompProfile_restricted (restricted): seccompProfile (pod or container "w" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
    ],
  },
  {
    name: 'allowPrivilegeEscalation did not exist before 1.8',
    pod: restrictedPod({ securityContext: { capabilities: { drop: ['ALL'] } } }),
    level: 'restricted',
    version: v(7),
    expected: [],
  },
];

describe('PSS messages', () => {
  for (const c of messageCases) {
    test(c.name, () => {
      assert.deepStrictEqual(messages(c.pod, c.level, c.version), c.expected);
    });
  }

  test('formatPssViolations joins the violations as the admission controller does', () => {
    const violations = evaluatePodSecurity(pod({ hostPID: true, containers: [{ name: 'a', securityContext: { privileged: true } }] }), 'baseline', LATEST_KUBE_VERSION);
    assert.equal(
      formatPssViolations(violations),
      'host namespaces (hostPID=true), privileged (container "a" must not set securityContext.privileged=true)',
    );
  });
});

interface ViolationCase {
  readonly name: string;
  readonly pod: unknown;
  readonly level: PssLevel;
  readonly version: KubeVersion;
  readonly expected: readonly PssViolation[];
}

const violationCases: readonly ViolationCase[] = [
  {
    name: 'one path per offending container, in visiting order',
    pod: pod({
      initContainers: [{ name: 'init', securityContext: { privileged: true } }],
      containers: [{ name: 'ok' }, { name: 'b', securityContext: { privileged: true } }],
      ephemeralContainers: [{ name: 'debug', securityContext: { privileged: true } }],
    }),
    level: 'baseline',
    version: LATEST_KUBE_VERSION,
    expected: [
      {
        check: 'privileged',
        level: 'baseline',
        reason: 'privileged',
        detail: 'containers "init", "b", "debug" must not set securityContext.privileged=true',
        paths: [
          ['spec', 'initContainers', 0, 'securityContext', 'privileged'],
          ['spec', 'containers', 1, 'securityContext', 'privileged'],
          ['spec', 'ephemeralContainers', 0, 'securityContext', 'privileged'],
        ],
      },
    ],
  },
  {
    name: 'missing required fields point where they belong; forbidden list entries point at the entry',
    pod: pod({
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        { name: 'a', securityContext: { capabilities: { add: ['NET_BIND_SERVICE', 'NET_RAW'] } } },
        { name: 'b', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } },
      ],
    }),
    level: 'restricted',
    version: LATEST_KUBE_VERSION,
    expected: [
      {
        check: 'allowPrivilegeEscalation',
        level: 'restricted',
        reason: 'allowPrivilegeEscalation != false',
        detail: 'container "a" must set securityContext.allowPrivilegeEscalation=false',
        paths: [['spec', 'containers', 0, 'securityContext', 'allowPrivilegeEscalation']],
      },
      {
        check: 'capabilities_restricted',
        level: 'restricted',
        reason: 'unrestricted capabilities',
        detail:
          'container "a" must set securityContext.capabilities.drop=["ALL"]; container "a" must not include "NET_RAW" in securityContext.capabilities.add',
        paths: [
          ['spec', 'containers', 0, 'securityContext', 'capabilities', 'drop'],
          ['spec', 'containers', 0, 'securityContext', 'capabilities', 'add', 1],
        ],
      },
    ],
  },
  {
    name: 'annotations, volumes, sysctls and seLinuxOptions subfields',
    pod: pod(
      {
        securityContext: {
          seLinuxOptions: { type: 'spc_t', role: 'r' },
          sysctls: [{ name: 'kernel.shm_rmid_forced', value: '0' }, { name: 'kernel.msgmax', value: '1' }],
        },
        containers: [{ name: 'a' }],
        volumes: [{ name: 'x', emptyDir: {} }, { name: 'y', configMap: { name: 'c' } }, { name: 'host', hostPath: { path: '/' } }],
      },
      { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined' },
    ),
    level: 'baseline',
    version: v(18),
    expected: [
      {
        check: 'hostPathVolumes',
        level: 'baseline',
        reason: 'hostPath volumes',
        detail: 'volume "host"',
        paths: [['spec', 'volumes', 2, 'hostPath']],
      },
      {
        check: 'seLinuxOptions',
        level: 'baseline',
        reason: 'seLinuxOptions',
        detail: 'pod set forbidden securityContext.seLinuxOptions: type "spc_t"; role may not be set',
        paths: [
          ['spec', 'securityContext', 'seLinuxOptions', 'type'],
          ['spec', 'securityContext', 'seLinuxOptions', 'role'],
        ],
      },
      {
        check: 'seccompProfile_baseline',
        level: 'baseline',
        reason: 'seccompProfile',
        detail: 'forbidden annotation seccomp.security.alpha.kubernetes.io/pod="unconfined"',
        paths: [['metadata', 'annotations', 'seccomp.security.alpha.kubernetes.io/pod']],
      },
      {
        check: 'sysctls',
        level: 'baseline',
        reason: 'forbidden sysctls',
        detail: 'kernel.msgmax',
        paths: [['spec', 'securityContext', 'sysctls', 1, 'name']],
      },
    ],
  },
  {
    name: 'host ports and probe hosts point at each offending entry',
    pod: pod({
      containers: [
        {
          name: 'a',
          ports: [{ containerPort: 80 }, { containerPort: 81, hostPort: 81 }],
          lifecycle: { postStart: { tcpSocket: { host: 'h', port: 1 } } },
        },
      ],
    }),
    level: 'baseline',
    version: LATEST_KUBE_VERSION,
    expected: [
      {
        check: 'hostPorts',
        level: 'baseline',
        reason: 'hostPort',
        detail: 'container "a" uses hostPort 81',
        paths: [['spec', 'containers', 0, 'ports', 1, 'hostPort']],
      },
      {
        check: 'hostProbesAndHostLifecycle',
        level: 'baseline',
        reason: 'probe or lifecycle host',
        detail: 'container "a" uses probe or lifecycle host "h"',
        paths: [['spec', 'containers', 0, 'lifecycle', 'postStart', 'tcpSocket', 'host']],
      },
    ],
  },
];

describe('PSS violations and paths', () => {
  for (const c of violationCases) {
    test(c.name, () => {
      assert.deepStrictEqual(evaluatePodSecurity(c.pod, c.level, c.version), c.expected);
    });
  }
});

describe('PSS versions and catalogue', () => {
  const parseCases: readonly (readonly [string, KubeVersion])[] = [
    ['1.30', v(30)],
    ['v1.30', v(30)],
    [' v1.5 ', v(5)],
    ['1.30.2', v(30)],
    ['v1.0', v(0)],
    ['v1.40', v(40)],
    ['latest', LATEST_KUBE_VERSION],
    ['', LATEST_KUBE_VERSION],
    ['2.0', LATEST_KUBE_VERSION],
    ['1.x', LATEST_KUBE_VERSION],
  ];
  for (const [text, expected] of parseCases) {
    test(`parseKubeVersion(${JSON.stringify(text)})`, () => {
      assert.deepStrictEqual(parseKubeVersion(text), expected);
    });
  }

  test('the newest supported version is 1.37', () => {
    assert.deepStrictEqual(LATEST_KUBE_VERSION, v(37));
  });

  test('versions past the newest are evaluated as the newest', () => {
    const subject = pod({ securityContext: { sysctls: [{ name: 'net.ipv4.tcp_notsent_lowat' }] }, containers: [{ name: 'a' }] });
    assert.deepStrictEqual(messages(subject, 'baseline', v(99)), []);
  });

  test('the catalogue lists every upstream check once, baseline first', () => {
    assert.deepStrictEqual(
      PSS_CHECKS.map((c) => `${c.level}:${c.id}`),
      [
        'baseline:appArmorProfile',
        'baseline:capabilities_baseline',
        'baseline:hostNamespaces',
        'baseline:hostPathVolumes',
        'baseline:hostPorts',
        'baseline:hostProbesAndHostLifecycle',
        'baseline:privileged',
        'baseline:procMount',
        'baseline:seLinuxOptions',
        'baseline:seccompProfile_baseline',
        'baseline:sysctls',
        'baseline:windowsHostProcess',
        'restricted:allowPrivilegeEscalation',
        'restricted:capabilities_restricted',
        'restricted:procMount_restricted',
        'restricted:restrictedVolumes',
        'restricted:runAsNonRoot',
        'restricted:runAsUser',
        'restricted:seccompProfile_restricted',
      ],
    );
    assert.deepStrictEqual(PSS_CHECKS.filter((c) => c.title === '' || c.description === ''), []);
  });
});

describe('PSS on malformed input', () => {
  const malformed: readonly unknown[] = [
    undefined,
    null,
    42,
    'pod',
    [],
    { spec: [] },
    { metadata: 'x', spec: { containers: 'x', initContainers: {}, volumes: 7 } },
    { metadata: { annotations: ['x'] }, spec: { containers: [null, 1, 'c', { name: {}, securityContext: 'x' }] } },
    {
      metadata: { annotations: { 'seccomp.security.alpha.kubernetes.io/pod': 5 } },
      spec: {
        hostNetwork: 'true',
        securityContext: { sysctls: [null, { name: 5 }, 'x'], seLinuxOptions: 'x', seccompProfile: null, windowsOptions: [] },
        containers: [
          {
            name: 'a',
            ports: [null, { hostPort: '80' }],
            livenessProbe: 'x',
            lifecycle: { preStop: 3 },
            securityContext: { capabilities: { add: 'ALL', drop: null }, seLinuxOptions: { type: 3 }, seccompProfile: {} },
          },
        ],
        volumes: [null, { hostPath: 'x' }, 'y'],
      },
    },
  ];
  for (const [index, subject] of malformed.entries()) {
    test(`input ${index} never throws`, () => {
      for (const level of ['baseline', 'restricted'] as const) {
        for (const minor of [0, 18, 19, 25, 35, 37]) {
          assert.ok(Array.isArray(evaluatePodSecurity(subject, level, v(minor))));
        }
      }
    });
  }

  test('values of the wrong type read as absent, as the API server would never admit them', () => {
    const subject = malformed[malformed.length - 1];
    assert.deepStrictEqual(messages(subject, 'baseline', LATEST_KUBE_VERSION), [
      'hostPathVolumes (baseline): hostPath volumes (volume "")',
      'seLinuxOptions (baseline): seLinuxOptions (container "a" set forbidden securityContext.seLinuxOptions: type "3")',
      'seccompProfile_baseline (baseline): seccompProfile (container "a" must not set securityContext.seccompProfile.type to "")',
      'sysctls (baseline): forbidden sysctls (5)',
    ]);
  });
});
