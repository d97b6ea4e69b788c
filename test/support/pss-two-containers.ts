/**
 * The two-container Deployment of the "one voice" report (a dangerous add on "api", nothing on "metrics",
 * hostNetwork) and the findings it must give at the restricted profile, shared by the CLI test
 * (test/unit/pss-messages.test.ts) and the language-server test (test/protocol/pss-messages.test.ts).
 * Each expected message names the upstream function (kubernetes/pod-security-admission policy/check_*.go)
 * whose verdict it words.
 */
/** A Deployment as written by hand: no securityContext but a capability on "api". */
export const TWO_CONTAINERS = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      hostNetwork: true
      containers:
        - name: api
          image: api:1
          securityContext:
            capabilities:
              add: [NET_ADMIN]
        - name: metrics
          image: metrics:1
`;

/** Line, rule and message of every finding, in report order (restricted profile). */
export const TWO_CONTAINERS_EXPECTED: readonly (readonly [number, string, string])[] = [
  // check_runAsNonRoot.go runAsNonRoot_1_0: "pod or containers "api", "metrics" must set …" — no level sets it, so once, on the pod's spec.
  [7, 'run-as-non-root', 'Containers "api", "metrics" may run as root: neither the pod nor the containers set runAsNonRoot, so an image without a non-root USER starts as uid 0. The restricted profile requires runAsNonRoot: true (once in the pod securityContext covers every container).'],
  // check_seccompProfile_restricted.go seccompProfileRestricted_1_19 (_1_25 for non-Windows pods): the same shape, once on the pod.
  [7, 'seccomp-profile-required', 'Containers "api", "metrics" can make every system call of the node\'s kernel: neither the pod nor the containers set a seccomp profile, which means Unconfined unless the kubelet defaults to RuntimeDefault. The restricted profile requires RuntimeDefault or Localhost (once in the pod securityContext covers every container).'],
  // check_hostNamespaces.go hostNamespaces_1_0: a pod-level field, at its line.
  [8, 'host-namespaces', 'The pod uses the node\'s network: its containers can bind the node\'s ports, reach services on the node\'s loopback and see its traffic. The baseline profile forbids hostNetwork.'],
  // check_allowPrivilegeEscalation.go allowPrivilegeEscalation_1_8 (_1_25): per container, at that container.
  [12, 'privilege-escalation', 'Container "api" can gain more privileges than its parent process (setuid binaries, file capabilities): allowPrivilegeEscalation is not set (true). The restricted profile requires false.'],
  // check_capabilities_restricted.go capabilitiesRestricted_1_22 (_1_25): the missing drop of ALL, at `capabilities`.
  [13, 'restricted-capabilities', 'Container "api" keeps the runtime\'s default capabilities (CHOWN, DAC_OVERRIDE, SETUID, NET_RAW, …). The restricted profile requires dropping ALL.'],
  // check_capabilities_baseline.go capabilitiesBaseline_1_0 at the NET_ADMIN item; capabilities_restricted's clause about
  // the same item is not repeated there (dangerous-capability says it).
  [14, 'dangerous-capability', 'Container "api" adds NET_ADMIN: can rewrite iptables/nftables, routes and interfaces of the network namespace; with hostNetwork, of the node. The baseline profile forbids adding it.'],
  // allowPrivilegeEscalation_1_8 and capabilitiesRestricted_1_22 again, for "metrics" only, at its name.
  [15, 'privilege-escalation', 'Container "metrics" can gain more privileges than its parent process (setuid binaries, file capabilities): allowPrivilegeEscalation is not set (true). The restricted profile requires false.'],
  [15, 'restricted-capabilities', 'Container "metrics" keeps the runtime\'s default capabilities (CHOWN, DAC_OVERRIDE, SETUID, NET_RAW, …). The restricted profile requires dropping ALL.'],
];

