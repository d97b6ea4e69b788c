/**
 * Pod Security findings in plain English: what will happen at run time, then what the profile requires.
 * One builder per upstream check (k8s.io/pod-security-admission `policy/check_*.go`); the admission
 * controller's own wording (`reason (detail)`) stays in the finding's `pss` data, the SARIF properties,
 * the JSON output and the rule docs.
 *
 * A builder gets one place of a violation: the field path (relative to the pod object), the value written
 * there (plain JS, undefined when the field is missing), and who it is about: one container, or, for a gap
 * the pod closes for all of them (runAsNonRoot, seccompProfile), the containers it leaves open.
 */
import { capabilityInfo } from '../capabilities';
import { BASELINE_ALLOWED_CAPABILITIES } from '../pss/checks/capabilitiesBaseline';
import type { FieldPath } from '../pss';
import type { PssLevel } from '../types';

export interface PssPlace {
  readonly check: string;
  readonly level: PssLevel;
  readonly path: FieldPath;
  /** The value at `path` as plain JS; undefined when the field is not written. */
  readonly value: unknown;
  /** The container the path points into, when it does. */
  readonly container?: string;
  /** The volume the path points into, when it does. */
  readonly volume?: string;
  /** A pod-wide place (a field the pod would set for every container): the containers it is about. */
  readonly containers?: readonly string[];
  /** The policy version's minor (`1.<minor>`), for checks whose allowed values change with it. */
  readonly minor: number;
}

type MessageBuilder = (place: PssPlace) => string;

function profile(place: PssPlace): string {
  return `The ${place.level} profile`;
}

/** `Container "api"`, `Containers "api", "metrics"`, or `The pod` for a pod-level field. */
function subject(place: PssPlace): string {
  const names = place.containers ?? (place.container !== undefined ? [place.container] : []);
  if (!names.length) return 'The pod';
  return `${names.length === 1 ? 'Container' : 'Containers'} ${names.map((n) => JSON.stringify(n)).join(', ')}`;
}

/** The verb agreeing with `subject` or `runner`: `runs`/`run` (a pod-level field speaks of all the pod's containers). */
function verb(place: PssPlace, singular: string, plural: string): string {
  const many = place.containers ? place.containers.length > 1 : place.container === undefined;
  return many ? plural : singular;
}

/** Who runs what the pod-level field applies to: `Container "a"` or `The pod's containers`. */
function runner(place: PssPlace): string {
  return place.container !== undefined || place.containers ? subject(place) : 'The pod\'s containers';
}

/** The key of the path's field (`hostNetwork`, `type`, an annotation key). */
function lastKey(place: PssPlace): string {
  const last = place.path[place.path.length - 1];
  return typeof last === 'string' ? last : String(last);
}

function text(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}

/** The container an annotation such as `container.seccomp.security.alpha.kubernetes.io/<name>` is about. */
function annotated(place: PssPlace, prefix: string): PssPlace {
  const key = lastKey(place);
  return key.startsWith(prefix) ? { ...place, container: key.slice(prefix.length) } : place;
}

const HOST_NAMESPACES: Readonly<Record<string, string>> = {
  hostNetwork: 'uses the node\'s network: its containers can bind the node\'s ports, reach services on the node\'s loopback and see its traffic. The baseline profile forbids hostNetwork.',
  hostPID: 'shares the node\'s process table: its containers see every process on the node and can signal or trace those of the same user. The baseline profile forbids hostPID.',
  hostIPC: 'shares the node\'s IPC namespace: its containers can read and write other workloads\' shared memory and message queues. The baseline profile forbids hostIPC.',
};

/** `: can rewrite …`: what the capability lets the container do (the table's sentence, after a colon), or `.`. */
function capabilityRisk(name: string): string {
  const info = capabilityInfo(name);
  const said = info?.risk ?? info?.description;
  if (!said) return '.';
  return `: ${/^[A-Z][a-z]/.test(said) ? said[0].toLowerCase() + said.slice(1) : said}${/[.!?]$/.test(said) ? '' : '.'}`;
}

function seccompMessage(place: PssPlace): string {
  const where = place.path[0] === 'metadata'
    ? `annotation ${lastKey(place)}: ${text(place.value)}`
    : `seccompProfile type ${text(place.value) === '' ? '(empty)' : text(place.value)}`;
  const allowed = place.path[0] === 'metadata' ? 'runtime/default, docker/default or localhost/<profile>' : 'RuntimeDefault or Localhost';
  return `${runner(place)} ${verb(place, 'runs', 'run')} without a seccomp filter (${where}): every system call of the node's kernel is reachable, including those the runtime's default profile blocks. ${profile(place)} allows only ${allowed}.`;
}

function hostPathMessage(place: PssPlace, volume: string): string {
  const hostPath = (place.value && typeof place.value === 'object' ? (place.value as Record<string, unknown>)['path'] : undefined);
  const what = typeof hostPath === 'string' && hostPath !== '' ? `the node's ${hostPath}` : 'a directory of the node';
  return `Volume ${JSON.stringify(volume)} mounts ${what} (hostPath): a container that mounts it reads, and unless read-only writes, the node's files. ${profile(place)} forbids hostPath volumes.`;
}

const MESSAGES: Readonly<Record<string, MessageBuilder>> = {
  // check_allowPrivilegeEscalation.go
  allowPrivilegeEscalation: (p) =>
    `${subject(p)} can gain more privileges than its parent process (setuid binaries, file capabilities): allowPrivilegeEscalation is ${p.value === undefined ? 'not set (true)' : text(p.value) || 'not false'}. ${profile(p)} requires false.`,

  // check_capabilities_baseline.go: one place per added capability.
  capabilities_baseline: (p) => {
    const name = text(p.value);
    // A name that is no capability as written (CAP_SYS_PTRACE, sys_admin): admission still compares it exactly.
    if (!capabilityInfo(name)) return `${subject(p)} adds ${name}, a name not on the baseline allow-list (admission compares names exactly, whatever the runtime makes of it). ${profile(p)} forbids adding it.`;
    return `${subject(p)} adds ${name}${capabilityRisk(name)} ${profile(p)} forbids adding it.`;
  },

  // check_capabilities_restricted.go: the missing `drop: [ALL]`, or one added capability other than NET_BIND_SERVICE.
  capabilities_restricted: (p) => {
    if (lastKey(p) === 'drop') {
      const drop = Array.isArray(p.value) ? p.value.map(text).filter((c) => c !== '') : [];
      const almost = drop.find((c) => c.toUpperCase().replace(/^CAP_/, '') === 'ALL');
      if (almost !== undefined) return `${subject(p)} drops ${almost}: the runtime drops every capability, but admission compares names exactly. ${profile(p)} requires dropping ALL, spelled in capitals.`;
      const kept = drop.length ? `drops only ${drop.join(', ')} and keeps the rest of` : 'keeps';
      const examples = ['CHOWN', 'DAC_OVERRIDE', 'SETUID', 'NET_RAW'].filter((c) => !drop.some((d) => d.toUpperCase().replace(/^CAP_/, '') === c));
      return `${subject(p)} ${kept} the runtime's default capabilities (${[...examples, '…'].join(', ')}). ${profile(p)} requires dropping ALL.`;
    }
    // What a capability the baseline allows does is no news (it is in the runtime's defaults): only that restricted forbids it.
    const name = text(p.value);
    const risk = BASELINE_ALLOWED_CAPABILITIES.has(name) || !capabilityInfo(name) ? '' : capabilityRisk(name).replace(/\.$/, '');
    return `${subject(p)} adds ${name}${risk}. ${profile(p)} allows adding only NET_BIND_SERVICE.`;
  },

  // check_hostNamespaces.go: one place per shared namespace.
  hostNamespaces: (p) => `The pod ${HOST_NAMESPACES[lastKey(p)] ?? `shares a host namespace (${lastKey(p)}). The baseline profile forbids it.`}`,

  // check_hostPathVolumes.go
  hostPathVolumes: (p) => hostPathMessage(p, p.volume ?? ''),

  // check_hostPorts.go
  hostPorts: (p) => `${subject(p)} opens port ${text(p.value)} on the node's own address (hostPort): it is reachable wherever the node is, and takes that port on the node. ${profile(p)} forbids host ports.`,

  // check_hostProbesAndHostLifecycle.go: path [..., probe or 'lifecycle', handler, kind, 'host'].
  hostProbesAndHostLifecycle: (p) => {
    const at = p.path.findIndex((step) => step === 'livenessProbe' || step === 'readinessProbe' || step === 'startupProbe' || step === 'lifecycle');
    const handler = p.path[at] === 'lifecycle' ? `${text(p.path[at + 1])} hook` : text(p.path[at]);
    return `${subject(p)} has the kubelet run its ${handler} against ${text(p.value)}: the kubelet connects there from the node, on the pod's behalf. ${profile(p)} forbids a host in probes and lifecycle handlers.`;
  },

  // check_appArmorProfile.go: the appArmorProfile fields and the beta annotations.
  appArmorProfile: (p) => {
    const q = annotated(p, 'container.apparmor.security.beta.kubernetes.io/');
    const value = text(q.value);
    const what = q.path[0] === 'metadata' ? `annotation ${lastKey(q)}: ${value}` : `appArmorProfile type ${value === '' ? '(empty)' : value}`;
    const allowed = q.path[0] === 'metadata' ? 'runtime/default or localhost/<profile>' : 'RuntimeDefault or Localhost';
    return `${runner(q)} ${verb(q, 'runs', 'run')} without the runtime's AppArmor confinement (${what}). ${profile(q)} allows only ${allowed}.`;
  },

  // check_seLinuxOptions.go: path [..., 'seLinuxOptions', 'type' | 'user' | 'role'].
  seLinuxOptions: (p) => {
    const field = lastKey(p);
    const value = text(p.value);
    if (field === 'type') {
      const allowed = `container_t, container_init_t, container_kvm_t${p.minor >= 31 ? ' or container_engine_t' : ''}`;
      return `${runner(p)} ${verb(p, 'runs', 'run')} with SELinux type ${value === '' ? '(empty)' : value} instead of a container type${value === 'spc_t' ? ': spc_t is not confined by SELinux at all' : ', which SELinux may confine less'}. ${profile(p)} allows only ${allowed}.`;
    }
    return `${runner(p)} ${verb(p, 'sets', 'set')} the SELinux ${field} ${value} instead of the runtime's container ${field}, which the policy may confine less. ${profile(p)} forbids setting the SELinux ${field}.`;
  },

  // check_privileged.go
  privileged: (p) => `${subject(p)} is privileged: it gets every capability and the node's devices, without seccomp, AppArmor or SELinux confinement, so root in it is root on the node. ${profile(p)} forbids privileged containers.`,

  // check_procMount_baseline.go
  procMount: (p) => `${subject(p)} mounts /proc unmasked (procMount ${text(p.value)}): paths the runtime normally hides or makes read-only (/proc/kcore, /proc/sys, /proc/sysrq-trigger, …) become visible. ${profile(p)} requires the default /proc mount.`,
  // check_procMount_restricted.go (1.35): the same field, required even with hostUsers: false.
  procMount_restricted: (p) => `${subject(p)} mounts /proc unmasked (procMount ${text(p.value)}): paths the runtime normally hides or makes read-only (/proc/kcore, /proc/sys, /proc/sysrq-trigger, …) become visible. ${profile(p)} requires the default /proc mount, even with hostUsers: false.`,

  // check_seccompProfile_baseline.go: the fields from 1.19, the annotations before.
  seccompProfile_baseline: (p) => seccompMessage(annotated(p, 'container.seccomp.security.alpha.kubernetes.io/')),

  // check_seccompProfile_restricted.go: a forbidden type where it is written, or no profile at all.
  seccompProfile_restricted: (p) => {
    if (p.value !== undefined) return seccompMessage(p);
    const who = p.containers ? 'neither the pod nor the containers set a seccomp profile' : 'no seccomp profile is set';
    return `${subject(p)} can make every system call of the node's kernel: ${who}, which means Unconfined unless the kubelet defaults to RuntimeDefault. ${profile(p)} requires RuntimeDefault or Localhost${p.containers ? ' (once in the pod securityContext covers every container)' : ''}.`;
  },

  // check_sysctls.go
  sysctls: (p) => `The pod sets sysctl ${text(p.value) === '' ? '(empty name)' : text(p.value)}, which is not on the safe list: it may reach beyond the pod, to other pods or the node's kernel. ${profile(p)} allows only the safe sysctls (kernel.shm_rmid_forced, net.ipv4.ip_local_port_range, net.ipv4.ip_unprivileged_port_start, …).`,

  // check_windowsHostProcess.go
  windowsHostProcess: (p) => `${runner(p)} ${verb(p, 'is a', 'are')} Windows HostProcess ${verb(p, 'container', 'containers')}: ${verb(p, 'it runs', 'they run')} on the node itself, with the node's network and file system and a node account. ${profile(p)} forbids HostProcess containers.`,

  // check_restrictedVolumes.go: one place per volume, at its forbidden source.
  restrictedVolumes: (p) => {
    const source = lastKey(p);
    const volume = p.volume ?? '';
    if (source === 'hostPath') return hostPathMessage(p, volume);
    return `Volume ${JSON.stringify(volume)} mounts ${source} storage straight from the pod spec, outside any PersistentVolumeClaim. ${profile(p)} allows only configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected and secret volumes.`;
  },

  // check_runAsNonRoot.go: an explicit false where it is written, or nothing requiring a non-root user.
  runAsNonRoot: (p) => {
    if (p.value === false) {
      return `${runner(p)} may run as root: runAsNonRoot is false, so the kubelet does not check the user. ${profile(p)} requires runAsNonRoot: true.`;
    }
    const who = p.containers ? 'neither the pod nor the containers set runAsNonRoot' : 'runAsNonRoot is not set';
    return `${subject(p)} may run as root: ${who}, so an image without a non-root USER starts as uid 0. ${profile(p)} requires runAsNonRoot: true${p.containers ? ' (once in the pod securityContext covers every container)' : ''}.`;
  },

  // check_runAsUser.go
  runAsUser: (p) => p.container === undefined
    ? `The pod securityContext sets runAsUser 0: every container that does not set its own runAsUser runs as root. ${profile(p)} forbids uid 0, even where a container overrides it.`
    : `${subject(p)} runs as root: runAsUser is 0. ${profile(p)} forbids running as uid 0.`,
};

/** The plain-English message of one place of a violation; a check without a builder keeps the upstream words. */
export function pssMessage(place: PssPlace, upstream: string): string {
  const build = MESSAGES[place.check];
  return build ? build(place) : upstream;
}

/** The checks that have a message builder (a test checks every upstream check has one). */
export const PSS_MESSAGE_CHECKS: readonly string[] = Object.keys(MESSAGES);
