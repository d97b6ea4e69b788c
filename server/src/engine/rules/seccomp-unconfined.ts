import type { Rule } from './rule';
import { reportPss } from './pss';
import { runtimeDefaultProfileFix } from '../fixes/fields';
import { containerLabel, unconfinedOpts } from '../docker/findings';
import { removeSetting } from '../docker/fixes';

export const seccompUnconfined: Rule = {
  meta: {
    id: 'seccomp-unconfined',
    title: 'seccomp disabled',
    category: 'pod-security',
    defaultSeverity: 'warning',
    pss: { level: 'baseline', checks: ['seccompProfile_baseline'] },
    docs: {
      summary: 'Flags a `seccompProfile.type` other than RuntimeDefault or Localhost (that is, `Unconfined`) at pod or container level, and, before Kubernetes 1.19, seccomp annotations other than `runtime/default`, `docker/default` or `localhost/*` (Pod Security Standards, baseline).',
      why: 'With `Unconfined` the container runs with no seccomp filter: every system call of the node\'s kernel is reachable, including those the runtime\'s default profile blocks (`keyctl`, `add_key`, `userfaultfd`, `kexec_load`, and `unshare` or `mount` without CAP_SYS_ADMIN) and that kernel privilege-escalation exploits usually start from. Capabilities and namespaces are then the only barrier. Baseline allows leaving the profile unset, which also means Unconfined unless the kubelet runs with `seccompDefault: true`; `seccomp-profile-required` (restricted) flags that.',
      bad: { file: 'pod.yaml', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: tracer\nspec:\n  containers:\n    - name: tracer\n      image: tracer:1\n      securityContext:\n        seccompProfile:\n          type: Unconfined\n' },
      good: { file: 'pod.yaml', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: tracer\nspec:\n  containers:\n    - name: tracer\n      image: tracer:1\n      securityContext:\n        seccompProfile:\n          type: RuntimeDefault\n' },
      fix: 'Unsafe: sets the type to `RuntimeDefault` (an annotation to `runtime/default`). A workload that needs a system call the default profile blocks then fails with EPERM; give it a `Localhost` profile that allows just that call.',
      fixSafety: [
        { fix: 'Use the runtime\'s default seccomp profile; remove `seccomp=unconfined`', safety: 'unsafe', why: 'System calls the default profile blocks then fail.' },
      ],
      references: [
        'https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline',
        'https://kubernetes.io/docs/tutorials/security/seccomp/',
        'https://github.com/kubernetes/pod-security-admission/blob/master/policy/check_seccompProfile_baseline.go',
      ],
    },
  },
  kubernetes(ctx) {
    reportPss(ctx, this.meta.pss!.checks, (pod, _v, path) => runtimeDefaultProfileFix(ctx.text, pod, path, 'seccomp'));
  },
  /** `seccomp=unconfined` (or the old `seccomp:unconfined`) in `security_opt` / `--security-opt`. */
  docker(ctx) {
    for (const { container, setting } of unconfinedOpts(ctx.model, 'seccomp')) {
      const edits = removeSetting(ctx.text, container, setting);
      ctx.report({
        span: setting.span,
        message: `${containerLabel(container)} runs without seccomp: every system call of the host kernel is reachable, including those Docker's default profile blocks.`,
        fixes: edits ? [{ title: `Remove ${setting.raw}`, safety: 'unsafe', edits }] : [],
      });
    }
  },
};
