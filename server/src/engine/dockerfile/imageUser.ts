/** What the manifest side sees of a Dockerfile: the user its final (or target) stage runs as, and its /etc/passwd. */
import type { ImageAccount, ImageUser } from '../options';
import { describeGid, describeUid, userNote } from './describe';
import { resolveExecUser } from '../images/execUser';
import type { GroupAccount } from './accounts';
import { targetStage, type DockerfileModel, type Stage } from './model';

function optionalGroups(groups: readonly number[] | undefined): { readonly supplementaryGroups?: readonly number[] } {
  return groups?.length ? { supplementaryGroups: groups } : {};
}

/**
 * The groups /etc/group lists a user in, as the runtime reads them at container start: the entries whose
 * member list is known and names the user (a base image's image facts, a copied file), as moby/sys/user
 * GetExecUser (../images/execUser.ts, the one implementation) and containerd WithAdditionalGIDs give them;
 * then the Dockerfile's own (`useradd -G`, `usermod -aG`, `adduser app wheel`, `addgroup app wheel`), but
 * for the group named after the user. Undefined when not known: a base image's own user whose groups'
 * member lists are not (the well-known table holds none), and groups whose id is not known.
 */
export function supplementaryGroups(stage: Stage, userName: string | undefined): readonly number[] | undefined {
  if (userName === undefined) return undefined;
  const account = stage.passwd.find((u) => u.name === userName);
  if (!account) return undefined;
  const listed = stage.groups.filter((g): g is GroupAccount & { members: readonly string[] } => g.members !== undefined);
  if (account.createdAt.how.startsWith('base image') && stage.groups.some((g) => g.members === undefined && g.createdAt.how.startsWith('base image'))) return undefined;
  if (listed.some((g) => g.gid === undefined && g.members.includes(userName))) return undefined;
  const exec = resolveExecUser(userName, {
    kind: 'known',
    passwd: [{ name: userName, uid: account.uid ?? 0, gid: account.gid ?? 0 }],
    group: listed.map((g) => ({ name: g.name, gid: g.gid ?? 0, members: g.members })),
    passwdFound: true,
    groupFound: true,
  });
  const gids = exec.kind === 'resolved' ? [...exec.additionalGids] : [];
  for (const name of account.groups ?? []) {
    if (name === userName) continue;
    const gid = stage.groups.find((g) => g.name === name)?.gid;
    if (gid === undefined) return undefined;
    if (!gids.includes(gid)) gids.push(gid);
  }
  return gids;
}

/** The ImageUser of a Dockerfile's final stage, or of the stage a build `target` names. */
export function finalImageUser(model: DockerfileModel, dockerfilePath: string, target?: string): ImageUser {
  const stage = targetStage(model, target);
  if (!stage) {
    const note = target === undefined ? 'the Dockerfile has no FROM' : `the Dockerfile has no stage ${target}`;
    return { note, dockerfile: dockerfilePath };
  }
  const u = stage.user;
  const fromUser = u.source === 'user-instruction' || u.source === 'inherited-stage';
  const note = target === undefined ? userNote(u) : `${userNote(u)} (stage ${target})`;
  // Without a USER, the image config's User is the base image's (distroless :nonroot says 65532).
  // What the image config's User holds: the USER after ARG/ENV substitution when it resolves.
  const spec = u.source === 'base-image' ? u.imageConfigUser || undefined : (u.value ?? u.spec)?.trim();
  return {
    ...(spec !== undefined ? { spec } : {}),
    ...(u.source === 'default' ? { unknownBase: u.image ?? 'the base image' } : {}),
    ...(u.name !== undefined ? { name: u.name } : {}),
    ...(u.uid !== undefined ? { uid: u.uid } : {}),
    ...(u.gid !== undefined ? { gid: u.gid } : {}),
    ...(u.buildArgs?.length ? { buildArgs: u.buildArgs } : {}),
    ...optionalGroups(supplementaryGroups(stage, u.name)),
    note,
    dockerfile: dockerfilePath,
    ...(fromUser && u.span ? { userSpan: u.span } : {}),
    ...(fromUser && u.line !== undefined ? { userLine: u.line } : {}),
  };
}

/**
 * The /etc/passwd entry of `uid` in the image a Dockerfile's final (or `target`) stage makes, as the
 * runtime looks it up for an explicit uid: the entry when it is known, no entry (gid 0) when every
 * account is known and none has it, undefined when the image may have an entry this model cannot see.
 */
export function imageAccount(model: DockerfileModel, uid: number, target?: string): ImageAccount | undefined {
  const stage = targetStage(model, target);
  if (!stage) return undefined;
  const entry = stage.passwd.find((a) => a.uid === uid);
  if (entry) {
    const created = entry.createdAt.line !== undefined ? ` created in Dockerfile line ${entry.createdAt.line}` : ` from ${entry.createdAt.how}`;
    const ids = `${describeUid({ uid })}${entry.gid !== undefined ? `, ${describeGid({ gid: entry.gid })}` : ', gid unknown'}`;
    return { uid, name: entry.name, ...(entry.gid !== undefined ? { gid: entry.gid } : {}), ...optionalGroups(supplementaryGroups(stage, entry.name)), note: `user ${entry.name} (${ids})${created}` };
  }
  // An account created without an explicit uid may be this one.
  if (stage.accountsKnown !== 'all' || stage.passwd.some((a) => a.uid === undefined)) return undefined;
  return { uid, gid: 0, note: `no entry for uid ${uid} in the image's /etc/passwd (all its accounts are known)` };
}
