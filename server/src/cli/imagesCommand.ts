/**
 * `secctx images <references...>`: what is known of each image — digest, platform, config User,
 * the uid/gid it runs as (moby GetExecUser over the image's own /etc/passwd and /etc/group) and
 * where each fact came from (cache, Docker engine, registry). `--image-lookup` picks the sources
 * (default `local`: the cache and the Docker engine, no network). The CLI is trusted: Docker
 * credential helpers may run.
 */
import type { ImageFacts, ImageFactsFailure } from '../engine/images/facts';
import { resolveExecUser, type ExecUser } from '../engine/images/execUser';
import { ImageFactsService, type ImageFactsServiceOptions } from '../host/images/service';
import type { CliIo } from './io';
import type { CliOptions } from './options';

export interface JsonImageFacts {
  readonly reference: string;
  readonly normalized: string | null;
  readonly known: boolean;
  /** Why nothing is known (only when `known` is false). */
  readonly reason?: string;
  readonly digest: string | null;
  readonly platform: string | null;
  /** `config.User` as the image holds it; '' = unset (root). */
  readonly user: string | null;
  readonly uid: number | null;
  readonly gid: number | null;
  readonly additionalGids: readonly number[] | null;
  /** Where uid/gid came from, or why they are not known. */
  readonly uidFrom: string | null;
  readonly from: ImageFacts['from'] | null;
  readonly accounts: { readonly passwdEntries: number; readonly groupEntries: number; readonly passwdFound: boolean; readonly groupFound: boolean } | { readonly unknown: string } | null;
}

function isFacts(x: ImageFacts | ImageFactsFailure): x is ImageFacts {
  return 'user' in x;
}

function uidFrom(user: ExecUser, spec: string): string {
  if (user.kind === 'error') return user.reason;
  if (user.kind === 'partial') return user.reason;
  return user.fromPasswd ? "the image's /etc/passwd" : spec === '' ? 'unset User (root)' : 'the numeric User';
}

export function toJsonImageFacts(result: ImageFacts | ImageFactsFailure): JsonImageFacts {
  if (!isFacts(result)) {
    return { reference: result.reference, normalized: null, known: false, reason: result.reason, digest: null, platform: null, user: null, uid: null, gid: null, additionalGids: null, uidFrom: null, from: null, accounts: null };
  }
  const exec = resolveExecUser(result.user, result.accounts);
  const a = result.accounts;
  return {
    reference: result.reference,
    normalized: result.normalized,
    known: true,
    digest: result.digest ?? null,
    platform: result.platform ?? null,
    user: result.user,
    uid: exec.kind === 'resolved' ? exec.uid : exec.kind === 'partial' ? (exec.uid ?? null) : null,
    gid: exec.kind === 'resolved' ? exec.gid : exec.kind === 'partial' ? (exec.gid ?? null) : null,
    additionalGids: exec.kind === 'resolved' ? exec.additionalGids : null,
    uidFrom: uidFrom(exec, result.user),
    from: result.from,
    accounts: !a ? null : a.kind === 'known' ? { passwdEntries: a.passwd.length, groupEntries: a.group.length, passwdFound: a.passwdFound, groupFound: a.groupFound } : { unknown: a.reason },
  };
}

export function formatImageFactsText(images: readonly JsonImageFacts[]): string {
  return images.map((i) => {
    if (!i.known) return `${i.reference}\n  unknown: ${i.reason}`;
    const ids = i.uid === null ? 'uid unknown' : `uid ${i.uid}${i.gid === null ? ', gid unknown' : `, gid ${i.gid}`}${i.additionalGids && i.additionalGids.length ? `, groups ${i.additionalGids.join(',')}` : ''}`;
    const accounts = !i.accounts ? 'not read' : 'unknown' in i.accounts ? `unknown: ${i.accounts.unknown}` : `/etc/passwd ${i.accounts.passwdFound ? `${i.accounts.passwdEntries} entries` : 'absent'}, /etc/group ${i.accounts.groupFound ? `${i.accounts.groupEntries} entries` : 'absent'}`;
    return [
      `${i.reference}${i.normalized !== i.reference ? ` (${i.normalized})` : ''}`,
      `  from      ${i.from}`,
      `  digest    ${i.digest ?? 'unknown'}`,
      `  platform  ${i.platform ?? 'unknown'}`,
      `  user      ${i.user === '' ? '(unset: root)' : JSON.stringify(i.user)} → ${ids} (${i.uidFrom})`,
      `  accounts  ${accounts}`,
    ].join('\n');
  }).join('\n\n');
}

/** The service options the CLI uses (exported for check/explain to share). */
/** What the CLI's image lookups need: the mode, and the platform and layer budget when given. */
export interface CliLookupOptions {
  readonly imageLookup: CliOptions['imageLookup'];
  readonly platform?: string;
  readonly layerBudget?: number;
}

export function cliImageServiceOptions(o: CliLookupOptions, log?: (line: string) => void): ImageFactsServiceOptions {
  return { mode: o.imageLookup, trusted: true, ...(o.platform ? { platform: o.platform } : {}), ...(o.layerBudget ? { layerBudget: o.layerBudget } : {}), ...(log ? { log } : {}) };
}

export async function runImages(o: CliOptions, io: CliIo): Promise<number> {
  const service = new ImageFactsService(cliImageServiceOptions(o));
  let results: ReadonlyMap<string, ImageFacts | ImageFactsFailure>;
  try {
    results = await service.resolve(o.paths);
  } finally {
    service.dispose();
  }
  const images = [...results.values()].map(toJsonImageFacts);
  if (o.format === 'json') io.stdout(JSON.stringify({ images }, null, 2) + '\n');
  else io.stdout(formatImageFactsText(images) + '\n');
  return images.every((i) => i.known) ? 0 : 1;
}
