/**
 * Real images built in the test and pushed over the OCI Distribution API (POST + PUT monolithic
 * blob uploads, PUT manifests): tar layers (tar-stream) compressed with gzip (node:zlib) or zstd
 * (the `zstd` program, Debian package zstd), image configs, Docker v2 / OCI manifests and a
 * multi-platform index.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as https from 'node:https';
import * as http from 'node:http';
import * as zlib from 'node:zlib';
import * as tar from 'tar-stream';

export interface LayerFile {
  readonly path: string;
  readonly content?: string | Buffer;
  readonly type?: 'file' | 'directory' | 'symlink';
  readonly linkname?: string;
}

export type Compression = 'gzip' | 'zstd' | 'none';

export interface Blob {
  readonly digest: string;
  readonly size: number;
  readonly bytes: Buffer;
  readonly mediaType: string;
}

export const sha256 = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

export async function tarOf(files: readonly LayerFile[]): Promise<Buffer> {
  const pack = tar.pack();
  for (const f of files) {
    if (f.type === 'directory') pack.entry({ name: f.path, type: 'directory', mode: 0o755 });
    else if (f.type === 'symlink') pack.entry({ name: f.path, type: 'symlink', linkname: f.linkname ?? '' });
    else pack.entry({ name: f.path, mode: 0o644 }, typeof f.content === 'string' ? Buffer.from(f.content) : (f.content ?? Buffer.alloc(0)));
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack as AsyncIterable<Buffer>) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks);
}

export function zstdCompress(bytes: Buffer): Buffer {
  const r = spawnSync('zstd', ['-q', '-c', '-3'], { input: bytes, maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`zstd failed: ${r.stderr?.toString()}`);
  return r.stdout;
}

export function zstdAvailable(): boolean {
  return spawnSync('zstd', ['--version']).status === 0;
}

export async function layer(files: readonly LayerFile[], compression: Compression = 'gzip', oci = compression === 'zstd'): Promise<Blob> {
  const raw = await tarOf(files);
  const bytes = compression === 'gzip' ? zlib.gzipSync(raw) : compression === 'zstd' ? zstdCompress(raw) : raw;
  const mediaType = compression === 'zstd'
    ? 'application/vnd.oci.image.layer.v1.tar+zstd'
    : oci
      ? compression === 'gzip' ? 'application/vnd.oci.image.layer.v1.tar+gzip' : 'application/vnd.oci.image.layer.v1.tar'
      : 'application/vnd.docker.image.rootfs.diff.tar.gzip';
  return { digest: sha256(bytes), size: bytes.length, bytes, mediaType };
}

export function configBlob(config: { user?: string; labels?: Record<string, string>; env?: string[]; os?: string; architecture?: string; variant?: string }, oci = false): Blob {
  const json = {
    architecture: config.architecture ?? 'amd64',
    os: config.os ?? 'linux',
    ...(config.variant ? { variant: config.variant } : {}),
    config: { ...(config.user !== undefined ? { User: config.user } : {}), ...(config.env ? { Env: config.env } : {}), ...(config.labels ? { Labels: config.labels } : {}) },
    rootfs: { type: 'layers', diff_ids: [] },
  };
  const bytes = Buffer.from(JSON.stringify(json));
  return { digest: sha256(bytes), size: bytes.length, bytes, mediaType: oci ? 'application/vnd.oci.image.config.v1+json' : 'application/vnd.docker.container.image.v1+json' };
}

export function manifestBlob(config: Blob, layers: readonly Blob[], oci = false): Blob {
  const mediaType = oci ? 'application/vnd.oci.image.manifest.v1+json' : 'application/vnd.docker.distribution.manifest.v2+json';
  const bytes = Buffer.from(JSON.stringify({
    schemaVersion: 2,
    mediaType,
    config: { mediaType: config.mediaType, digest: config.digest, size: config.size },
    layers: layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size })),
  }));
  return { digest: sha256(bytes), size: bytes.length, bytes, mediaType };
}

export function indexBlob(manifests: readonly { manifest: Blob; platform: { os: string; architecture: string; variant?: string } }[], oci = true): Blob {
  const mediaType = oci ? 'application/vnd.oci.image.index.v1+json' : 'application/vnd.docker.distribution.manifest.list.v2+json';
  const bytes = Buffer.from(JSON.stringify({
    schemaVersion: 2,
    mediaType,
    manifests: manifests.map((m) => ({ mediaType: m.manifest.mediaType, digest: m.manifest.digest, size: m.manifest.size, platform: m.platform })),
  }));
  return { digest: sha256(bytes), size: bytes.length, bytes, mediaType };
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface PushTarget {
  /** `http://127.0.0.1:5000` or `https://…`. */
  readonly url: string;
  readonly authorization?: string;
  readonly ca?: string;
}

function send(target: PushTarget, method: string, urlText: string, body?: Buffer, headers: Record<string, string> = {}): Promise<Answer> {
  const url = new URL(urlText, target.url);
  return new Promise((resolve, reject) => {
    const lib = url.protocol === 'https:' ? https : http;
    const req = lib.request(url, { method, agent: false, headers: { ...headers, ...(target.authorization ? { authorization: target.authorization } : {}), ...(body ? { 'content-length': String(body.length) } : {}) }, ...(target.ca ? { ca: target.ca } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

export async function pushBlob(target: PushTarget, repository: string, blob: Blob): Promise<void> {
  const start = await send(target, 'POST', `/v2/${repository}/blobs/uploads/`);
  if (start.status !== 202) throw new Error(`blob upload start: ${start.status} ${start.body.toString()}`);
  const location = new URL(String(start.headers.location), target.url);
  location.searchParams.set('digest', blob.digest);
  const put = await send(target, 'PUT', location.toString(), blob.bytes, { 'content-type': 'application/octet-stream' });
  if (put.status !== 201) throw new Error(`blob upload: ${put.status} ${put.body.toString()}`);
}

export async function pushManifest(target: PushTarget, repository: string, reference: string, manifest: Blob): Promise<void> {
  const put = await send(target, 'PUT', `/v2/${repository}/manifests/${reference}`, manifest.bytes, { 'content-type': manifest.mediaType });
  if (put.status !== 201) throw new Error(`manifest ${repository}:${reference}: ${put.status} ${put.body.toString()}`);
}

export interface BuiltImage {
  readonly manifest: Blob;
  readonly config: Blob;
  readonly layers: readonly Blob[];
}

/** Pushes layers, config and manifest; tags it when `tag` is given. */
export async function pushImage(target: PushTarget, repository: string, tag: string | undefined, config: Blob, layers: readonly Blob[], oci = false): Promise<BuiltImage> {
  for (const l of layers) await pushBlob(target, repository, l);
  await pushBlob(target, repository, config);
  const manifest = manifestBlob(config, layers, oci);
  await pushManifest(target, repository, tag ?? manifest.digest, manifest);
  return { manifest, config, layers };
}

export const PASSWD = 'root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n';
export const GROUP = 'root:x:0:\ndaemon:x:1:\nnogroup:x:65534:\n';
