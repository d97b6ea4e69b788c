import type { Rule } from './rule';
import { reportPss } from './pss';

export const hostPathVolume: Rule = {
  meta: {
    id: 'host-path-volume',
    title: 'hostPath volume',
    category: 'pod-security',
    defaultSeverity: 'warning',
    pss: { level: 'baseline', checks: ['hostPathVolumes'] },
    docs: {
      summary: 'Flags `hostPath` volumes (Pod Security Standards, baseline).',
      why: 'A hostPath volume mounts a file or directory of the node into the container. With `/`, `/etc`, `/var/lib/kubelet` or the container runtime\'s socket, the container can read every pod\'s secrets on the node, write static-pod manifests or cron jobs, or start containers of its own: node root in a few commands. `readOnly: true` limits writes, not reads, and what the pod may see depends on whatever other software puts under the path.',
      bad: { file: 'pod.yaml', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: logs\nspec:\n  containers:\n    - name: logs\n      image: logs:1\n      volumeMounts:\n        - name: varlog\n          mountPath: /var/log\n  volumes:\n    - name: varlog\n      hostPath:\n        path: /var/log\n' },
      good: { file: 'pod.yaml', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: logs\nspec:\n  containers:\n    - name: logs\n      image: logs:1\n      volumeMounts:\n        - name: scratch\n          mountPath: /var/log\n  volumes:\n    - name: scratch\n      emptyDir: {}\n' },
      fix: 'None: what replaces a node path (an emptyDir, a PersistentVolumeClaim, a DaemonSet with its own exemption) depends on why the pod reads the node; decide by hand.',
      references: [
        'https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline',
        'https://kubernetes.io/docs/concepts/storage/volumes/#hostpath',
        'https://github.com/kubernetes/pod-security-admission/blob/master/policy/check_hostPathVolumes.go',
      ],
    },
  },
  kubernetes(ctx) {
    reportPss(ctx, this.meta.pss!.checks);
  },
};
