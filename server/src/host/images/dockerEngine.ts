/**
 * The local Docker Engine API (or podman's compatible service) over its unix socket:
 * `GET /images/{name}/json` (ImageInspect) gives `Config.User`, `Config.Labels`, `Config.Env`,
 * `RepoDigests`, `Os`, `Architecture`, `Variant` of an image pulled or built on this machine.
 * Socket: `DOCKER_HOST=unix://…`, else /var/run/docker.sock, else podman's sockets. A
 * `tcp://` DOCKER_HOST is not used (no TLS client certificates here): the lookup says so.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { parseNormalizedReference, type NormalizedReference } from '../../engine/images/normalize';
import { readBody, request } from './http';
import { formatPlatform, normalizePlatform } from './platform';
import type { ImageConfigFacts } from './registry';

export interface LocalImage {
  readonly digest?: string;
  readonly platform: string;
  readonly config: ImageConfigFacts;
  /** The engine's image id (config digest). */
  readonly id?: string;
}

export type DockerSocket = { readonly kind: 'unix'; readonly path: string } | { readonly kind: 'unsupported' | 'none'; readonly reason: string };

/** Where the engine listens: an explicit dockerHost (`unix:///…`), DOCKER_HOST, then the usual sockets. */
export async function findDockerSocket(dockerHost: string | undefined): Promise<DockerSocket> {
  const host = dockerHost ?? process.env.DOCKER_HOST;
  if (host) {
    if (host.startsWith('unix://')) {
      const socket = host.slice('unix://'.length);
      const exists = await fs.stat(socket).then(() => true, () => false);
      return exists ? { kind: 'unix', path: socket } : { kind: 'none', reason: `no Docker engine socket at ${socket}` };
    }
    return { kind: 'unsupported', reason: `DOCKER_HOST ${host.split('://')[0]}:// is not supported (only unix://)` };
  }
  const candidates = ['/var/run/docker.sock', ...(process.env.XDG_RUNTIME_DIR ? [path.join(process.env.XDG_RUNTIME_DIR, 'podman', 'podman.sock')] : []), '/run/podman/podman.sock'];
  for (const c of candidates) {
    try {
      if ((await fs.stat(c)).isSocket()) return { kind: 'unix', path: c };
    } catch {
      // not there
    }
  }
  return { kind: 'none', reason: 'no Docker engine socket' };
}

export class DockerEngineError extends Error {}

/**
 * ImageInspect for a reference; undefined when the engine does not have the image (404).
 * The name is sent as Docker's CLI sends it (`docker.io/library/nginx:1.27` is accepted).
 */
export async function inspectLocalImage(socketPath: string, ref: NormalizedReference, signal: AbortSignal): Promise<LocalImage | undefined> {
  const name = ref.normalized;
  const res = await request({ url: new URL(`http://docker/images/${name}/json`), socketPath, signal });
  if (res.status === 404) {
    res.body.resume();
    return undefined;
  }
  const body = await readBody(res.body, 16 << 20);
  if (res.status !== 200) throw new DockerEngineError(`Docker engine answered ${res.status} for ${name}`);
  let json: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    if (!parsed || typeof parsed !== 'object') throw new Error();
    json = parsed as Record<string, unknown>;
  } catch {
    throw new DockerEngineError(`Docker engine's answer for ${name} is not JSON`);
  }
  const c = json.Config && typeof json.Config === 'object' ? (json.Config as Record<string, unknown>) : {};
  const labels: Record<string, string> = {};
  if (c.Labels && typeof c.Labels === 'object') for (const [k, v] of Object.entries(c.Labels as Record<string, unknown>).slice(0, 64)) if (typeof v === 'string') labels[k] = v.slice(0, 256);
  const env = Array.isArray(c.Env) ? c.Env.filter((e): e is string => typeof e === 'string').slice(0, 64) : [];
  // RepoDigests: "repo@sha256:…" per repository the image was pulled from; take this reference's.
  let digest: string | undefined;
  for (const rd of Array.isArray(json.RepoDigests) ? json.RepoDigests : []) {
    if (typeof rd !== 'string') continue;
    const parsed = parseNormalizedReference(rd);
    if (parsed.ok && parsed.reference.name === ref.name && parsed.reference.digest) {
      digest = parsed.reference.digest;
      break;
    }
  }
  if (ref.digest) digest = ref.digest;
  return {
    ...(digest ? { digest } : {}),
    ...(typeof json.Id === 'string' ? { id: json.Id } : {}),
    platform: formatPlatform(normalizePlatform({ os: typeof json.Os === 'string' ? json.Os : '', architecture: typeof json.Architecture === 'string' ? json.Architecture : '', variant: typeof json.Variant === 'string' ? json.Variant : undefined })),
    config: { user: typeof c.User === 'string' ? c.User : '', ...(Object.keys(labels).length ? { labels } : {}), ...(env.length ? { env } : {}) },
  };
}
