/**
 * A `config.User` spec (`""`, `user`, `uid`, `user:group`, `uid:gid`, …) resolved against the
 * image's own /etc/passwd and /etc/group exactly as moby/sys/user `GetExecUser` does (runc and
 * Docker call it with defaults uid 0, gid 0): first match wins; a numeric user without an entry
 * is taken as is (gid then stays 0); a name without an entry is an error; an explicit group
 * sets the gid, otherwise the user's entry does, and the groups listing the user's name become
 * supplementary groups. Pure.
 */
import type { ImageAccounts } from './facts';

export type ExecUser =
  | { readonly kind: 'resolved'; readonly uid: number; readonly gid: number; readonly additionalGids: readonly number[]; readonly fromPasswd: boolean }
  /** Only a fully numeric spec can be resolved without the account files; the rest waits on them. */
  | { readonly kind: 'partial'; readonly uid?: number; readonly gid?: number; readonly reason: string }
  | { readonly kind: 'error'; readonly reason: string };

const MAX_ID = 2 ** 31 - 1;

/** moby/sys/user `parseNumeric`: '' → not numeric; digits within 0..MaxInt32 → numeric; out of range → error. */
function parseNumeric(v: string): { numeric: boolean; id: number; error?: string } {
  if (v === '' || !/^[+-]?[0-9]+$/.test(v)) return { numeric: false, id: 0 };
  const id = Number(v);
  if (id < 0 || id > MAX_ID) return { numeric: true, id, error: `uids and gids must be in range 0-${MAX_ID}` };
  return { numeric: true, id };
}

export function resolveExecUser(userSpec: string, accounts: ImageAccounts | undefined): ExecUser {
  const colon = userSpec.indexOf(':');
  const usr = colon >= 0 ? userSpec.slice(0, colon) : userSpec;
  const grp = colon >= 0 ? userSpec.slice(colon + 1) : '';
  const u = parseNumeric(usr);
  const g = parseNumeric(grp);
  if (u.error) return { kind: 'error', reason: u.error };
  if (g.error) return { kind: 'error', reason: g.error };
  if (!accounts || accounts.kind === 'unknown') {
    const why = accounts?.kind === 'unknown' ? accounts.reason : "the image's /etc/passwd and /etc/group were not read";
    const uid = usr === '' ? 0 : u.numeric ? u.id : undefined;
    const gid = grp === '' ? undefined : g.numeric ? g.id : undefined;
    return { kind: 'partial', ...(uid !== undefined ? { uid } : {}), ...(gid !== undefined ? { gid } : {}), reason: why };
  }
  const passwd = accounts.passwdFound ? accounts.passwd : [];
  const group = accounts.groupFound ? accounts.group : [];
  let uid = 0;
  let gid = 0;
  let additionalGids: number[] = [];
  const users = usr === '' ? passwd.filter((e) => e.uid === 0) : passwd.filter((e) => (u.numeric ? e.uid === u.id : e.name === usr));
  let matchedName = '';
  if (users.length) {
    matchedName = users[0].name;
    uid = users[0].uid;
    gid = users[0].gid;
  } else if (usr !== '') {
    if (!u.numeric) return { kind: 'error', reason: `unable to find user ${usr}: no matching entries in passwd file` };
    uid = u.id;
  }
  if (grp !== '' || matchedName !== '') {
    const groups = grp === '' ? group.filter((e) => e.members.includes(matchedName)) : group.filter((e) => (g.numeric ? e.gid === g.id : e.name === grp));
    if (grp !== '') {
      if (groups.length) gid = groups[0].gid;
      else if (!g.numeric) return { kind: 'error', reason: `unable to find group ${grp}: no matching entries in group file` };
      else gid = g.id;
    } else if (groups.length) additionalGids = groups.map((e) => e.gid);
  }
  return { kind: 'resolved', uid, gid, additionalGids, fromPasswd: users.length > 0 };
}
