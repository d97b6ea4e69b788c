import type { Rule } from './rule';
import { boolField, stringField, stringList } from '../kubernetes/fields';
import { keySpanAt } from '../kubernetes/model';
import { containers } from '../kubernetes/walk';
import { mapAt, stringAt } from '../yaml/nodes';

/** validateWindows: PodSecurityContext fields the API server forbids in a Windows pod. */
const WINDOWS_FORBIDDEN_POD = ['appArmorProfile', 'seLinuxOptions', 'seccompProfile', 'fsGroup', 'fsGroupChangePolicy', 'sysctls', 'runAsUser', 'runAsGroup', 'supplementalGroups'];
/** validateWindows: container SecurityContext fields the API server forbids in a Windows pod. */
const WINDOWS_FORBIDDEN_CONTAINER = ['appArmorProfile', 'seLinuxOptions', 'seccompProfile', 'capabilities', 'readOnlyRootFilesystem', 'privileged', 'allowPrivilegeEscalation', 'procMount', 'runAsUser', 'runAsGroup'];

export const invalidSecurityContext: Rule = {
  meta: {
    id: 'invalid-security-context',
    title: 'securityContext the API server rejects',
    category: 'validity',
    defaultSeverity: 'error',
    docs: {
      summary: 'Flags securityContext settings the API server\'s validation rejects: `allowPrivilegeEscalation: false` with `privileged: true` or an added `CAP_SYS_ADMIN`; `procMount: Unmasked` without `hostUsers: false`; Linux-only fields (`runAsUser`, `runAsGroup`, `seLinuxOptions`, `capabilities`, …) in a Windows pod and `windowsOptions` in a Linux one; and warns that with `SYS_ADMIN` escalation remains possible.',
      why: 'The API server refuses the object ("cannot set `allowPrivilegeEscalation` to false and `privileged` to true"; "`hostUsers` must be false to use `Unmasked`"; "cannot be set for a windows pod"; "windows options cannot be set for a linux pod"). Its check matches the literal `CAP_SYS_ADMIN` only: with `SYS_ADMIN` the object is accepted, yet a process holding SYS_ADMIN can still gain privileges (mounts, namespaces), so the setting does not protect what it seems to.',
      bad: { file: 'pod.yaml', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n    - name: app\n      image: app:1\n      securityContext:\n        privileged: true\n        allowPrivilegeEscalation: false\n' },
      good: { file: 'pod.yaml', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n    - name: app\n      image: app:1\n      securityContext:\n        allowPrivilegeEscalation: false\n' },
      references: ['https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/core/validation/validation.go'],
    },
  },
  kubernetes(ctx) {
    for (const pod of ctx.model.pods) {
      const os = stringAt(mapAt(pod.spec, 'os'), 'name');
      const hostUsers = boolField(pod.spec, 'hostUsers')?.value ?? true;
      const levels = [
        { sc: pod.securityContext, label: `${pod.workload}`, path: 'spec.securityContext', forbidden: WINDOWS_FORBIDDEN_POD },
        ...pod.containers.map((c) => ({ sc: c.securityContext, label: `container "${c.name}"`, path: 'securityContext', forbidden: WINDOWS_FORBIDDEN_CONTAINER })),
      ];
      for (const { sc, label, path, forbidden } of levels) {
        if (!sc) continue;
        if (pod.windows) {
          for (const key of forbidden) {
            const span = keySpanAt(sc, key);
            if (span) ctx.report({ span, message: `The API server rejects ${label}: ${path}.${key} cannot be set for a windows pod.` });
          }
        } else if (os === 'linux') {
          const span = keySpanAt(sc, 'windowsOptions');
          if (span) ctx.report({ span, message: `The API server rejects ${label}: ${path}.windowsOptions cannot be set for a linux pod.` });
        }
      }
      if (pod.windows || !hostUsers) continue;
      // validateSecurityContext: an unmasked /proc only inside a user namespace.
      for (const c of pod.containers) {
        const procMount = stringField(c.securityContext, 'procMount');
        if (procMount?.value === 'Unmasked') ctx.report({ span: procMount.keySpan, message: `The API server rejects container "${c.name}": procMount Unmasked needs hostUsers: false in the pod spec.` });
      }
    }
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
