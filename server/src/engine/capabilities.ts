/**
 * The Linux capability catalog and each runtime's capability arithmetic.
 * Numbers and default sets: ../shared/reference/capabilities.json (linux/capability.h,
 * containerd pkg/oci/spec.go, CRI-O internal/config/capabilities, moby oci/caps/defaults.go).
 */

export type Runtime = 'containerd' | 'cri-o' | 'docker';
export const RUNTIMES: readonly Runtime[] = ['containerd', 'cri-o', 'docker'];

export interface CapabilityInfo {
  readonly name: string;
  readonly number: number;
  readonly description: string;
  /** Present for capabilities that weaken isolation substantially. */
  readonly risk?: string;
}

const catalog: CapabilityInfo[] = [
  { name: 'CHOWN', number: 0, description: 'Change the owner and group of any file.' },
  { name: 'DAC_OVERRIDE', number: 1, description: 'Bypass file read, write and execute permission checks.' },
  { name: 'DAC_READ_SEARCH', number: 2, description: 'Bypass file read and directory search permission checks; open files by handle.', risk: 'open_by_handle_at() lets a process read host files outside its mount namespace (the "shocker" container escape).' },
  { name: 'FOWNER', number: 3, description: 'Bypass permission checks that require the file owner (chmod, utime, ...).' },
  { name: 'FSETID', number: 4, description: 'Keep set-user-ID and set-group-ID bits when a file is modified.' },
  { name: 'KILL', number: 5, description: 'Send signals to processes of other users.' },
  { name: 'SETGID', number: 6, description: 'Change group IDs and forge group IDs on socket credentials.' },
  { name: 'SETUID', number: 7, description: 'Change user IDs and forge user IDs on socket credentials.' },
  { name: 'SETPCAP', number: 8, description: 'Add bounding capabilities to inheritable sets and drop them from the bounding set.' },
  { name: 'LINUX_IMMUTABLE', number: 9, description: 'Set the immutable and append-only file attributes.' },
  { name: 'NET_BIND_SERVICE', number: 10, description: 'Bind sockets to ports below 1024.' },
  { name: 'NET_BROADCAST', number: 11, description: 'Send socket broadcasts and listen to multicasts (unused by the kernel).' },
  { name: 'NET_ADMIN', number: 12, description: 'Configure interfaces, routes, firewall rules and other network settings.', risk: 'Can rewrite iptables/nftables, routes and interfaces of the network namespace; with hostNetwork, of the node.' },
  { name: 'NET_RAW', number: 13, description: 'Use raw and packet sockets.', risk: 'Allows packet crafting and ARP/DNS spoofing against other pods on the same network.' },
  { name: 'IPC_LOCK', number: 14, description: 'Lock memory (mlock, mlockall, huge pages).' },
  { name: 'IPC_OWNER', number: 15, description: 'Bypass permission checks on System V IPC objects.' },
  { name: 'SYS_MODULE', number: 16, description: 'Load and unload kernel modules.', risk: 'Loading a kernel module is full control of the node.' },
  { name: 'SYS_RAWIO', number: 17, description: 'Perform raw I/O (iopl, ioperm, /dev/mem, /dev/port).', risk: 'Raw device and memory access can compromise the node.' },
  { name: 'SYS_CHROOT', number: 18, description: 'Use chroot() and change mount namespaces with setns().' },
  { name: 'SYS_PTRACE', number: 19, description: 'Trace and inspect any process (ptrace, process_vm_readv).', risk: 'Can read secrets from and inject code into other processes it can see (all of them with hostPID).' },
  { name: 'SYS_PACCT', number: 20, description: 'Turn process accounting on or off.' },
  { name: 'SYS_ADMIN', number: 21, description: 'A catch-all for system administration: mount, namespaces, quotas, and much more.', risk: 'Close to root on the node: mount filesystems, use many namespace and device operations; the basis of several container escapes.' },
  { name: 'SYS_BOOT', number: 22, description: 'Reboot the machine and load a new kernel (kexec).', risk: 'Can reboot the node or load another kernel.' },
  { name: 'SYS_NICE', number: 23, description: 'Raise process priority and set the scheduling policy and CPU affinity of any process.' },
  { name: 'SYS_RESOURCE', number: 24, description: 'Override resource limits and quotas.' },
  { name: 'SYS_TIME', number: 25, description: 'Set the system clock.', risk: 'The clock is not namespaced: changing it changes the node\'s time for every workload.' },
  { name: 'SYS_TTY_CONFIG', number: 26, description: 'Use vhangup() and privileged terminal ioctls.' },
  { name: 'MKNOD', number: 27, description: 'Create device special files with mknod().' },
  { name: 'LEASE', number: 28, description: 'Take file leases on files the process does not own.' },
  { name: 'AUDIT_WRITE', number: 29, description: 'Write records to the kernel audit log.' },
  { name: 'AUDIT_CONTROL', number: 30, description: 'Configure kernel auditing and its rules.', risk: 'Can disable auditing of the node.' },
  { name: 'SETFCAP', number: 31, description: 'Set file capabilities on executables.' },
  { name: 'MAC_OVERRIDE', number: 32, description: 'Override Mandatory Access Control (Smack).', risk: 'Bypasses the mandatory access control that confines the container.' },
  { name: 'MAC_ADMIN', number: 33, description: 'Configure Mandatory Access Control (AppArmor, Smack, SELinux policy).', risk: 'Can change the security policy that confines containers.' },
  { name: 'SYSLOG', number: 34, description: 'Use privileged syslog operations (read and clear the kernel ring buffer).', risk: 'The kernel log leaks kernel addresses and other tenants\' messages.' },
  { name: 'WAKE_ALARM', number: 35, description: 'Trigger something that will wake up the system.' },
  { name: 'BLOCK_SUSPEND', number: 36, description: 'Block system suspend.' },
  { name: 'AUDIT_READ', number: 37, description: 'Read the audit log through a multicast netlink socket.' },
  { name: 'PERFMON', number: 38, description: 'Use perf_events and other performance monitoring.', risk: 'Performance monitoring exposes kernel and other processes\' activity.' },
  { name: 'BPF', number: 39, description: 'Load BPF programs and create BPF maps.', risk: 'BPF programs run in the kernel; with PERFMON they can read kernel memory.' },
  { name: 'CHECKPOINT_RESTORE', number: 40, description: 'Checkpoint and restore processes (set PIDs, read other processes\' state).' },
];

export const CAPABILITIES: readonly CapabilityInfo[] = catalog;
export const ALL_CAPABILITIES: readonly string[] = catalog.map((c) => c.name);
const byName = new Map(catalog.map((c) => [c.name, c]));

export function capabilityInfo(name: string): CapabilityInfo | undefined {
  return byName.get(name);
}

const DOCKER_DEFAULT = ['CHOWN', 'DAC_OVERRIDE', 'FSETID', 'FOWNER', 'MKNOD', 'NET_RAW', 'SETGID', 'SETUID', 'SETFCAP', 'SETPCAP', 'NET_BIND_SERVICE', 'SYS_CHROOT', 'KILL', 'AUDIT_WRITE'];
const CRIO_DEFAULT = ['CHOWN', 'DAC_OVERRIDE', 'FSETID', 'FOWNER', 'SETGID', 'SETUID', 'SETPCAP', 'NET_BIND_SERVICE', 'KILL'];

export const RUNTIME_DEFAULTS: Readonly<Record<Runtime, readonly string[]>> = {
  containerd: DOCKER_DEFAULT,
  docker: DOCKER_DEFAULT,
  'cri-o': CRIO_DEFAULT,
};

/** Pod Security Standards (baseline) allow adding only these, by exact string match. */
export const PSS_BASELINE_ALLOWED_ADD: readonly string[] = ['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT'];

export function isDefaultCapability(runtime: Runtime, name: string): boolean {
  return RUNTIME_DEFAULTS[runtime].includes(name);
}

/** Sorts capability names by their kernel number (unknown names last, alphabetically). */
export function sortCapabilities(names: Iterable<string>): string[] {
  return [...names].sort((a, b) => (byName.get(a)?.number ?? 1000) - (byName.get(b)?.number ?? 1000) || a.localeCompare(b));
}

/** How one runtime interprets one name written in `add`/`drop`. */
export interface CapabilityNameVerdict {
  /** The capability it grants or removes, in canonical form without `CAP_`; undefined when none. */
  readonly capability?: string;
  readonly all: boolean;
  /** What the runtime does with a name it does not know. */
  readonly problem?: 'ignored' | 'rejected';
  /** The name the runtime passes to the OCI spec (e.g. `CAP_CAP_SYS_PTRACE` under containerd). */
  readonly ociName: string;
}

/**
 * containerd upper-cases and always prepends `CAP_` (so `CAP_SYS_PTRACE` becomes
 * `CAP_CAP_SYS_PTRACE`: unknown, ignored by current runc with a warning); CRI-O prepends
 * `CAP_` only when missing and refuses unknown names; Docker accepts both forms, any case (but only
 * `ALL`, not `CAP_ALL`, means every capability).
 */
export function interpretCapabilityName(runtime: Runtime, raw: string): CapabilityNameVerdict {
  const upper = raw.toUpperCase();
  if (runtime === 'containerd') {
    if (upper === 'ALL') return { all: true, ociName: 'ALL' };
    const oci = 'CAP_' + upper;
    const cap = oci.slice(4);
    return byName.has(cap) ? { all: false, capability: cap, ociName: oci } : { all: false, problem: 'ignored', ociName: oci };
  }
  if (runtime === 'cri-o') {
    if (upper === 'ALL') return { all: true, ociName: 'ALL' };
    const oci = upper.startsWith('CAP_') ? upper : 'CAP_' + upper;
    const cap = oci.slice(4);
    return byName.has(cap) ? { all: false, capability: cap, ociName: oci } : { all: false, problem: 'rejected', ociName: oci };
  }
  // moby recognises only `ALL` itself: `CAP_ALL` is an unknown capability.
  if (upper === 'ALL') return { all: true, ociName: 'ALL' };
  const bare = upper.startsWith('CAP_') ? upper.slice(4) : upper;
  return byName.has(bare) ? { all: false, capability: bare, ociName: 'CAP_' + bare } : { all: false, problem: 'rejected', ociName: 'CAP_' + bare };
}

export interface CapabilityArithmetic {
  readonly bounding: string[];
  /** Names in add/drop that the runtime does not turn into a capability. */
  readonly unusable: { raw: string; list: 'add' | 'drop'; problem: 'ignored' | 'rejected' }[];
}

/**
 * The bounding set a runtime gives a container for `add`/`drop`.
 * containerd and CRI-O: add ALL → all; drop ALL → none; then each named add; then each named
 * drop (drop wins). Docker: add ALL → all minus named drops; else drop ALL → only the adds;
 * else defaults − drops + adds (add wins). `privileged` → all 41, add/drop ignored.
 */
export function boundingSet(runtime: Runtime, privileged: boolean, add: readonly string[], drop: readonly string[]): CapabilityArithmetic {
  if (privileged) return { bounding: [...ALL_CAPABILITIES], unusable: [] };
  const unusable: CapabilityArithmetic['unusable'] = [];
  const read = (list: readonly string[], which: 'add' | 'drop') => {
    let all = false;
    const caps: string[] = [];
    for (const raw of list) {
      const v = interpretCapabilityName(runtime, raw);
      if (v.all) all = true;
      else if (v.capability) caps.push(v.capability);
      else if (v.problem) unusable.push({ raw, list: which, problem: v.problem });
    }
    return { all, caps };
  };
  const a = read(add, 'add');
  const d = read(drop, 'drop');
  let set: Set<string>;
  if (runtime === 'docker') {
    if (a.all) set = new Set(ALL_CAPABILITIES.filter((c) => !d.caps.includes(c)));
    else if (d.all) set = new Set(a.caps);
    else {
      set = new Set(RUNTIME_DEFAULTS.docker.filter((c) => !d.caps.includes(c)));
      for (const c of a.caps) set.add(c);
    }
  } else {
    set = new Set(a.all ? ALL_CAPABILITIES : RUNTIME_DEFAULTS[runtime]);
    if (d.all) set.clear();
    for (const c of a.caps) set.add(c);
    for (const c of d.caps) set.delete(c);
  }
  return { bounding: sortCapabilities(set), unusable };
}

/** Edit distance, for did-you-mean suggestions. */
export function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0];
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j];
      dp[j] = Math.min(dp[j] + 1, dp[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length];
}

export function closest(name: string, candidates: readonly string[], maxDistance = 3): string | undefined {
  let best: string | undefined;
  let bestD = maxDistance + 1;
  for (const c of candidates) {
    const d = editDistance(name, c);
    if (d < bestD) { best = c; bestD = d; }
  }
  return best;
}

/** Did-you-mean for an unknown capability name (compared without `CAP_`, upper case). */
export function suggestCapability(raw: string): string | undefined {
  const bare = raw.toUpperCase().replace(/^CAP_/, '');
  return closest(bare, ALL_CAPABILITIES, Math.max(2, Math.floor(bare.length / 3)));
}
