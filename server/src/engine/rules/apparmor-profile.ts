import type { Rule } from './rule';
import { reportPss } from './pss';
import { runtimeDefaultProfileFix } from '../fixes/fields';
import { containerLabel, unconfinedOpts } from '../docker/findings';
import { removeSetting } from '../docker/fixes';

export const appArmorProfile: Rule = {
  meta: {
    id: 'apparmor-profile',
    title: 'AppArmor disabled',
    category: 'pod-security',
    defaultSeverity: 'warning',
    pss: { level: 'baseline', checks: ['appArmorProfile'] },
    docs: {
      summary: 'Flags an `appArmorProfile.type` other than RuntimeDefault or Localhost (that is, `Unconfined`) at pod or container level, and `container.apparmor.security.beta.kubernetes.io/*` annotations other than `runtime/default`, `localhost/*` or empty (Pod Security Standards, baseline).',
      why: 'On nodes with AppArmor enabled (Ubuntu, Debian, SUSE) the runtime confines every container with its default profile, which denies `mount`, writes to most of /proc and /sys, and ptrace of processes outside the container. `Unconfined` removes that layer: a process that gains capabilities or reaches host files meets no mandatory access control.',
      bad: { file: 'pod.yaml', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: agent\nspec:\n  containers:\n    - name: agent\n      image: agent:1\n      securityContext:\n        appArmorProfile:\n          type: Unconfined\n' },
      good: { file: 'pod.yaml', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: agent\nspec:\n  containers:\n    - name: agent\n      image: agent:1\n      securityContext:\n        appArmorProfile:\n          type: RuntimeDefault\n' },
      fix: 'Unsafe: sets the type to `RuntimeDefault` (an annotation to `runtime/default`). A workload that needs something the default profile denies then fails with EACCES; give it a `Localhost` profile instead.',
      fixSafety: [
        { fix: 'Use the runtime\'s default AppArmor profile; remove `apparmor=unconfined`', safety: 'unsafe', why: 'Accesses the default profile denies then fail.' },
      ],
      references: [
        'https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline',
        'https://kubernetes.io/docs/tutorials/security/apparmor/',
        'https://github.com/kubernetes/pod-security-admission/blob/master/policy/check_appArmorProfile.go',
      ],
    },
  },
  kubernetes(ctx) {
    reportPss(ctx, this.meta.pss!.checks, (pod, _v, path) => runtimeDefaultProfileFix(ctx.text, pod, path, 'AppArmor'));
  },
  /** `apparmor=unconfined` (or the old `apparmor:unconfined`) in `security_opt` / `--security-opt`. */
  docker(ctx) {
    for (const { container, setting } of unconfinedOpts(ctx.model, 'apparmor')) {
      const edits = removeSetting(ctx.text, container, setting);
      ctx.report({
        span: setting.span,
        message: `${containerLabel(container)} runs without AppArmor: Docker's docker-default profile (no mount, no writes to most of /proc and /sys) is off.`,
        fixes: edits ? [{ title: `Remove ${setting.raw}`, safety: 'unsafe', edits }] : [],
      });
    }
  },
};
