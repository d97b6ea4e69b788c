import type { Rule } from './rule';
import { boolField, stringList } from '../kubernetes/fields';
import { containers } from '../kubernetes/walk';
import { mapAt } from '../yaml/nodes';

export const invalidSecurityContext: Rule = {
  meta: {
    id: 'invalid-security-context',
    title: 'securityContext the API server rejects',
    category: 'validity',
    defaultSeverity: 'error',
    docs: {
      summary: 'Flags combinations the API server\'s validation rejects: `allowPrivilegeEscalation: false` with `privileged: true`, or with an added `CAP_SYS_ADMIN`; and warns that with `SYS_ADMIN` escalation remains possible.',
      why: 'The API server refuses the object ("cannot set `allowPrivilegeEscalation` to false and `privileged` to true"). Its check matches the literal `CAP_SYS_ADMIN` only: with `SYS_ADMIN` the object is accepted, yet a process holding SYS_ADMIN can still gain privileges (mounts, namespaces), so the setting does not protect what it seems to.',
      bad: { file: 'pod.yaml', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n    - name: app\n      image: app:1\n      securityContext:\n        privileged: true\n        allowPrivilegeEscalation: false\n' },
      good: { file: 'pod.yaml', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n    - name: app\n      image: app:1\n      securityContext:\n        allowPrivilegeEscalation: false\n' },
      references: ['https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/core/validation/validation.go'],
    },
  },
  kubernetes(ctx) {
    for (const { container } of containers(ctx.model)) {
      const sc = container.securityContext;
      const ape = boolField(sc, 'allowPrivilegeEscalation');
      if (!ape || ape.value) continue;
      const privileged = boolField(sc, 'privileged');
      if (privileged?.value) {
        ctx.report({ span: ape.keySpan, message: `The API server rejects container "${container.name}": cannot set allowPrivilegeEscalation to false and privileged to true.` });
      }
      for (const item of stringList(mapAt(sc, 'capabilities'), 'add')) {
        if (item.value === 'CAP_SYS_ADMIN') {
          ctx.report({ span: item.span, message: `The API server rejects container "${container.name}": cannot set allowPrivilegeEscalation to false and capabilities.Add CAP_SYS_ADMIN.` });
        } else if (item.value.toUpperCase().replace(/^CAP_/, '') === 'SYS_ADMIN') {
          ctx.report({ span: item.span, severity: 'warning', message: `The API server accepts ${item.value} with allowPrivilegeEscalation: false (it only matches the literal CAP_SYS_ADMIN), but with SYS_ADMIN container "${container.name}" can still escalate privileges.` });
        }
      }
    }
  },
};
