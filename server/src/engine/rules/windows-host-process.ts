import type { Rule } from './rule';
import { reportPss } from './pss';

export const windowsHostProcess: Rule = {
  meta: {
    id: 'windows-host-process',
    title: 'Windows HostProcess container',
    category: 'pod-security',
    defaultSeverity: 'warning',
    pss: { level: 'baseline', checks: ['windowsHostProcess'] },
    docs: {
      summary: 'Flags `windowsOptions.hostProcess: true` at pod or container level (Pod Security Standards, baseline).',
      why: 'A Windows HostProcess container is not isolated: it runs as a process on the node, in the node\'s network namespace (the API requires `hostNetwork: true` with it), with the node\'s file system and as a node account such as `NT AUTHORITY\\SYSTEM`. It has the node\'s privileges, like a privileged Linux container.',
      bad: { file: 'pod.yaml', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: node-agent\nspec:\n  os:\n    name: windows\n  hostNetwork: true\n  securityContext:\n    windowsOptions:\n      hostProcess: true\n      runAsUserName: "NT AUTHORITY\\\\SYSTEM"\n  containers:\n    - name: node-agent\n      image: node-agent:1\n' },
      good: { file: 'pod.yaml', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  os:\n    name: windows\n  securityContext:\n    windowsOptions:\n      runAsUserName: ContainerUser\n  containers:\n    - name: app\n      image: app:1\n' },
      fix: 'None: a HostProcess container exists to act on the node; run the workload as a normal Windows container if it does not need that.',
      references: [
        'https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline',
        'https://kubernetes.io/docs/tasks/configure-pod-container/create-hostprocess-pod/',
        'https://github.com/kubernetes/pod-security-admission/blob/master/policy/check_windowsHostProcess.go',
      ],
    },
  },
  kubernetes(ctx) {
    reportPss(ctx, this.meta.pss!.checks);
  },
};
