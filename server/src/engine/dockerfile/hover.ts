/** Markdown hovers for a Dockerfile: on USER, what it resolves to and where the user comes from; on FROM, the base. */
import { baseImageFacts } from './baseImages';
import { describeFacts } from '../images/known';
import { describeGid, describeOrigin, describeUid, userNote } from './describe';
import type { DockerfileModel, ResolvedUser, Stage, UserInstruction } from './model';
import type { Span } from '../types';

const inside = (s: Span, offset: number): boolean => offset >= s.start && offset <= s.end;

export function dockerfileHover(model: DockerfileModel, offset: number): string | undefined {
  for (const stage of model.stages) {
    const user = stage.users.find((u) => inside(u.instructionSpan, offset));
    if (user) return userHover(stage, user, model);
    if (inside(stage.span, offset)) return fromHover(stage, model);
  }
  return undefined;
}

function ids(u: ResolvedUser): string {
  return `${describeUid(u)}, ${describeGid(u)}`;
}

function userHover(stage: Stage, user: UserInstruction, model: DockerfileModel): string {
  const u = user.user;
  const lines: string[] = [];
  const value = user.value !== undefined && user.value !== user.spec.trim() ? ` = \`${user.value}\`` : '';
  lines.push(`**USER** \`${user.spec.trim()}\`${value}`);
  if (u.uid !== undefined || u.gid !== undefined) lines.push(`Runs as ${ids(u)}.`);
  if (u.reason) lines.push(`Unknown: ${u.reason}.`);
  if (u.createdAt) lines.push(u.createdAt.line !== undefined ? `\`${u.name ?? ''}\` is created by \`${u.createdAt.how}\` on line ${u.createdAt.line}.` : `\`${u.name ?? ''}\` comes from the ${u.createdAt.how}.`);
  if (user.buildArgs?.length) lines.push(`Uses the default of ARG ${user.buildArgs.map((a) => `\`${a}\``).join(', ')}: \`--build-arg\` can change it.`);
  const later = stage.users[stage.users.indexOf(user) + 1];
  if (later) lines.push(`A later USER on line ${later.line} replaces it in this stage.`);
  else if (stage !== model.stages[model.stages.length - 1]) lines.push(`Applies to stage ${stage.name ?? stage.index} (not the final stage).`);
  return lines.join('\n\n');
}

function fromHover(stage: Stage, model: DockerfileModel): string {
  const lines: string[] = [];
  const base = stage.base;
  if (base.kind === 'stage') {
    const parent = model.stages[base.stage];
    lines.push(`**FROM** \`${base.raw}\` — stage ${base.stage}${parent?.name ? ` (${parent.name})` : ''}: inherits its user and accounts.`);
    if (parent) lines.push(`Its user: ${userNote(parent.user)}.`);
  } else if (base.reference === undefined) {
    lines.push(`**FROM** \`${base.raw}\` — the image does not resolve${base.unresolved?.length ? ` (${base.unresolved.join(', ')} unknown)` : ''}: its user is unknown.`);
  } else if (stage.baseFacts && stage.baseFacts.from !== 'table') {
    lines.push(`**FROM** \`${base.reference}\` — ${describeFacts(stage.baseFacts)} (${stage.baseFacts.from === 'registry' ? 'from its registry' : stage.baseFacts.from === 'docker' ? 'from the local Docker Engine' : 'from the image cache'}).`);
  } else {
    const facts = baseImageFacts(base.reference);
    if (!facts) lines.push(`**FROM** \`${base.reference}\` — not a base image secctx knows: its own USER decides who this stage runs as.`);
    else {
      const dflt = facts.user.spec ? `\`USER ${facts.user.spec}\` (uid ${facts.user.uid ?? 'unknown'}, gid ${facts.user.gid ?? 'unknown'})` : 'root (uid 0, gid 0)';
      lines.push(`**FROM** \`${base.reference}\` — base image \`${facts.repository}\` runs as ${dflt} by default.`);
      const shown = facts.users.filter((a) => a.uid >= 1000 || a.name === 'www-data' || (a.uid === facts.user.uid && a.uid !== 0));
      const others = facts.users.length - shown.length;
      const listed = shown.map((a) => `${a.name} ${a.uid}:${a.gid}`).join(', ');
      if (shown.length) lines.push(`Known accounts: ${listed}${others ? ` (and ${others} system accounts)` : ''}.`);
      lines.push(`Source: ${facts.source}.`);
    }
  }
  const created = stage.accounts.users.filter((a) => a.createdAt.line !== undefined && a.createdAt.line >= stage.line);
  if (created.length) lines.push(`Created in this stage: ${created.map((a) => `${a.name} ${a.uid ?? '?'}:${a.gid ?? '?'} (${describeOrigin(a.createdAt)})`).join('; ')}.`);
  lines.push(`This stage runs as ${stage.user.uid !== undefined ? ids(stage.user) : 'an unknown user'} — ${userNote(stage.user)}.`);
  return lines.join('\n\n');
}
