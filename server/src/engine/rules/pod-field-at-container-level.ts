import type { Rule } from './rule';
import { POD_ONLY_FIELDS } from '../kubernetes/fieldCatalog';
import { keySpanAt } from '../kubernetes/model';
import { hoistFieldToPodFix } from '../fixes/fields';

export const podFieldAtContainerLevel: Rule = {
  meta: {
    id: 'pod-field-at-container-level',
    title: 'pod-only field in a container securityContext',
    category: 'validity',
    defaultSeverity: 'error',
    docs: {
      summary: 'Flags `fsGroup`, `fsGroupChangePolicy`, `supplementalGroups`, `supplementalGroupsPolicy`, `sysctls` and `seLinuxChangePolicy` in a container\'s securityContext.',
      why: 'These fields exist only in the pod\'s `spec.securityContext`. In a container they are rejected under strict field validation or dropped: volumes are not group-owned, groups are not added, sysctls are not set.',
      bad: { file: 'pod.yaml', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: db\nspec:\n  containers:\n    - name: db\n      image: postgres\n      securityContext:\n        fsGroup: 999\n' },
      good: { file: 'pod.yaml', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: db\nspec:\n  securityContext:\n    fsGroup: 999\n  containers:\n    - name: db\n      image: postgres\n' },
      fix: 'Safe for the policies (`fsGroupChangePolicy`, `supplementalGroupsPolicy`, `seLinuxChangePolicy`), and for removing a container\'s copy of what the pod already sets: hoists the field to the pod when no other container sets a different value; otherwise no automatic fix. Unsafe for `fsGroup`, `supplementalGroups` and `sysctls`: at pod level a group or a sysctl applies to every container, which can then reach files and kernel settings it cannot today.',
      fixSafety: [
        { fix: 'Move `fsGroup` / `supplementalGroups` / `sysctls` to the pod securityContext', safety: 'unsafe', why: 'At pod level the group or sysctl applies to every container: they reach files, volumes and kernel settings they cannot today.' },
        { fix: 'Move `fsGroupChangePolicy` / `supplementalGroupsPolicy` / `seLinuxChangePolicy` to the pod securityContext', safety: 'safe', why: 'How ownership and labels are applied, or Merge (the default) vs Strict: nothing is granted.' },
        { fix: 'Remove the field from the containers (the pod securityContext already sets it)', safety: 'safe', why: 'The container copy does nothing today.' },
      ],
      references: ['https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#security-context'],
    },
  },
  kubernetes(ctx) {
    for (const pod of ctx.model.pods) {
      for (const container of pod.containers) {
        for (const field of POD_ONLY_FIELDS) {
          const span = keySpanAt(container.securityContext, field);
          if (!span) continue;
          const hoist = hoistFieldToPodFix(ctx.text, pod, container, field);
          ctx.report({
            span,
            message: `${field} is a pod securityContext field: in container "${container.name}" it is rejected under strict field validation or dropped, so it has no effect.${typeof hoist === 'string' ? ` ${hoist}` : ''}`,
            fixes: typeof hoist === 'string' ? [] : hoist,
          });
        }
      }
    }
  },
};
