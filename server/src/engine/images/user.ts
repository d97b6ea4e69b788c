/**
 * What an image reference runs as, first answer wins: a workspace Dockerfile that builds it
 * (`options.images`, the ImageIndex), then its image facts (`options.imageFacts`: cache, Docker
 * Engine, registry), then the well-known base-image table. Kubernetes containers, Compose services
 * and `docker run` lines all ask here, so an image reads the same in all three.
 */
import { AccountBook } from '../dockerfile/accounts';
import type { BaseImageFacts } from '../dockerfile/baseImages';
import { describeGid, describeUid } from '../dockerfile/describe';
import { resolveSpec } from '../dockerfile/resolve';
import type { AnalysisOptions, ImageAccount, ImageBuild, ImageUser } from '../options';
import { resolveExecUser } from './execUser';
import type { ImageAccounts } from './facts';
import { describeFacts, describeOrigin, externalImage, factsRecord, type ExternalImage } from './known';

/**
 * The image's user, or undefined when no source knows it (then `imageUnknownReason` says why). A
 * Compose service's `build:` is asked after a Dockerfile linked to its image and before image facts:
 * what it builds is what runs.
 */
export function imageUserOf(options: AnalysisOptions, reference: string | undefined, uid?: number, build?: ImageBuild): ImageUser | undefined {
  const linked = reference !== undefined ? options.images?.(reference, uid) : undefined;
  if (linked) return withDockerfileFacts(linked, reference ?? '');
  const built = build ? options.images?.build?.(build, uid) : undefined;
  if (built) return withDockerfileFacts(built, reference ?? `build ${build?.context ?? ''}`);
  if (reference === undefined) return undefined;
  const external = externalImage(reference, options.imageFacts);
  return external.known ? userFromBase(external.known, reference, uid) : undefined;
}

/** Why nothing is known of an image (lookup off, not looked up yet, or the lookup's failure). */
export function imageUnknownReason(options: AnalysisOptions, reference: string): string {
  const external: ExternalImage = externalImage(reference, options.imageFacts);
  return external.known ? '' : external.reason;
}

function withDockerfileFacts(user: ImageUser, reference: string): ImageUser {
  if (user.unknownBase !== undefined) return user;
  return { ...user, facts: { reference, user: user.spec ?? '', from: 'dockerfile' } };
}

/**
 * The user an image's config sets, resolved against the image's own accounts as the runtime does at
 * container start (moby `getUser`, containerd `WithUser`/`WithUsername`): a name through /etc/passwd,
 * a numeric uid with the primary group of its entry, or 0 without one.
 */
export function userFromBase(base: BaseImageFacts, reference: string, uid?: number): ImageUser {
  const book = new AccountBook(base, reference);
  const facts = factsRecord(reference, base);
  const origin = `${describeFacts(facts)} (${describeOrigin(base)})`;
  const spec = base.user.spec;
  const account = uid !== undefined ? accountOf(book, base, uid) : undefined;
  const common = { facts, ...(account ? { account } : {}) };
  if (spec === '') return { name: 'root', uid: 0, gid: 0, ...common, note: `${origin}: root` };
  const r = resolveSpec(spec, book);
  const groups = memberships(base, spec.split(':')[0]);
  const ids = r.uid !== undefined ? `${describeUid(r)}${r.gid !== undefined ? `, ${describeGid(r)}` : ''}` : undefined;
  const note = r.reason !== undefined && (r.uid === undefined || r.gid === undefined) ? `${origin}: ${ids ? `${ids}; ` : ''}${r.reason}` : `${origin}: ${ids}`;
  return {
    spec,
    ...(r.name !== undefined ? { name: r.name } : {}),
    ...(r.uid !== undefined ? { uid: r.uid } : {}),
    ...(r.gid !== undefined ? { gid: r.gid } : {}),
    ...(groups?.length ? { supplementaryGroups: groups } : {}),
    ...common,
    note,
  };
}

/** The image's accounts as image facts hold them, when every /etc/group member list is known. */
function execAccounts(base: BaseImageFacts): ImageAccounts | undefined {
  if (!base.membersKnown) return undefined;
  return { kind: 'known', passwd: base.users, group: base.groups.map((g) => ({ name: g.name, gid: g.gid, members: g.members ?? [] })), passwdFound: true, groupFound: true };
}

/**
 * The groups the image's /etc/group lists a user in (a name or a uid, no group part), as moby/sys/user
 * GetExecUser gives them (../images/execUser.ts, the one implementation): every entry whose member list
 * names the user's /etc/passwd entry; none for a uid without an entry. Undefined when the member lists
 * are not known (the well-known table).
 */
function memberships(base: BaseImageFacts, user: string): readonly number[] | undefined {
  const accounts = execAccounts(base);
  if (!accounts) return undefined;
  const exec = resolveExecUser(user, accounts);
  return exec.kind === 'resolved' ? exec.additionalGids : undefined;
}

/**
 * The image's /etc/passwd entry of an explicit uid (`runAsUser`, `--user 1000`): the runtime takes its
 * primary group from it, or 0 when the uid has no entry (containerd `WithUserID`, moby `getUser`).
 */
function accountOf(book: AccountBook, base: BaseImageFacts, uid: number): ImageAccount | undefined {
  const entry = book.findUserByUid(uid);
  if (entry) {
    const groups = memberships(base, String(uid));
    return { uid, name: entry.name, ...(entry.gid !== undefined ? { gid: entry.gid } : {}), ...(groups?.length ? { supplementaryGroups: groups } : {}), note: `user ${entry.name} (${describeUid({ uid })}${entry.gid !== undefined ? `, ${describeGid({ gid: entry.gid })}` : ', gid unknown'}) in the image's /etc/passwd (${describeOrigin(base)})` };
  }
  if (!book.usersComplete()) return undefined;
  return { uid, gid: 0, note: `no entry for uid ${uid} in the image's /etc/passwd (${describeOrigin(base)})` };
}
