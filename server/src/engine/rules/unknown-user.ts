import type { Rule } from './rule';
import { stagesBuilt } from '../dockerfile/model';

export const unknownUser: Rule = {
  meta: {
    id: 'unknown-user',
    title: 'USER names an account the image does not have',
    category: 'image',
    defaultSeverity: 'warning',
    docs: {
      summary: 'Flags a USER whose user or group the Dockerfile never creates and its base image is not known to have.',
      why: 'The runtime looks the name up in the image\'s /etc/passwd (or /etc/group) when the container starts, and at every later RUN of the build: without an entry it fails with "unable to find user app: no matching entries in passwd file". On bases whose accounts are all known (scratch, distroless) the failure is certain.',
      bad: { file: 'Dockerfile', code: 'FROM gcr.io/distroless/static-debian12\nCOPY app /app\nUSER app\n' },
      good: { file: 'Dockerfile', code: 'FROM gcr.io/distroless/static-debian12\nCOPY app /app\nUSER nonroot\n' },
      references: ['https://docs.docker.com/reference/dockerfile/#user', 'https://github.com/GoogleContainerTools/distroless/blob/main/common/BUILD.bazel'],
    },
  },
  dockerfile(ctx) {
    // Only the stages a build of the final image runs can fail it (BuildKit builds no other stage).
    const built = stagesBuilt(ctx.model);
    for (const stage of ctx.model.stages) {
      if (!built.has(stage.index)) continue;
      if (stage.accountsKnown === 'dockerfile-only') continue; // the base may have it
      for (const instruction of stage.users) {
        const missing = instruction.user.missing;
        if (!missing) continue;
        const what = [missing.user !== undefined ? `user ${missing.user}` : '', missing.group !== undefined ? `group ${missing.group}` : ''].filter(Boolean).join(' or ');
        const certain = stage.accountsKnown === 'all';
        const base = stage.image ? ` ${stage.image}` : '';
        ctx.report({
          span: instruction.span,
          severity: certain ? 'error' : 'warning',
          message: certain
            ? `No ${what} exists in this image: the Dockerfile does not create it and base image${base} does not have it, so the container fails to start.`
            : `The Dockerfile does not create ${what}, and it is not a standard account of base image${base}: the build or the container fails unless something else adds it.`,
        });
      }
    }
  },
};
