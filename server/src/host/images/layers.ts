/**
 * The image's own /etc/passwd and /etc/group, read from its layers top-down as the union
 * filesystem would show them (OCI image-spec layer.md: `.wh.<name>` whiteouts and
 * `.wh..wh..opq` opaque directories hide what lower layers hold), streamed: compressed bytes →
 * digest check → gunzip / zstd (fzstd) / plain → tar entries (tar-stream). Only the two files
 * are kept. A layer's files count only once its digest has been verified. A per-image byte
 * budget (compressed bytes) bounds the work: over it, the accounts are unknown with the reason.
 */
import { pipeline } from 'node:stream/promises';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import * as zlib from 'node:zlib';
import { Decompress as ZstdDecompress } from 'fzstd';
import * as tar from 'tar-stream';
import { parseGroup, parsePasswd } from '../../engine/images/accounts';
import type { ImageAccounts } from '../../engine/images/facts';
import { BudgetExceeded, DigestMismatch, VerifyingStream } from './digest';
import { describeBodyError } from './http';

export interface LayerDescriptor {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
}

const MAX_ACCOUNT_FILE = 4 << 20;

/** gzip (1f 8b), zstd (28 b5 2f fd) or a plain tar, decided by the first bytes as containerd's DetectCompression does. */
class Decompressor extends Transform {
  private mode: 'gzip' | 'zstd' | 'tar' | undefined;
  private gunzip: zlib.Gunzip | undefined;
  private zstd: ZstdDecompress | undefined;
  private head = Buffer.alloc(0);

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    if (!this.mode) {
      this.head = Buffer.concat([this.head, chunk]);
      if (this.head.length < 4) return done();
      chunk = this.head;
      this.head = Buffer.alloc(0);
      if (chunk[0] === 0x1f && chunk[1] === 0x8b) {
        this.mode = 'gzip';
        this.gunzip = zlib.createGunzip();
        this.gunzip.on('data', (d: Buffer) => this.push(d));
      } else if (chunk[0] === 0x28 && chunk[1] === 0xb5 && chunk[2] === 0x2f && chunk[3] === 0xfd) {
        this.mode = 'zstd';
        this.zstd = new ZstdDecompress((data) => { this.push(Buffer.from(data.buffer, data.byteOffset, data.byteLength)); });
      } else this.mode = 'tar';
    }
    this.feed(chunk, done);
  }

  private feed(chunk: Buffer, done: TransformCallback): void {
    try {
      if (this.mode === 'gzip') {
        this.gunzip!.write(chunk, (err) => done(err ?? null));
        return;
      }
      if (this.mode === 'zstd') this.zstd!.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      else this.push(chunk);
      done();
    } catch (e) {
      done(e instanceof Error ? e : new Error(String(e)));
    }
  }

  override _flush(done: TransformCallback): void {
    if (!this.mode) {
      this.mode = 'tar';
      if (this.head.length) this.push(this.head);
      return done();
    }
    if (this.mode === 'gzip') {
      const g = this.gunzip!;
      g.once('error', (e) => done(e));
      g.once('end', () => done());
      g.end();
      return;
    }
    if (this.mode === 'zstd') {
      try {
        this.zstd!.push(new Uint8Array(0), true);
      } catch (e) {
        return done(e instanceof Error ? e : new Error(String(e)));
      }
    }
    done();
  }
}

export type FileState = { readonly kind: 'content'; readonly text: string } | { readonly kind: 'hidden' } | { readonly kind: 'unreadable'; readonly reason: string };

/** What one layer says about etc/passwd and etc/group: their content, or that lower layers are hidden. */
export interface LayerView {
  passwd?: FileState;
  group?: FileState;
}

function entryPath(name: string): string {
  let n = name;
  while (n.startsWith('./')) n = n.slice(2);
  while (n.startsWith('/')) n = n.slice(1);
  return n.endsWith('/') ? n.slice(0, -1) : n;
}

/** A tar entry as tar-stream's extract yields it. */
export type TarEntry = tar.Extract extends AsyncIterable<infer S> ? S : never;

/** An entry's text, read to its end; undefined when it is longer than `limit` bytes. */
export async function readEntry(entry: TarEntry, limit = MAX_ACCOUNT_FILE): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of entry as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
  }
  return size > limit ? undefined : Buffer.concat(chunks).toString('utf8');
}

/**
 * Reads one layer's tar (gzip, zstd or plain, after `stages` such as a digest check) for what it says
 * about etc/passwd and etc/group, into `view`.
 */
export async function scanLayerTar(stream: Readable, stages: readonly Transform[], view: LayerView): Promise<void> {
  const extract = tar.extract();
  const consume = (async () => {
    for await (const entry of extract) {
      const p = entryPath(entry.header.name);
      const type = entry.header.type ?? 'file';
      const file = p === 'etc/passwd' ? 'passwd' : p === 'etc/group' ? 'group' : undefined;
      if (file) {
        if (type === 'file' || type === 'contiguous-file') {
          const text = await readEntry(entry);
          view[file] = text === undefined ? { kind: 'unreadable', reason: `/etc/${file} is larger than ${MAX_ACCOUNT_FILE >> 20} MiB` } : { kind: 'content', text };
          continue;
        }
        if (type === 'symlink' || type === 'link') view[file] = { kind: 'unreadable', reason: `/etc/${file} is a ${type === 'link' ? 'hard link' : 'symbolic link'} to ${entry.header.linkname ?? '?'}` };
        else view[file] = { kind: 'hidden' };
      } else if (p === 'etc/.wh.passwd') view.passwd ??= { kind: 'hidden' };
      else if (p === 'etc/.wh.group') view.group ??= { kind: 'hidden' };
      else if (p === 'etc/.wh..wh..opq' || p === '.wh.etc' || (p === 'etc' && type !== 'directory')) {
        // An opaque or removed /etc (or one replaced by a non-directory) hides lower layers' files,
        // not this layer's own.
        view.passwd ??= { kind: 'hidden' };
        view.group ??= { kind: 'hidden' };
      }
      entry.resume();
    }
  })();
  try {
    await Promise.all([pipeline([stream, ...stages, new Decompressor(), extract]), consume]);
  } catch (e) {
    extract.destroy();
    stream.destroy();
    throw e;
  }
}

export interface ReadAccountsOptions {
  /** Layers as the manifest lists them (bottom first). */
  readonly layers: readonly LayerDescriptor[];
  /** What a layer holds of /etc (see `scanLayerBody`), and the compressed bytes that cost. */
  readonly view: (layer: LayerDescriptor, budgetLeft: number) => Promise<{ readonly view: LayerView; readonly bytes: number }>;
  readonly budget: number;
}

/**
 * Streams one layer's compressed body through digest verification, decompression and the tar
 * reader. Layers are content-addressed, so a caller may keep the result by digest.
 */
export async function scanLayerBody(body: Readable, layer: LayerDescriptor, budgetLeft: number): Promise<{ view: LayerView; bytes: number }> {
  const view: LayerView = {};
  const verifier = new VerifyingStream(`layer ${layer.digest}`, layer.digest, layer.size, budgetLeft);
  try {
    await scanLayerTar(body, [verifier], view);
  } catch (e) {
    body.destroy();
    if (e instanceof BudgetExceeded || e instanceof DigestMismatch) throw e;
    throw new Error(`layer ${layer.digest}: ${describeBodyError(e)}`);
  }
  return { view, bytes: verifier.bytes };
}

const mib = (n: number) => `${(n / (1 << 20)).toFixed(n < 1 << 20 ? 2 : 0)} MiB`;

export async function readAccounts(options: ReadAccountsOptions): Promise<ImageAccounts> {
  let passwd: FileState | undefined;
  let group: FileState | undefined;
  let spent = 0;
  const topDown = [...options.layers].reverse();
  for (let i = 0; i < topDown.length && (!passwd || !group); i++) {
    const layer = topDown[i];
    const left = options.budget - spent;
    if (layer.size > left) {
      return { kind: 'unknown', reason: `/etc/passwd and /etc/group not read: layer ${i + 1} from the top (${layer.digest.slice(0, 19)}…, ${mib(layer.size)}) is over what is left of the layer budget of ${mib(options.budget)}` };
    }
    let view: LayerView;
    try {
      const scanned = await options.view(layer, left);
      view = scanned.view;
      spent += scanned.bytes;
    } catch (e) {
      if (e instanceof BudgetExceeded) return { kind: 'unknown', reason: `over the layer budget of ${mib(options.budget)} before /etc/passwd and /etc/group were found` };
      throw e;
    }
    passwd ??= view.passwd;
    group ??= view.group;
  }
  return accountsFrom(passwd, group);
}

/** The accounts a union of layers shows, from the topmost layer's say about each file (none: not there). */
export function accountsFrom(passwd: FileState | undefined, group: FileState | undefined): ImageAccounts {
  for (const state of [passwd, group]) {
    if (state?.kind === 'unreadable') return { kind: 'unknown', reason: state.reason };
  }
  const passwdText = passwd?.kind === 'content' ? passwd.text : undefined;
  const groupText = group?.kind === 'content' ? group.text : undefined;
  return {
    kind: 'known',
    passwd: passwdText === undefined ? [] : parsePasswd(passwdText),
    group: groupText === undefined ? [] : parseGroup(groupText),
    passwdFound: passwdText !== undefined,
    groupFound: groupText !== undefined,
  };
}
