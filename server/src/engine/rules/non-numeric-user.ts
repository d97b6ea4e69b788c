import type { Rule } from './rule';
import type { DockerfileModel, ResolvedUser, Stage } from '../dockerfile/model';
import type { Fix } from '../types';

/** The stage holding the USER instruction the image's user comes from. */
function stageOfUser(model: DockerfileModel, user: ResolvedUser): Stage | undefined {
  return model.stages.find((s) => s.users.some((u) => u.span.start === user.span?.start));
}

/**
 * The numeric replacement: `uid:gid`, or the uid alone when the gid is not known or the user has
 * supplementary groups (a bare uid keeps its /etc/passwd groups; `uid:gid` would drop them).
 */
function numericSpec(user: ResolvedUser, stage: Stage | undefined): string | undefined {
  if (user.uid === undefined || user.value === undefined) return undefined;
  const groupPart = user.value.includes(':') ? user.value.slice(user.value.indexOf(':') + 1) : undefined;
  if (groupPart !== undefined) return `${user.uid}:${user.gid ?? groupPart}`;
  const supplementary = stage?.accounts.users.find((a) => a.name === user.name)?.groups?.length;
  return user.gid !== undefined && !supplementary ? `${user.uid}:${user.gid}` : `${user.uid}`;
}

export const nonNumericUser: Rule = {
  meta: {
    id: 'non-numeric-user',
    title: 'USER names a user instead of a uid',
    category: 'image',
    defaultSeverity: 'warning',
    docs: {
      summary: 'Flags the USER an image runs as when it is a name (`USER app`) rather than a numeric uid.',
      why: 'With `runAsNonRoot: true` and no `runAsUser`, the kubelet must prove the image does not run as root, and it trusts only a numeric USER: a name fails with "image has non-numeric user (app), cannot verify user is non-root" and the container never starts. A uid also keeps the image\'s user independent of /etc/passwd.',
      bad: { file: 'Dockerfile', code: 'FROM alpine:3.20\nRUN adduser -D -u 10001 app\nUSER app\n' },
      good: { file: 'Dockerfile', code: 'FROM alpine:3.20\nRUN adduser -D -u 10001 app\nUSER 10001:10001\n' },
      fix: 'Safe when the name resolves in this Dockerfile: replaces the USER argument with its uid and gid (`10001:10001`), or with the uid alone when the gid is not known or the user has supplementary groups, so the container runs with the same ids. Unsafe when the argument uses build arguments, which it replaces with today\'s values.',
      fixSafety: [
        { fix: 'Use USER uid:gid (or the bare uid) for a name this Dockerfile resolves', safety: 'safe', why: 'The same uid and primary gid; a user with supplementary groups gets the bare uid, because Docker adds /etc/group memberships only when no group is given (moby/sys/user `GetExecUser`).' },
        { fix: 'Use USER uid:gid for a name from build arguments', safety: 'unsafe', why: 'Replaces the arguments with today\'s values: another `--build-arg` would have given another user.' },
      ],
      references: [
        'https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted',
        'https://github.com/kubernetes/kubernetes/blob/master/pkg/kubelet/kuberuntime/security_context_others.go',
        'https://docs.docker.com/reference/dockerfile/#user',
      ],
    },
  },
  dockerfile(ctx) {
    const user = ctx.model.user;
    if (!user?.span || user.value === undefined || (user.source !== 'user-instruction' && user.source !== 'inherited-stage')) return;
    const name = user.value.split(':')[0];
    if (!name || /^\d+$/.test(name) || user.uid === 0) return; // root: run-as-root reports it
    const stage = stageOfUser(ctx.model, user);
    if (user.missing?.user && stage && stage.accountsKnown !== 'dockerfile-only') return; // unknown-user reports it
    const replacement = numericSpec(user, stage);
    const viaArgs = user.buildArgs?.length || user.spec?.includes('$');
    const fixes: Fix[] = replacement
      ? [{ title: `Use USER ${replacement}`, safety: viaArgs ? 'unsafe' : 'safe', preferred: true, edits: [{ start: user.span.start, end: user.span.end, newText: replacement }] }]
      : [];
    const ids = user.uid !== undefined ? `${name} is uid ${user.uid}` : `its uid is not known here (${user.reason ?? 'unknown'})`;
    ctx.report({
      span: user.span,
      message: `USER ${user.spec?.trim() ?? name} is a name: with runAsNonRoot and no runAsUser, the kubelet cannot verify it is not root and will not start the container; ${ids}.`,
      fixes,
    });
  },
};
