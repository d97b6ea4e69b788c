import type { Rule } from './rule';
import { reportPss } from './pss';
import { setContainerFieldFix } from '../fixes/fields';

export const privilegeEscalation: Rule = {
  meta: {
    id: 'privilege-escalation',
    title: 'privilege escalation allowed',
    category: 'pod-security',
    defaultSeverity: 'info',
    pss: { level: 'restricted', checks: ['allowPrivilegeEscalation'] },
    docs: {
      summary: 'Flags containers that do not set `allowPrivilegeEscalation: false` (Pod Security Standards, restricted).',
      why: 'The default is true: the process may gain privileges through setuid-root binaries (`sudo`, `su`, `ping` on old images) or file capabilities, regaining the bounding set even when it runs as a non-root user. `false` sets no_new_privs.',
      bad: { file: 'pod.yaml', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n    - name: app\n      image: app:1\n' },
      good: { file: 'pod.yaml', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n    - name: app\n      image: app:1\n      securityContext:\n        allowPrivilegeEscalation: false\n' },
      fix: 'Unsafe: sets `allowPrivilegeEscalation: false` in the container.',
      fixSafety: [
        { fix: 'Set allowPrivilegeEscalation: false', safety: 'unsafe', why: 'setuid binaries and file capabilities stop working.' },
      ],
      references: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted'],
    },
  },
  kubernetes(ctx) {
    reportPss(ctx, this.meta.pss!.checks, (pod, _v, path) => setContainerFieldFix(ctx.text, pod, path, 'allowPrivilegeEscalation', 'false', 'Set allowPrivilegeEscalation: false'));
  },
};
