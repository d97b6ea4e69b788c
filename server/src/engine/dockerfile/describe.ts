/** Plain-text descriptions of resolved users and accounts, shared by the hover and ImageUser notes. */
import type { Origin } from './accounts';
import type { ResolvedUser } from './model';

/** `uid 10001 (app)`, `uid unknown`. */
export function describeUid(u: { readonly uid?: number; readonly name?: string }): string {
  if (u.uid === undefined) return u.name ? `${u.name} (uid unknown)` : 'uid unknown';
  return u.name ? `uid ${u.uid} (${u.name})` : `uid ${u.uid}`;
}

export function describeGid(u: { readonly gid?: number; readonly group?: string }): string {
  if (u.gid === undefined) return u.group ? `group ${u.group} (gid unknown)` : 'gid unknown';
  return u.group ? `gid ${u.gid} (${u.group})` : `gid ${u.gid}`;
}

/** `useradd on line 7`, `base image node`. */
export function describeOrigin(o: Origin): string {
  return o.line !== undefined ? `${o.how} on line ${o.line}` : o.how;
}

/** One line for notes: `user app (uid 10001) created in Dockerfile line 7`. */
export function userNote(u: ResolvedUser): string {
  const id = u.uid !== undefined ? `uid ${u.uid}` : 'uid unknown';
  const gid = u.gid !== undefined ? `, gid ${u.gid}` : '';
  const hidden = u.hiddenArgs?.length ? ` (${u.hiddenArgs.map((a) => `ARG ${a}`).join(', ')} before FROM ${u.hiddenArgs.length > 1 ? 'are' : 'is'} not visible in the stage: re-declare ${u.hiddenArgs.length > 1 ? 'them' : 'it'} after FROM)` : '';
  const args = (u.buildArgs?.length ? ` (ARG ${u.buildArgs.join(', ')} default, --build-arg can change it)` : '') + (u.value?.trim() === '' ? '' : hidden);
  switch (u.source) {
    case 'base-image':
      return `no USER; base image ${u.image ?? ''} runs as ${u.name ? `${u.name} (${id}${gid})` : `${id}${gid}`}`;
    case 'default':
      return u.reason ?? 'no USER; the base image decides';
    default: {
      const at = `USER ${u.spec?.trim() ?? ''} in Dockerfile line ${u.line ?? '?'}${args}`;
      if (u.value?.trim() === '') return `USER ${u.spec?.trim() ?? ''} in Dockerfile line ${u.line ?? '?'} expands to nothing${hidden}: the image runs as root (uid 0, gid 0)`;
      if (u.uid === undefined) return `${at}: ${u.reason ?? 'uid unknown'}`;
      const inherited = u.source === 'inherited-stage' ? ', inherited from an earlier stage' : '';
      if (u.name && !/^\d+$/.test(u.value?.split(':')[0] ?? '')) {
        const created = u.createdAt ? (u.createdAt.line !== undefined ? ` created in Dockerfile line ${u.createdAt.line}` : ` from ${u.createdAt.how}`) : '';
        return `user ${u.name} (${id}${gid})${created}${args}${inherited}`;
      }
      return `${at} (${id}${gid})${inherited}`;
    }
  }
}
