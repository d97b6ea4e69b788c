import type { Rule } from './rule';
import { reportPss } from './pss';
import { removeFieldFix } from '../fixes/fields';
import { containerLabel, settingsOnce } from '../docker/findings';
import { removeSetting } from '../docker/fixes';

export const privileged: Rule = {
  meta: {
    id: 'privileged',
    title: 'privileged container',
    category: 'pod-security',
    defaultSeverity: 'warning',
    pss: { level: 'baseline', checks: ['privileged'] },
    docs: {
      summary: 'Flags containers with `privileged: true` (Pod Security Standards, baseline).',
      why: 'A privileged container gets all 41 capabilities (add/drop are ignored), every host device, and no seccomp or AppArmor confinement: root in it is root on the node.',
      bad: { file: 'pod.yaml', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: agent\nspec:\n  containers:\n    - name: agent\n      image: agent:1\n      securityContext:\n        privileged: true\n' },
      good: { file: 'pod.yaml', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: agent\nspec:\n  containers:\n    - name: agent\n      image: agent:1\n      securityContext:\n        capabilities:\n          add: ["NET_BIND_SERVICE"]\n' },
      fix: 'Unsafe: removes `privileged: true`; grant the specific capabilities the workload needs instead.',
      fixSafety: [
        { fix: 'Remove privileged: true (and Compose `privileged`, `--privileged`)', safety: 'unsafe', why: 'Takes away what the author wrote; the workload may need it.' },
      ],
      references: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline'],
    },
  },
  kubernetes(ctx) {
    reportPss(ctx, this.meta.pss!.checks, (pod, _v, path) => removeFieldFix(ctx.text, pod, path));
  },
  /** `privileged: true` in a Compose service, `--privileged` on a `docker run` line. */
  docker(ctx) {
    for (const { container, setting } of settingsOnce(ctx.model, (s) => s.privileged)) {
      if (setting.value !== true) continue;
      const edits = removeSetting(ctx.text, container, setting);
      ctx.report({
        span: setting.span,
        message: `${containerLabel(container)} is privileged: every capability and host device, no seccomp, AppArmor or SELinux confinement, unmasked /proc and /sys. Root in it is root on the host.`,
        fixes: edits ? [{ title: `Remove ${setting.field}`, safety: 'unsafe', edits }] : [],
      });
    }
  },
};
