import type { Rule } from './rule';
import { reportPss } from './pss';
import { removeFieldFix } from '../fixes/fields';

export const hostPort: Rule = {
  meta: {
    id: 'host-port',
    title: 'host port',
    category: 'pod-security',
    defaultSeverity: 'warning',
    pss: { level: 'baseline', checks: ['hostPorts'] },
    docs: {
      summary: 'Flags container ports with a `hostPort` other than 0 (Pod Security Standards, baseline).',
      why: 'The node forwards that port on its own addresses to the pod, so the pod is reachable from wherever the node is, outside Services and their access controls, and it can take over a port that clients expect to reach on the node. Only one pod per node can hold a given hostPort and protocol, so extra replicas stay Pending.',
      bad: { file: 'pod.yaml', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: web:1\n      ports:\n        - containerPort: 8080\n          hostPort: 8080\n' },
      good: { file: 'pod.yaml', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: web:1\n      ports:\n        - containerPort: 8080\n' },
      fix: 'Unsafe: removes `hostPort`; clients outside the cluster then need a Service (NodePort or LoadBalancer) to reach the port.',
      fixSafety: [
        { fix: 'Remove hostPort', safety: 'unsafe', why: 'Clients outside the cluster lose the port.' },
      ],
      references: [
        'https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline',
        'https://kubernetes.io/docs/concepts/configuration/overview/#services',
        'https://github.com/kubernetes/pod-security-admission/blob/master/policy/check_hostPorts.go',
      ],
    },
  },
  kubernetes(ctx) {
    reportPss(ctx, this.meta.pss!.checks, (pod, _v, path) => removeFieldFix(ctx.text, pod, path));
  },
};
