import type { Rule } from './rule';
import { reportPss } from './pss';
import { removeFieldFix } from '../fixes/fields';

export const hostProbe: Rule = {
  meta: {
    id: 'host-probe',
    title: 'probe or lifecycle handler on another host',
    category: 'pod-security',
    defaultSeverity: 'warning',
    pss: { level: 'baseline', checks: ['hostProbesAndHostLifecycle'] },
    docs: {
      summary: 'Flags `host` in the `httpGet` or `tcpSocket` handler of a liveness, readiness or startup probe or of a `postStart`/`preStop` hook (Pod Security Standards, baseline, from Kubernetes 1.34).',
      why: 'The kubelet runs these probes and handlers itself, from the node. With `host` set it connects wherever the manifest says (another node, the cloud metadata endpoint, an internal service) with the node\'s network position, so a pod author can make the kubelet reach addresses the pod could not (server-side request forgery), and probe results and events tell them whether those addresses answer.',
      bad: { file: 'pod.yaml', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: web:1\n      livenessProbe:\n        httpGet:\n          host: 169.254.169.254\n          path: /latest/meta-data/\n          port: 80\n' },
      good: { file: 'pod.yaml', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: web:1\n      livenessProbe:\n        httpGet:\n          path: /healthz\n          port: 8080\n' },
      fix: 'Unsafe: removes `host`, so the kubelet connects to the pod\'s own IP; check that the path and port answer there.',
      fixSafety: [
        { fix: 'Remove host', safety: 'unsafe', why: 'The kubelet then probes the pod\'s own IP instead of the host written.' },
      ],
      references: [
        'https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline',
        'https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/',
        'https://github.com/kubernetes/pod-security-admission/blob/master/policy/check_hostProbesAndhostLifecycle.go',
      ],
    },
  },
  kubernetes(ctx) {
    reportPss(ctx, this.meta.pss!.checks, (pod, _v, path) => removeFieldFix(ctx.text, pod, path));
  },
};
