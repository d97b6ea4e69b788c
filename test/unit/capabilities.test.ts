/**
 * The capability catalog and each runtime's add/drop arithmetic, table-driven: defaults, ALL, the
 * CAP_ prefix, case, unknown names and privileged, for containerd, CRI-O and Docker.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  ALL_CAPABILITIES,
  boundingSet,
  CAPABILITIES,
  interpretCapabilityName,
  RUNTIME_DEFAULTS,
  sortCapabilities,
  suggestCapability,
  type CapabilityArithmetic,
  type CapabilityNameVerdict,
  type Runtime,
} from '../../server/src/engine/capabilities';

/** The kernel's capability names, by number (include/uapi/linux/capability.h, CAP_LAST_CAP = 40). */
const KERNEL = [
  'CHOWN', 'DAC_OVERRIDE', 'DAC_READ_SEARCH', 'FOWNER', 'FSETID', 'KILL', 'SETGID', 'SETUID', 'SETPCAP', 'LINUX_IMMUTABLE',
  'NET_BIND_SERVICE', 'NET_BROADCAST', 'NET_ADMIN', 'NET_RAW', 'IPC_LOCK', 'IPC_OWNER', 'SYS_MODULE', 'SYS_RAWIO', 'SYS_CHROOT', 'SYS_PTRACE',
  'SYS_PACCT', 'SYS_ADMIN', 'SYS_BOOT', 'SYS_NICE', 'SYS_RESOURCE', 'SYS_TIME', 'SYS_TTY_CONFIG', 'MKNOD', 'LEASE', 'AUDIT_WRITE',
  'AUDIT_CONTROL', 'SETFCAP', 'MAC_OVERRIDE', 'MAC_ADMIN', 'SYSLOG', 'WAKE_ALARM', 'BLOCK_SUSPEND', 'AUDIT_READ', 'PERFMON', 'BPF',
  'CHECKPOINT_RESTORE',
];

/** containerd and Docker defaults, in kernel order. */
const DOCKER_DEFAULTS = ['CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'SETGID', 'SETUID', 'SETPCAP', 'NET_BIND_SERVICE', 'NET_RAW', 'SYS_CHROOT', 'MKNOD', 'AUDIT_WRITE', 'SETFCAP'];
/** CRI-O's compiled-in defaults, in kernel order. */
const CRIO_DEFAULTS = ['CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'SETGID', 'SETUID', 'SETPCAP', 'NET_BIND_SERVICE'];

const without = (set: readonly string[], ...names: string[]): string[] => set.filter((c) => !names.includes(c));
const plus = (set: readonly string[], ...names: string[]): string[] => sortCapabilities(new Set([...set, ...names]));

describe('capability catalog', () => {
  test('41 capabilities numbered as the kernel numbers them', () => {
    assert.deepStrictEqual(CAPABILITIES.map((c) => [c.name, c.number]), KERNEL.map((name, number) => [name, number]));
    assert.deepStrictEqual(ALL_CAPABILITIES, KERNEL);
  });

  test('runtime default sets', () => {
    assert.deepStrictEqual(
      { containerd: sortCapabilities(RUNTIME_DEFAULTS.containerd), docker: sortCapabilities(RUNTIME_DEFAULTS.docker), 'cri-o': sortCapabilities(RUNTIME_DEFAULTS['cri-o']) },
      { containerd: DOCKER_DEFAULTS, docker: DOCKER_DEFAULTS, 'cri-o': CRIO_DEFAULTS },
    );
  });

  test('sortCapabilities orders by kernel number, unknown names last and alphabetically', () => {
    assert.deepStrictEqual(sortCapabilities(['SYS_TIME', 'ZZZ', 'CHOWN', 'AAA', 'NET_ADMIN']), ['CHOWN', 'NET_ADMIN', 'SYS_TIME', 'AAA', 'ZZZ']);
  });

  const suggestions: { raw: string; expected: string | undefined }[] = [
    { raw: 'NET_ADMN', expected: 'NET_ADMIN' },
    { raw: 'CAP_SYS_PTRAC', expected: 'SYS_PTRACE' },
    { raw: 'sys_admn', expected: 'SYS_ADMIN' },
    { raw: 'FOO', expected: undefined },
  ];
  for (const { raw, expected } of suggestions) {
    test(`did-you-mean for ${raw}`, () => assert.equal(suggestCapability(raw), expected));
  }
});

describe('how each runtime reads a name', () => {
  const cases: { runtime: Runtime; raw: string; expected: CapabilityNameVerdict }[] = [
    { runtime: 'containerd', raw: 'NET_ADMIN', expected: { all: false, capability: 'NET_ADMIN', ociName: 'CAP_NET_ADMIN' } },
    { runtime: 'containerd', raw: 'net_admin', expected: { all: false, capability: 'NET_ADMIN', ociName: 'CAP_NET_ADMIN' } },
    { runtime: 'containerd', raw: 'CAP_SYS_PTRACE', expected: { all: false, problem: 'ignored', ociName: 'CAP_CAP_SYS_PTRACE' } },
    { runtime: 'containerd', raw: 'NET_ADMN', expected: { all: false, problem: 'ignored', ociName: 'CAP_NET_ADMN' } },
    { runtime: 'containerd', raw: 'ALL', expected: { all: true, ociName: 'ALL' } },
    { runtime: 'containerd', raw: 'all', expected: { all: true, ociName: 'ALL' } },
    { runtime: 'containerd', raw: 'CAP_ALL', expected: { all: false, problem: 'ignored', ociName: 'CAP_CAP_ALL' } },
    { runtime: 'cri-o', raw: 'NET_ADMIN', expected: { all: false, capability: 'NET_ADMIN', ociName: 'CAP_NET_ADMIN' } },
    { runtime: 'cri-o', raw: 'CAP_SYS_PTRACE', expected: { all: false, capability: 'SYS_PTRACE', ociName: 'CAP_SYS_PTRACE' } },
    { runtime: 'cri-o', raw: 'cap_sys_ptrace', expected: { all: false, capability: 'SYS_PTRACE', ociName: 'CAP_SYS_PTRACE' } },
    { runtime: 'cri-o', raw: 'NET_ADMN', expected: { all: false, problem: 'rejected', ociName: 'CAP_NET_ADMN' } },
    { runtime: 'cri-o', raw: 'All', expected: { all: true, ociName: 'ALL' } },
    { runtime: 'cri-o', raw: 'CAP_ALL', expected: { all: false, problem: 'rejected', ociName: 'CAP_ALL' } },
    { runtime: 'docker', raw: 'NET_ADMIN', expected: { all: false, capability: 'NET_ADMIN', ociName: 'CAP_NET_ADMIN' } },
    { runtime: 'docker', raw: 'CAP_NET_ADMIN', expected: { all: false, capability: 'NET_ADMIN', ociName: 'CAP_NET_ADMIN' } },
    { runtime: 'docker', raw: 'Net_Admin', expected: { all: false, capability: 'NET_ADMIN', ociName: 'CAP_NET_ADMIN' } },
    { runtime: 'docker', raw: 'NET_ADMN', expected: { all: false, problem: 'rejected', ociName: 'CAP_NET_ADMN' } },
    { runtime: 'docker', raw: 'all', expected: { all: true, ociName: 'ALL' } },
    // moby's NormalizeLegacyCapabilities recognises only "ALL"; "CAP_ALL" is an unknown capability.
    { runtime: 'docker', raw: 'CAP_ALL', expected: { all: false, problem: 'rejected', ociName: 'CAP_ALL' } },
  ];
  for (const { runtime, raw, expected } of cases) {
    test(`${runtime}: ${raw}`, () => assert.deepStrictEqual(interpretCapabilityName(runtime, raw), expected));
  }
});

describe('bounding set arithmetic', () => {
  interface Case {
    readonly name: string;
    readonly runtime: Runtime;
    readonly privileged?: boolean;
    readonly add?: readonly string[];
    readonly drop?: readonly string[];
    readonly expected: CapabilityArithmetic;
  }
  const none: CapabilityArithmetic['unusable'] = [];
  const cases: Case[] = [
    // containerd: add ALL → all; drop ALL → none; then adds; then drops (drop wins); always prefixes CAP_.
    { name: 'defaults', runtime: 'containerd', expected: { bounding: DOCKER_DEFAULTS, unusable: none } },
    { name: 'adds', runtime: 'containerd', add: ['NET_ADMIN', 'SYS_TIME'], expected: { bounding: plus(DOCKER_DEFAULTS, 'NET_ADMIN', 'SYS_TIME'), unusable: none } },
    { name: 'drops', runtime: 'containerd', drop: ['NET_RAW', 'MKNOD'], expected: { bounding: without(DOCKER_DEFAULTS, 'NET_RAW', 'MKNOD'), unusable: none } },
    { name: 'drop ALL', runtime: 'containerd', drop: ['ALL'], expected: { bounding: [], unusable: none } },
    { name: 'drop ALL then add', runtime: 'containerd', add: ['NET_BIND_SERVICE'], drop: ['ALL'], expected: { bounding: ['NET_BIND_SERVICE'], unusable: none } },
    { name: 'add ALL', runtime: 'containerd', add: ['ALL'], expected: { bounding: KERNEL, unusable: none } },
    { name: 'add ALL minus drops', runtime: 'containerd', add: ['ALL'], drop: ['SYS_ADMIN'], expected: { bounding: without(KERNEL, 'SYS_ADMIN'), unusable: none } },
    { name: 'add ALL and drop ALL: none', runtime: 'containerd', add: ['ALL'], drop: ['ALL'], expected: { bounding: [], unusable: none } },
    { name: 'add and drop the same: drop wins', runtime: 'containerd', add: ['NET_ADMIN'], drop: ['NET_ADMIN'], expected: { bounding: DOCKER_DEFAULTS, unusable: none } },
    { name: 'lower case is upper-cased', runtime: 'containerd', add: ['net_admin'], drop: ['all'], expected: { bounding: ['NET_ADMIN'], unusable: none } },
    { name: 'CAP_ prefix in add is not granted', runtime: 'containerd', add: ['CAP_SYS_PTRACE'], expected: { bounding: DOCKER_DEFAULTS, unusable: [{ raw: 'CAP_SYS_PTRACE', list: 'add', problem: 'ignored' }] } },
    { name: 'CAP_ prefix in drop drops nothing', runtime: 'containerd', drop: ['CAP_NET_RAW'], expected: { bounding: DOCKER_DEFAULTS, unusable: [{ raw: 'CAP_NET_RAW', list: 'drop', problem: 'ignored' }] } },
    { name: 'unknown name ignored', runtime: 'containerd', add: ['NET_ADMN'], expected: { bounding: DOCKER_DEFAULTS, unusable: [{ raw: 'NET_ADMN', list: 'add', problem: 'ignored' }] } },
    { name: 'privileged: all, add/drop ignored', runtime: 'containerd', privileged: true, add: ['CAP_FOO'], drop: ['ALL'], expected: { bounding: KERNEL, unusable: none } },

    // CRI-O: same order as containerd over its own defaults; prefixes only when missing; refuses unknown names.
    { name: 'defaults', runtime: 'cri-o', expected: { bounding: CRIO_DEFAULTS, unusable: none } },
    { name: 'adds', runtime: 'cri-o', add: ['NET_RAW', 'SYS_CHROOT'], expected: { bounding: plus(CRIO_DEFAULTS, 'NET_RAW', 'SYS_CHROOT'), unusable: none } },
    { name: 'CAP_ prefix accepted', runtime: 'cri-o', add: ['CAP_SYS_PTRACE'], drop: ['CAP_KILL'], expected: { bounding: plus(without(CRIO_DEFAULTS, 'KILL'), 'SYS_PTRACE'), unusable: none } },
    { name: 'case-insensitive', runtime: 'cri-o', add: ['cap_net_admin'], drop: ['All'], expected: { bounding: ['NET_ADMIN'], unusable: none } },
    { name: 'drop ALL', runtime: 'cri-o', drop: ['ALL'], expected: { bounding: [], unusable: none } },
    { name: 'add ALL minus drops', runtime: 'cri-o', add: ['ALL'], drop: ['NET_RAW'], expected: { bounding: without(KERNEL, 'NET_RAW'), unusable: none } },
    { name: 'add and drop the same: drop wins', runtime: 'cri-o', add: ['SYS_ADMIN'], drop: ['SYS_ADMIN'], expected: { bounding: CRIO_DEFAULTS, unusable: none } },
    { name: 'unknown names refused', runtime: 'cri-o', add: ['NET_ADMN'], drop: ['FOO'], expected: { bounding: CRIO_DEFAULTS, unusable: [{ raw: 'NET_ADMN', list: 'add', problem: 'rejected' }, { raw: 'FOO', list: 'drop', problem: 'rejected' }] } },
    { name: 'CAP_ALL is not ALL', runtime: 'cri-o', add: ['CAP_ALL'], expected: { bounding: CRIO_DEFAULTS, unusable: [{ raw: 'CAP_ALL', list: 'add', problem: 'rejected' }] } },
    { name: 'privileged: all', runtime: 'cri-o', privileged: true, drop: ['ALL'], expected: { bounding: KERNEL, unusable: none } },

    // Docker: add ALL → all minus drops; else drop ALL → only adds; else defaults − drops + adds (add wins).
    { name: 'defaults', runtime: 'docker', expected: { bounding: DOCKER_DEFAULTS, unusable: none } },
    { name: 'adds and drops', runtime: 'docker', add: ['SYS_PTRACE'], drop: ['NET_RAW'], expected: { bounding: plus(without(DOCKER_DEFAULTS, 'NET_RAW'), 'SYS_PTRACE'), unusable: none } },
    { name: 'add and drop the same: add wins', runtime: 'docker', add: ['NET_ADMIN', 'CHOWN'], drop: ['NET_ADMIN', 'CHOWN'], expected: { bounding: plus(DOCKER_DEFAULTS, 'NET_ADMIN'), unusable: none } },
    { name: 'add ALL minus drops', runtime: 'docker', add: ['ALL'], drop: ['SYS_ADMIN', 'CAP_NET_ADMIN'], expected: { bounding: without(KERNEL, 'SYS_ADMIN', 'NET_ADMIN'), unusable: none } },
    { name: 'add ALL wins over drop ALL', runtime: 'docker', add: ['ALL'], drop: ['ALL'], expected: { bounding: KERNEL, unusable: none } },
    { name: 'drop ALL keeps only the adds', runtime: 'docker', add: ['CAP_CHOWN', 'net_bind_service'], drop: ['all'], expected: { bounding: ['CHOWN', 'NET_BIND_SERVICE'], unusable: none } },
    { name: 'both spellings accepted', runtime: 'docker', add: ['CAP_SYS_PTRACE', 'SYS_TIME'], expected: { bounding: plus(DOCKER_DEFAULTS, 'SYS_PTRACE', 'SYS_TIME'), unusable: none } },
    { name: 'unknown names refused', runtime: 'docker', add: ['NET_ADMN'], expected: { bounding: DOCKER_DEFAULTS, unusable: [{ raw: 'NET_ADMN', list: 'add', problem: 'rejected' }] } },
    { name: 'CAP_ALL is not ALL', runtime: 'docker', add: ['CAP_ALL'], drop: ['NET_RAW'], expected: { bounding: without(DOCKER_DEFAULTS, 'NET_RAW'), unusable: [{ raw: 'CAP_ALL', list: 'add', problem: 'rejected' }] } },
    { name: 'privileged: all', runtime: 'docker', privileged: true, add: ['NET_ADMIN'], drop: ['ALL'], expected: { bounding: KERNEL, unusable: none } },
  ];
  for (const c of cases) {
    const label = `${c.runtime}: ${c.name}${c.privileged ? ' (privileged)' : ''} — add [${(c.add ?? []).join(' ')}] drop [${(c.drop ?? []).join(' ')}]`;
    test(label, () => assert.deepStrictEqual(boundingSet(c.runtime, c.privileged ?? false, c.add ?? [], c.drop ?? []), c.expected));
  }
});
