import type { Rule } from './rule';
import { reportPss } from './pss';
import { containerAt } from './pss-fixes';
import { podNonRootFixes, replaceScalarFix, setFieldFixes } from '../fixes/fields';

export const runAsNonRoot: Rule = {
  meta: {
    id: 'run-as-non-root',
    title: 'runAsNonRoot not required',
    category: 'pod-security',
    defaultSeverity: 'info',
    pss: { level: 'restricted', checks: ['runAsNonRoot'] },
    docs: {
      summary: 'Flags pods where neither the pod nor every container sets `runAsNonRoot: true`, and any level that sets it to false (Pod Security Standards, restricted; from Kubernetes 1.35 pods with `hostUsers: false` are exempt).',
      why: 'Without `runAsNonRoot: true` nothing stops a container from running as uid 0: an image without a USER (most base images) runs as root, and root in the container is root on the node\'s kernel, limited only by capabilities, seccomp and namespaces. With it, the kubelet checks the user before it starts the container and refuses root with `CreateContainerConfigError`, whatever the image says.',
      bad: { file: 'pod.yaml', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n    - name: app\n      image: app:1\n' },
      good: { file: 'pod.yaml', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  securityContext:\n    runAsNonRoot: true\n    runAsUser: 10001\n  containers:\n    - name: app\n      image: app:1\n' },
      fix: 'Unsafe: where no level sets it, sets `runAsNonRoot: true` and `runAsUser` in the pod securityContext (the images\' common non-root uid, else `secctx.defaultNonRootUid`); for one container, sets `runAsNonRoot: true` and `runAsUser` to the image\'s non-root uid (from a linked Dockerfile) or `secctx.defaultNonRootUid` (10001), so the kubelet can verify the user; the image must work as that user. A pod-level `runAsNonRoot: false` becomes `true`.',
      fixSafety: [
        { fix: 'Require a non-root user (runAsNonRoot: true, runAsUser: N), in the pod or one container', safety: 'unsafe', why: 'The kubelet then refuses a root image, and the container runs as another user.' },
      ],
      references: [
        'https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted',
        'https://kubernetes.io/docs/tasks/configure-pod-container/security-context/',
        'https://github.com/kubernetes/pod-security-admission/blob/master/policy/check_runAsNonRoot.go',
      ],
    },
  },
  kubernetes(ctx) {
    reportPss(ctx, this.meta.pss!.checks, (pod, _v, path) => {
      const container = containerAt(pod, path);
      if (container) return setFieldFixes(ctx.text, pod, container, ctx.options, 'non-root');
      // The pod's `runAsNonRoot: false` is turned round; a pod-wide gap (no level sets it) is closed once, in the pod.
      const fixes = replaceScalarFix(ctx.text, pod, path, 'true', 'Require a non-root user (runAsNonRoot: true)');
      return fixes.length ? fixes : podNonRootFixes(ctx.text, pod, ctx.options);
    });
  },
};
