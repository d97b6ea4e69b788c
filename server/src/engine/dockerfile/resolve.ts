/**
 * Resolving a USER spec (`app`, `1000`, `1000:1000`, `app:app`, `app:1000`) against a stage's accounts,
 * the way the runtime does it at container start (Dockerfile reference, USER): a name is looked up
 * in /etc/passwd; without a group the user's primary group applies, or the root group (0) when the
 * uid has no /etc/passwd entry; a group name is looked up in /etc/group.
 */
import type { AccountBook, Origin } from './accounts';

export interface ResolvedSpec {
  readonly name?: string;
  readonly uid?: number;
  readonly gid?: number;
  readonly group?: string;
  readonly createdAt?: Origin;
  /** Names the spec uses that no known account has. */
  readonly missing?: { readonly user?: string; readonly group?: string };
  /** Why the uid or gid is unknown. */
  readonly reason?: string;
}

function baseDescription(book: AccountBook, file: 'passwd' | 'group'): string {
  if ((file === 'passwd' ? book.userFallback : book.groupFallback) === 'unknown') return `/etc/${file} is replaced by a file this Dockerfile does not show`;
  if (book.facts?.accountsUnknown !== undefined) return `the /etc/${file} of base image ${book.facts.repository} is not known (${book.facts.accountsUnknown})`;
  if (book.facts) return `base image ${book.facts.repository} is not known to have it`;
  return book.baseImage ? `base image ${book.baseImage} is not known` : 'the base image could not be resolved';
}

export function resolveSpec(spec: string, book: AccountBook): ResolvedSpec {
  const colon = spec.indexOf(':');
  const userPart = colon < 0 ? spec : spec.slice(0, colon);
  const groupPart = colon < 0 ? undefined : spec.slice(colon + 1);
  const reasons: string[] = [];
  if (!userPart) return { reason: 'USER names no user' };

  let name: string | undefined;
  let uid: number | undefined;
  let gid: number | undefined;
  let group: string | undefined;
  let createdAt: Origin | undefined;
  const missing: { user?: string; group?: string } = {};

  if (/^\d+$/.test(userPart)) {
    uid = Number(userPart);
    const account = book.findUserByUid(uid);
    if (account) {
      name = account.name;
      gid = account.gid;
      group = account.group;
      createdAt = account.createdAt;
    } else if (book.usersComplete()) {
      gid = 0;
    }
    if (groupPart === undefined && gid === undefined) {
      reasons.push(account ? `the primary group of ${account.name} is not known` : `uid ${uid} has no account known here: its gid is that of its /etc/passwd entry, or 0 without one`);
    }
  } else {
    name = userPart;
    const account = userPart === 'root' ? { uid: 0, gid: 0, group: 'root', createdAt: undefined } : book.findUser(userPart);
    if (account) {
      uid = account.uid;
      gid = account.gid;
      group = account.group;
      createdAt = account.createdAt;
      if (uid === undefined) reasons.push(`${userPart} is created without an explicit uid`);
      else if (groupPart === undefined && gid === undefined) reasons.push(`the primary group of ${userPart} is not known`);
    } else {
      missing.user = userPart;
      reasons.push(book.usersComplete() ? `no user ${userPart} exists in the image: the container fails to start` : `user ${userPart} is not created in this Dockerfile and ${baseDescription(book, 'passwd')}`);
    }
  }

  if (groupPart !== undefined) {
    gid = undefined;
    group = undefined;
    if (/^\d+$/.test(groupPart)) {
      gid = Number(groupPart);
      group = book.findGroupByGid(gid)?.name;
    } else if (groupPart) {
      group = groupPart;
      const found = groupPart === 'root' ? { gid: 0 } : book.findGroup(groupPart);
      gid = found?.gid;
      if (!found) missing.group = groupPart;
      if (!found) reasons.push(book.groupsComplete() ? `no group ${groupPart} exists in the image: the container fails to start` : `group ${groupPart} is not created in this Dockerfile and ${baseDescription(book, 'group')}`);
      else if (gid === undefined) reasons.push(`group ${groupPart} is created without an explicit gid`);
    }
  }

  return {
    ...(name !== undefined ? { name } : {}),
    ...(uid !== undefined ? { uid } : {}),
    ...(gid !== undefined ? { gid } : {}),
    ...(group !== undefined ? { group } : {}),
    ...(createdAt ? { createdAt } : {}),
    ...(missing.user !== undefined || missing.group !== undefined ? { missing } : {}),
    ...(reasons.length ? { reason: reasons.join('; ') } : {}),
  };
}
