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
      fix: 'Safe when it moves only `drop`: moves `add`/`drop` into every container (merged with each container\'s own lists, no duplicates), or into one chosen container; removing a pod-level `capabilities` that names nothing, or when there are no containers, is safe too. Unsafe when it moves `add`: today no container has those capabilities (the pod level applies to none), so moving them grants. It stays the preferred quick fix in the editor, but `--fix` and fix-all-on-save leave it.',
      fixSafety: [
        { fix: 'Move capabilities to all containers / to container "X" only, with `add`', safety: 'unsafe', why: 'The pod level applies to no container: the moved `add` grants capabilities the containers do not have today. Still the preferred quick fix in the editor.' },
        { fix: 'Move capabilities to all containers / to container "X" only, `drop` alone', safety: 'safe', why: 'Dropping is what the author wrote, and narrows; nothing is granted.' },
        { fix: 'Remove the pod-level capabilities (they apply to no container)', safety: 'safe', why: 'The field does nothing today (no names, or no containers).' },
        { fix: 'Helm values: Move capabilities to the containers\' block', safety: 'unsafe', why: 'Same as the move above when the block has `add`; safe for `drop` alone.' },
      ],
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
