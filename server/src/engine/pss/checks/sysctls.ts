/** Port of upstream `check_sysctls.go`: the safe list grows at 1.27, 1.29, 1.32 and 1.37. */
import { listOf, recordOf, scalarString } from '../model';
import type { CheckFinding, FieldPath, PodView, PssCheck } from '../model';

const SAFE_1_0 = [
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_unprivileged_port_start',
];
const SAFE_1_27 = [...SAFE_1_0, 'net.ipv4.ip_local_reserved_ports'];
const SAFE_1_29 = [
  ...SAFE_1_27,
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
];
const SAFE_1_32 = [...SAFE_1_29, 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem'];
const SAFE_1_37 = [...SAFE_1_32, 'net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat'];

function sysctlsCheck(safe: readonly string[]) {
  const allowed: ReadonlySet<string> = new Set(safe);
  return (pod: PodView): CheckFinding | undefined => {
    const forbidden: string[] = [];
    const paths: FieldPath[] = [];
    listOf(pod.podSecurityContext?.['sysctls']).forEach((entry, index) => {
      const sysctl = recordOf(entry);
      if (!sysctl) return;
      const name = scalarString(sysctl['name']) ?? '';
      if (allowed.has(name)) return;
      forbidden.push(name);
      paths.push(['spec', 'securityContext', 'sysctls', index, 'name']);
    });
    if (forbidden.length === 0) return undefined;
    // In manifest order and with repeats, as upstream lists them.
    return { reason: 'forbidden sysctls', detail: forbidden.join(', '), paths };
  };
}

export const sysctls: PssCheck = {
  id: 'sysctls',
  level: 'baseline',
  title: 'Sysctls',
  description:
    'Only namespaced sysctls isolated from other pods are allowed in spec.securityContext.sysctls; the safe list ' +
    'grows with the Kubernetes version (1.27, 1.29, 1.32, 1.37).',
  versions: [
    { since: 0, evaluate: sysctlsCheck(SAFE_1_0) },
    { since: 27, evaluate: sysctlsCheck(SAFE_1_27) },
    { since: 29, evaluate: sysctlsCheck(SAFE_1_29) },
    { since: 32, evaluate: sysctlsCheck(SAFE_1_32) },
    { since: 37, evaluate: sysctlsCheck(SAFE_1_37) },
  ],
};
