import type { Rule } from './rule';
import { reportPss } from './pss';

export const seLinuxOptions: Rule = {
  meta: {
    id: 'selinux-options',
    title: 'forbidden SELinux options',
    category: 'pod-security',
    defaultSeverity: 'warning',
    pss: { level: 'baseline', checks: ['seLinuxOptions'] },
    docs: {
      summary: 'Flags `seLinuxOptions` that set `user` or `role`, or a `type` other than container_t, container_init_t, container_kvm_t (and, from Kubernetes 1.31, container_engine_t), at pod or container level (Pod Security Standards, baseline).',
      why: 'On SELinux-enforcing nodes the type decides what the container\'s processes may touch on the host. Types such as `spc_t` (super-privileged container) or `unconfined_t` are not confined, so host files and devices that a mount or an escape exposes are open to the container; a custom user or role can select a more privileged context the same way. The allowed types keep the process in the confined container domain, where the per-pod MCS level (`level`, which stays allowed) separates pods from each other.',
      bad: { file: 'pod.yaml', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: agent\nspec:\n  containers:\n    - name: agent\n      image: agent:1\n      securityContext:\n        seLinuxOptions:\n          type: spc_t\n' },
      good: { file: 'pod.yaml', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: agent\nspec:\n  containers:\n    - name: agent\n      image: agent:1\n      securityContext:\n        seLinuxOptions:\n          level: "s0:c123,c456"\n' },
      fix: 'None: the right SELinux context depends on the node\'s policy and what the workload does; decide by hand.',
      references: [
        'https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline',
        'https://kubernetes.io/docs/tasks/configure-pod-container/security-context/#assign-selinux-labels-to-a-container',
        'https://github.com/kubernetes/pod-security-admission/blob/master/policy/check_seLinuxOptions.go',
      ],
    },
  },
  kubernetes(ctx) {
    reportPss(ctx, this.meta.pss!.checks);
  },
};
