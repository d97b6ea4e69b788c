/**
 * What is known of an image that no workspace Dockerfile builds: its facts (cache, Docker Engine,
 * registry, through the synchronous `ImageFactsLookup`), else the well-known base-image table.
 * Both are read into one shape, `BaseImageFacts`, so that a container's image, a Compose service's,
 * a `docker run` line's and a Dockerfile `FROM` all resolve users through the same account book
 * (../dockerfile/accounts.ts, ../dockerfile/resolve.ts): a named user through the image's own
 * /etc/passwd, an explicit uid's primary group from its entry (0 without one).
 */
import { AccountBook } from '../dockerfile/accounts';
import { baseImageFacts, type BaseImageFacts } from '../dockerfile/baseImages';
import { resolveSpec } from '../dockerfile/resolve';
import type { ImageFacts, ImageFactsFailure, ImageFactsLookup, ImageFactsSource } from './facts';
import { imageRepository } from './reference';

/** What the explain JSON (`imageFacts`) and hovers say of the facts behind an image's user. */
export interface ImageFactsRecord {
  /** The reference as written. */
  readonly reference: string;
  readonly digest?: string;
  readonly platform?: string;
  /** `config.User` as the image holds it ('' = unset: root); for a Dockerfile, its USER as written. */
  readonly user: string;
  readonly from: ImageFactsSource;
}

/** An external image: its facts as a base image, or why nothing is known. */
export type ExternalImage =
  | { readonly known: BaseImageFacts }
  | { readonly known?: undefined; readonly reason: string };

export function isFactsFailure(answer: ImageFacts | ImageFactsFailure): answer is ImageFactsFailure {
  return !('from' in answer);
}

/** Image facts first (the runtime reads the same config and files), then the table; first answer wins. */
export function externalImage(reference: string, lookup: ImageFactsLookup | undefined): ExternalImage {
  const answer = lookup?.(reference);
  if (answer && !isFactsFailure(answer)) return { known: factsAsBase(answer) };
  const table = baseImageFacts(reference);
  if (table) return { known: { ...table, from: 'table' } };
  if (answer) return { reason: answer.reason };
  return { reason: lookup ? 'its facts have not been looked up yet' : 'image lookup is off' };
}

/** `image grafana/grafana:11.0.0 (sha256:…, linux/amd64) config User "472"`. */
export function describeFacts(facts: ImageFactsRecord): string {
  const where = [facts.digest, facts.platform].filter((p) => p !== undefined && p !== '').join(', ');
  const user = facts.user === '' ? 'sets no User' : `User "${facts.user}"`;
  return `image ${facts.reference}${where ? ` (${where})` : ''} config ${user}`;
}

const SOURCE_WORDS: Readonly<Record<ImageFactsSource, string>> = {
  dockerfile: 'its Dockerfile',
  cache: 'the image cache',
  docker: 'the local Docker Engine',
  registry: 'its registry',
  table: 'the well-known base-image table',
};

/** `from its registry`, `well-known base-image table: docker-library/busybox (…)`. */
export function describeOrigin(base: BaseImageFacts): string {
  return base.from === undefined || base.from === 'table' ? `well-known base-image table: ${base.source}` : `from ${SOURCE_WORDS[base.from]}`;
}

/** Image facts in the table's shape: a known /etc/passwd lists every entry (`complete`). */
export function factsAsBase(facts: ImageFacts): BaseImageFacts {
  const accounts = facts.accounts;
  const known = accounts?.kind === 'known';
  const users = known ? accounts.passwd.map((p) => ({ name: p.name, uid: p.uid, gid: p.gid })) : [];
  // Member lists kept: moby GetExecUser and containerd WithAdditionalGIDs read them for supplementary groups.
  const groups = known ? accounts.group.map((g) => ({ name: g.name, gid: g.gid, members: g.members })) : [];
  const base: BaseImageFacts = {
    repository: imageRepository(facts.reference) ?? facts.reference,
    user: { spec: facts.user },
    users,
    groups,
    complete: known,
    source: `${facts.from} facts of ${facts.normalized}`,
    from: facts.from,
    ...(facts.digest !== undefined ? { digest: facts.digest } : {}),
    ...(facts.platform !== undefined ? { platform: facts.platform } : {}),
    ...(!known ? { accountsUnknown: accounts?.kind === 'unknown' ? accounts.reason : 'its /etc/passwd was not read' } : { membersKnown: true }),
  };
  const resolved = resolveSpec(facts.user || 'root', new AccountBook(base, facts.reference));
  return { ...base, user: { spec: facts.user, ...(resolved.uid !== undefined ? { uid: resolved.uid } : {}), ...(resolved.gid !== undefined ? { gid: resolved.gid } : {}) } };
}

/** The record of a base's facts, for JSON and hovers. */
export function factsRecord(reference: string, base: BaseImageFacts): ImageFactsRecord {
  return {
    reference,
    ...(base.digest !== undefined ? { digest: base.digest } : {}),
    ...(base.platform !== undefined ? { platform: base.platform } : {}),
    user: base.user.spec,
    from: base.from ?? 'table',
  };
}

/** What Dockerfile FROM images are, for the builder: image facts first, then the table. */
export function baseFactsLookup(lookup: ImageFactsLookup | undefined): (reference: string) => BaseImageFacts | undefined {
  return (reference) => externalImage(reference, lookup).known;
}
