import type { Rule } from './rule';
import { containers } from '../kubernetes/walk';
import { setFieldFixes } from '../fixes/fields';
import type { ResolvedUser } from '../dockerfile/model';
import { containerLabel, quoted } from '../docker/findings';
import { setUser } from '../docker/fixes';

function why(user: ResolvedUser): string {
  const at = `USER ${user.spec?.trim() ?? ''} on line ${user.line ?? '?'}`;
  if (user.source === 'user-instruction') return `${at} sets it`;
  if (user.source === 'inherited-stage') return `the final stage inherits ${at} from an earlier stage`;
  return `there is no USER, and base image ${user.image ?? ''} runs as root`;
}

export const runAsRoot: Rule = {
  meta: {
    id: 'run-as-root',
    title: 'container runs as root',
    category: 'hardening',
    defaultSeverity: 'warning',
    docs: {
      summary: 'Flags containers whose effective user is uid 0: set explicitly with `runAsUser: 0`, or taken from an image known to run as root (a linked Dockerfile, the image\'s config when image lookup knows it, or the well-known base-image table: `busybox`, `nginx`, `ubuntu`…). An image nothing is known of is not flagged.',
      why: 'Root in a container is root on the node\'s kernel, limited only by capabilities, seccomp and namespaces. A container escape, a writable host mount or a privileged capability then acts as the node\'s root.',
      bad: { file: 'pod.yaml', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n    - name: app\n      image: app:1\n      securityContext:\n        runAsUser: 0\n' },
      good: { file: 'pod.yaml', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n    - name: app\n      image: app:1\n      securityContext:\n        runAsUser: 10001\n        runAsNonRoot: true\n' },
      fix: 'Unsafe: sets `runAsNonRoot: true` and `runAsUser` to the image\'s non-root uid (from a linked Dockerfile or its image facts) or `secctx.defaultNonRootUid` (10001). The image must work as that user.',
      fixSafety: [
        { fix: 'Run as non-root uid N (runAsNonRoot, runAsUser; USER N; Compose `user`)', safety: 'unsafe', why: 'Narrows, but beyond what was written: the image must work as another user.' },
      ],
      references: ['https://kubernetes.io/docs/tasks/configure-pod-container/security-context/'],
    },
  },
  kubernetes(ctx) {
    for (const { pod, container, context } of containers(ctx.model)) {
      if (pod.windows || context.user.value !== 0 || context.user.source === 'default') continue;
      const where = context.user.source === 'image' ? `its image runs as root (${context.user.note})` : `runAsUser: 0 is set in the ${context.user.source} securityContext`;
      ctx.report({
        span: context.user.source === 'image' ? container.nameSpan : context.user.span ?? container.nameSpan,
        message: `Container "${container.name}" runs as root (uid 0): ${where}.`,
        fixes: setFieldFixes(ctx.text, pod, container, ctx.options, 'non-root'),
      });
    }
  },
  /** A Dockerfile whose final stage runs as root: no USER on a root base, or USER root/0. */
  dockerfile(ctx) {
    const stage = ctx.model.stages[ctx.model.stages.length - 1];
    const user = ctx.model.user;
    if (!stage || !user || user.uid !== 0) return;
    const uid = String(ctx.options.defaultNonRootUid);
    const inFinalStage = user.source === 'user-instruction' && user.span && user.span.start >= stage.span.start;
    const eol = /\r?\n$/.test(ctx.text) || ctx.text === '' ? '' : '\n';
    const edit = inFinalStage && user.span
      ? { start: user.span.start, end: user.span.end, newText: uid }
      : { start: ctx.text.length, end: ctx.text.length, newText: `${eol}USER ${uid}\n` };
    ctx.report({
      span: user.span ?? (stage.base.kind === 'image' ? stage.base.span : stage.span),
      message: `The image runs as root (uid 0): ${why(user)}.`,
      fixes: [{ title: `Run as uid ${uid} (USER ${uid})`, safety: 'unsafe', edits: [edit] }],
    });
  },
  /** A Compose service or `docker run` whose user is root: `user: root`/`--user 0`, or a linked image that runs as root. */
  docker(ctx) {
    for (const c of ctx.model.containers) {
      const user = c.effective.user;
      const setting = c.settings.user;
      if (user.value !== 0 || (setting?.inheritedFrom !== undefined && setting.value !== undefined)) continue;
      const uid = String(ctx.options.defaultNonRootUid);
      const edits = setUser(ctx.text, c, uid);
      ctx.report({
        span: setting?.span ?? c.nameSpan,
        message: `${containerLabel(c)} runs as root (uid 0): ${setting ? `${quoted(c, setting)} is set` : `its image runs as root (${user.note})`}.`,
        fixes: edits ? [{ title: `Run as uid ${uid}`, safety: 'unsafe', edits }] : [],
      });
    }
  },
};
