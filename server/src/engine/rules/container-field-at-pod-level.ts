import type { Rule } from './rule';
import { CONTAINER_ONLY_FIELDS } from '../kubernetes/fieldCatalog';
import { keySpanAt } from '../kubernetes/model';
import { quoteList } from '../kubernetes/walk';
import { moveFieldToContainersFix } from '../fixes/fields';

export const containerFieldAtPodLevel: Rule = {
  meta: {
    id: 'container-field-at-pod-level',
    title: 'container-only field in the pod-level securityContext',
    category: 'validity',
    defaultSeverity: 'error',
    docs: {
      summary: 'Flags `privileged`, `allowPrivilegeEscalation`, `readOnlyRootFilesystem` and `procMount` in a pod\'s `spec.securityContext`.',
      why: 'These fields exist only in a container\'s securityContext. At pod level the API server rejects them under strict field validation or silently drops them: the setting you wrote does not apply to any container.',
      bad: { file: 'pod.yaml', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  securityContext:\n    readOnlyRootFilesystem: true\n  containers:\n    - name: web\n      image: nginx\n' },
      good: { file: 'pod.yaml', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx\n      securityContext:\n        readOnlyRootFilesystem: true\n' },
      fix: 'Safe: moves the field into every container; a container that sets its own value keeps it. Unsafe when the value grants something the containers cannot do today (`privileged: true`, `procMount: Unmasked`); `allowPrivilegeEscalation: true` and `readOnlyRootFilesystem: false` are what an unset field already means, so moving them is safe.',
      fixSafety: [
        { fix: 'Move `privileged: true` / `procMount: Unmasked` to all containers', safety: 'unsafe', why: 'The pod level applies to no container: the containers become privileged, or see an unmasked /proc.' },
        { fix: 'Move `readOnlyRootFilesystem`, `allowPrivilegeEscalation`, `privileged: false`, `procMount: Default` to all containers', safety: 'safe', why: 'Narrows, or writes what an unset field already means (the kubelet sets no_new_privs only for an explicit false: `AddNoNewPrivileges`).' },
        { fix: 'Remove the field from the pod securityContext (every container sets its own, or there are none)', safety: 'safe', why: 'The field does nothing today.' },
      ],
      references: ['https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#security-context-1'],
    },
  },
  kubernetes(ctx) {
    for (const pod of ctx.model.pods) {
      for (const field of CONTAINER_ONLY_FIELDS) {
        const span = keySpanAt(pod.securityContext, field);
        if (!span) continue;
        const names = pod.containers.map((c) => c.name);
        ctx.report({
          span,
          message: `${field} is a container securityContext field, not a pod one: it is rejected under strict field validation or dropped, so it applies to no container${names.length ? ` (${quoteList(names)} run without it)` : ''}.`,
          fixes: moveFieldToContainersFix(ctx.text, pod, field),
        });
      }
    }
  },
};
