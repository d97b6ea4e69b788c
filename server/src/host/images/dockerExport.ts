/**
 * The account files of an image the local Docker engine holds, read from the engine itself:
 * `GET /images/{id}/get` (ImageGet, what `docker save` uses) streams the image as one tar —
 * `manifest.json` naming the layers bottom first, and the layers themselves: `<id>/layer.tar` in the
 * legacy layout, `blobs/sha256/<hex>` in the OCI layout Docker 25+ writes (moby
 * `image/tarexport` `saveSession.save`). `manifest.json` comes after the layers, so every layer is
 * read for what it says about etc/passwd and etc/group as it passes, and the layers are stacked top
 * down at the end (the same union as a registry image's: host/images/layers.ts). Content-addressed
 * blobs are checked against their digest; legacy layer files have none to check. A byte budget
 * bounds the whole export (it is uncompressed): over it, the accounts are unknown, with why.
 */
import { PassThrough, type Transform } from 'node:stream';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar-stream';
import type { ImageAccounts } from '../../engine/images/facts';
import { validateDigest } from '../../engine/images/normalize';
import { BudgetExceeded, DigestMismatch, VerifyingStream } from './digest';
import { describeBodyError, discard, request } from './http';
import { accountsFrom, readEntry, scanLayerTar, type FileState, type LayerView, type TarEntry } from './layers';

const MAX_MANIFEST = 1 << 20;

const size = (n: number) => (n < 1 << 20 ? `${Math.round(n / 1024)} KiB` : `${Math.round(n / (1 << 20))} MiB`);

/** Counts the bytes of the export; fails past the budget. */
class Budget extends PassThrough {
  bytes = 0;
  constructor(private readonly budget: number) {
    super();
  }
  override _transform(chunk: Buffer, enc: BufferEncoding, done: (err?: Error | null, data?: unknown) => void): void {
    this.bytes += chunk.length;
    if (this.bytes > this.budget) return done(new BudgetExceeded(`the image export passes the budget of ${size(this.budget)}`));
    super._transform(chunk, enc, done);
  }
}

/** The layer paths of the export's first image, bottom first (`manifest.json`: `[{Config, RepoTags, Layers}]`). */
function layerPaths(text: string): string[] | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    const first: unknown = Array.isArray(parsed) ? parsed[0] : undefined;
    const layers = first && typeof first === 'object' ? (first as Record<string, unknown>).Layers : undefined;
    return Array.isArray(layers) && layers.every((l): l is string => typeof l === 'string') ? layers : undefined;
  } catch {
    return undefined;
  }
}

/** `blobs/sha256/<hex>` → `sha256:<hex>` when it is a well-formed digest. */
function blobDigest(name: string): string | undefined {
  const m = /^blobs\/([a-z0-9]+)\/([a-f0-9]+)$/.exec(name);
  if (!m) return undefined;
  const digest = `${m[1]}:${m[2]}`;
  return validateDigest(digest) ? undefined : digest;
}

/** Reads one entry that may be a layer; what is not a tar (a config or manifest blob) leaves no view. */
async function layerView(entry: TarEntry, name: string): Promise<LayerView | undefined> {
  const view: LayerView = {};
  const digest = blobDigest(name);
  const stages: Transform[] = digest ? [new VerifyingStream(`blob ${digest}`, digest, entry.header.size, Number.MAX_SAFE_INTEGER)] : [];
  // Fed chunk by chunk, so that the entry is always read to its end (the export's next entries wait
  // for it) even when the scan gave up early on something that is not a tar.
  const source = new PassThrough();
  let settled = false;
  const scan = scanLayerTar(source, stages, view).finally(() => { settled = true; });
  scan.catch(() => undefined);
  for await (const chunk of entry as AsyncIterable<Buffer>) {
    if (settled || source.destroyed) continue;
    if (!source.write(chunk)) await Promise.race([once(source, 'drain').catch(() => undefined), scan.catch(() => undefined)]);
  }
  if (!source.destroyed) source.end();
  try {
    await scan;
    return view;
  } catch (e) {
    if (e instanceof DigestMismatch) throw e;
    return undefined;
  }
}

/** The accounts of the image `id` (its `Id` from ImageInspect) as the local engine exports it. */
export async function exportedAccounts(socketPath: string, id: string, signal: AbortSignal, budget: number): Promise<ImageAccounts> {
  const res = await request({ url: new URL(`http://docker/images/${encodeURIComponent(id)}/get`), socketPath, signal });
  if (res.status !== 200) {
    discard(res.body);
    return { kind: 'unknown', reason: `the local Docker engine did not export the image (${res.status})` };
  }
  const counter = new Budget(budget);
  const extract = tar.extract();
  const views = new Map<string, LayerView>();
  let manifest: string[] | undefined;
  const consume = (async () => {
    for await (const entry of extract) {
      const name = entry.header.name.replace(/^\.\//, '');
      if (entry.header.type !== 'file' && entry.header.type !== 'contiguous-file') {
        entry.resume();
        continue;
      }
      if (name === 'manifest.json') {
        const text = await readEntry(entry, MAX_MANIFEST);
        manifest = text === undefined ? undefined : layerPaths(text);
      } else if (name.endsWith('/layer.tar') || name.endsWith('.tar') || name.startsWith('blobs/')) {
        const view = await layerView(entry, name);
        if (view) views.set(name, view);
      } else entry.resume();
    }
  })();
  try {
    await Promise.all([pipeline(res.body, counter, extract), consume]);
  } catch (e) {
    extract.destroy();
    res.body.destroy();
    if (e instanceof BudgetExceeded) return { kind: 'unknown', reason: `/etc/passwd and /etc/group not read: ${e.message}` };
    if (e instanceof DigestMismatch) return { kind: 'unknown', reason: `the local Docker engine's export: ${e.message}` };
    return { kind: 'unknown', reason: `the local Docker engine's export could not be read: ${describeBodyError(e)}` };
  }
  if (!manifest) return { kind: 'unknown', reason: "the local Docker engine's export has no readable manifest.json" };
  let passwd: FileState | undefined;
  let group: FileState | undefined;
  for (const layer of [...manifest].reverse()) {
    const view = views.get(layer);
    if (!view) return { kind: 'unknown', reason: `the local Docker engine's export lacks the layer ${layer}` };
    passwd ??= view.passwd;
    group ??= view.group;
    if (passwd && group) break;
  }
  return accountsFrom(passwd, group);
}
