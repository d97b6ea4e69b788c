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
      fix: 'Unsafe: sets a numeric non-root `runAsUser` (the image\'s uid when a linked Dockerfile or its image facts know it).',
      references: ['https://github.com/kubernetes/kubernetes/blob/master/pkg/kubelet/kuberuntime/security_context_others.go'],
    },
  },
  kubernetes(ctx) {
    for (const { pod, container, context } of containers(ctx.model)) {
      const { verdict, message } = context.runAsNonRoot;
      if (verdict !== 'fail' && verdict !== 'unverifiable') continue;
      const span = context.user.source === 'container' || context.user.source === 'pod' ? context.user.span ?? container.nameSpan : container.nameSpan;
      const image = container.image ? imageUserOf(ctx.options, container.image) : undefined;
      const numericUser: Fix[] = image?.userSpan && image.dockerfile !== undefined && image.uid !== undefined && image.uid > 0 && verdict === 'unverifiable'
        ? [{ title: `Use a numeric USER ${image.uid}${image.gid !== undefined ? `:${image.gid}` : ''} in ${image.dockerfile.split(/[\\/]/).pop()}`, safety: 'safe', edits: [{ file: image.dockerfile, start: image.userSpan.start, end: image.userSpan.end, newText: `${image.uid}${image.gid !== undefined ? `:${image.gid}` : ''}` }] }]
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
