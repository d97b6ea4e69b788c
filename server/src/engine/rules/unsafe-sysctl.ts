import type { Rule } from './rule';
import { reportPss } from './pss';

export const unsafeSysctl: Rule = {
  meta: {
    id: 'unsafe-sysctl',
    title: 'unsafe sysctl',
    category: 'pod-security',
    defaultSeverity: 'warning',
    pss: { level: 'baseline', checks: ['sysctls'] },
    docs: {
      summary: 'Flags pod `sysctls` outside the safe set: kernel.shm_rmid_forced, net.ipv4.ip_local_port_range, net.ipv4.tcp_syncookies, net.ipv4.ping_group_range, net.ipv4.ip_unprivileged_port_start, and the net.ipv4 port, keepalive, buffer and TCP tunables added in Kubernetes 1.27, 1.29, 1.32 and 1.37 (Pod Security Standards, baseline).',
      why: 'The kubelet rejects a pod that sets a sysctl outside its safe set (`SysctlForbidden`) unless it was started with `--allowed-unsafe-sysctls`. Where that is allowed, a namespaced but unisolated sysctl (`net.core.somaxconn`, `kernel.msgmax`, …) lets one pod consume or retune resources its neighbours on the node share, and a sysctl that is not namespaced at all (`vm.*`, most of `kernel.*`) cannot be set per pod: the runtime fails to create the sandbox.',
      bad: { file: 'pod.yaml', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: proxy\nspec:\n  securityContext:\n    sysctls:\n      - name: net.core.somaxconn\n        value: "4096"\n  containers:\n    - name: proxy\n      image: proxy:1\n' },
      good: { file: 'pod.yaml', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: proxy\nspec:\n  securityContext:\n    sysctls:\n      - name: net.ipv4.ip_local_port_range\n        value: "1024 65000"\n  containers:\n    - name: proxy\n      image: proxy:1\n' },
      fix: 'None: the workload needs the setting or it does not; set it on dedicated nodes that allow it, or drop it by hand.',
      references: [
        'https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline',
        'https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/',
        'https://github.com/kubernetes/pod-security-admission/blob/master/policy/check_sysctls.go',
      ],
    },
  },
  kubernetes(ctx) {
    reportPss(ctx, this.meta.pss!.checks);
  },
};
