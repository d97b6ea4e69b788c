import type { Rule } from './rule';
import { keySpanAt } from '../kubernetes/model';
import { quoteList } from '../kubernetes/walk';
import { stringList } from '../kubernetes/fields';
import { mapAt } from '../yaml/nodes';
import { moveCapabilitiesFixes } from '../fixes/capabilities';

export const capabilitiesAtPodLevel: Rule = {
  meta: {
    id: 'capabilities-at-pod-level',
    title: 'capabilities in the pod-level securityContext',
    category: 'validity',
    defaultSeverity: 'error',
    docs: {
      summary: 'Flags `capabilities` in a pod\'s `spec.securityContext`, where Kubernetes has no such field.',
      why: 'PodSecurityContext has no `capabilities` field. With strict field validation the API server rejects the object; otherwise the field is silently dropped and no container gets the capabilities. Capabilities can only be set per container.',
      bad: { file: 'pod.yaml', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  securityContext:\n    capabilities:\n      add: ["NET_BIND_SERVICE"]\n  containers:\n    - name: web\n      image: nginx\n' },
      good: { file: 'pod.yaml', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx\n      securityContext:\n        capabilities:\n          add: ["NET_BIND_SERVICE"]\n' },
      fix: 'Safe: moves `add`/`drop` into every container (merged with each container\'s own lists, no duplicates), or into one chosen container.',
      references: ['https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#security-context-1', 'https://kubernetes.io/docs/tasks/configure-pod-container/security-context/#set-capabilities-for-a-container'],
    },
  },
  kubernetes(ctx) {
    for (const pod of ctx.model.pods) {
      const caps = mapAt(pod.securityContext, 'capabilities');
      const span = keySpanAt(pod.securityContext, 'capabilities');
      if (!span) continue;
      const names = pod.containers.map((c) => c.name);
      const requested = [...stringList(caps, 'add').map((i) => `+${i.value}`), ...stringList(caps, 'drop').map((i) => `-${i.value}`)];
      const what = requested.length ? ` (${requested.join(' ')})` : '';
      ctx.report({
        span,
        message: `capabilities is not a pod-level securityContext field: the API server rejects it under strict field validation or drops it, so ${names.length ? `container${names.length > 1 ? 's' : ''} ${quoteList(names)} do${names.length > 1 ? '' : 'es'} not get` : 'no container gets'} these capabilities${what}. Set them in each container's securityContext.`,
        fixes: moveCapabilitiesFixes(ctx.text, pod),
      });
    }
  },
};
