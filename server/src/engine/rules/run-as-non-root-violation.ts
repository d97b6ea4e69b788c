import type { Rule } from './rule';
import { containers } from '../kubernetes/walk';
import { setFieldFixes } from '../fixes/fields';
import type { Fix } from '../types';
import { imageUserOf } from '../images/user';

export const runAsNonRootViolation: Rule = {
  meta: {
    id: 'run-as-non-root-violation',
    title: 'the kubelet will refuse to start the container (runAsNonRoot)',
    category: 'kubelet',
    defaultSeverity: 'error',
    docs: {
      summary: 'Flags containers with `runAsNonRoot: true` that the kubelet will refuse to start: `runAsUser: 0`, an image that runs as root, or an image whose USER is a name. The image\'s user comes from a linked Dockerfile, its config (image lookup), or the well-known base-image table (`image: busybox` runs as root); an image nothing is known of is left to the kubelet.',
      why: 'The kubelet checks runAsNonRoot when it creates the container. It fails with `CreateContainerConfigError` when the uid is 0 or when the image user is a name it cannot verify ("image has non-numeric user (app), cannot verify user is non-root"). The pod never starts.',
      bad: { file: 'pod.yaml', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  securityContext:\n    runAsNonRoot: true\n  containers:\n    - name: app\n      image: app:1\n      securityContext:\n        runAsUser: 0\n' },
      good: { file: 'pod.yaml', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  securityContext:\n    runAsNonRoot: true\n  containers:\n    - name: app\n      image: app:1\n      securityContext:\n        runAsUser: 10001\n' },
      fix: 'Safe when the image\'s USER is a name a linked Dockerfile resolves: a second, not preferred fix writes its uid (and gid, unless the user has supplementary groups) in the Dockerfile, so the container runs with the same ids and groups. Unsafe: the preferred fix sets a numeric non-root `runAsUser` (the image\'s uid when a linked Dockerfile or its image facts know it): the image must work as that user.',
      fixSafety: [
        { fix: 'Run as uid N (runAsUser: N)', safety: 'unsafe', why: 'The container runs as another user; the image must work as it.' },
        { fix: 'Use a numeric USER in the linked Dockerfile (not preferred)', safety: 'safe', why: 'The same uid, primary gid and groups (bare uid when the user has supplementary groups, as above).' },
      ],
      references: ['https://github.com/kubernetes/kubernetes/blob/master/pkg/kubelet/kuberuntime/security_context_others.go'],
    },
  },
  kubernetes(ctx) {
    for (const { pod, container, context } of containers(ctx.model)) {
      const { verdict, message } = context.runAsNonRoot;
      if (verdict !== 'fail' && verdict !== 'unverifiable') continue;
      const span = context.user.source === 'container' || context.user.source === 'pod' ? context.user.span ?? container.nameSpan : container.nameSpan;
      const image = container.image ? imageUserOf(ctx.options, container.image) : undefined;
      // The same uid and primary gid; a user with supplementary groups gets the bare uid, as Docker adds the
      // image's /etc/group memberships only when no group is given (moby/sys/user GetExecUser).
      const spec = image?.uid !== undefined ? `${image.uid}${image.gid !== undefined && !image.supplementaryGroups?.length ? `:${image.gid}` : ''}` : '';
      const numericUser: Fix[] = image?.userSpan && image.dockerfile !== undefined && image.uid !== undefined && image.uid > 0 && verdict === 'unverifiable'
        ? [{ title: `Use a numeric USER ${spec} in ${image.dockerfile.split(/[\\/]/).pop()}`, safety: 'safe', edits: [{ file: image.dockerfile, start: image.userSpan.start, end: image.userSpan.end, newText: spec }] }]
        : [];
      ctx.report({
        span,
        message: `The kubelet will not start container "${container.name}": ${message}.`,
        // A Windows pod's user is an account name (windowsOptions.runAsUserName): no uid to set.
        fixes: pod.windows ? [] : [...setFieldFixes(ctx.text, pod, container, ctx.options, 'numeric-user'), ...numericUser],
      });
    }
  },
};
