/**
 * A small client for the OCI Distribution API (the registry side of `docker pull`), on
 * node:http/https. Written here rather than taken from npm: the registry clients on npm either
 * pull whole images to disk or skip digest verification and Docker's credential rules, and
 * what is needed is small — a manifest, a config blob and a few layers streamed to a budget.
 *
 * - Endpoints: `docker.io` is served by `registry-1.docker.io` (containerd remotes/docker
 *   `DefaultHost`); https always; plain http only for loopback hosts and those listed insecure,
 *   tried after https as Docker does for insecure registries; a registry's own CA from
 *   `certs.d/<host>/*.crt` (Docker's convention).
 * - Auth: the `WWW-Authenticate` challenge of a 401 (containerd remotes/docker/auth
 *   `ParseAuthHeader`): Bearer → a token from the realm (GET with Basic credentials, or the
 *   OAuth POST with a refresh token, as containerd's `FetchToken`/`FetchTokenWithOAuth`);
 *   Basic → the credentials. One retry after a challenge, no other retries at all.
 * - Digests: every manifest, config and layer is verified against the digest it was asked by
 *   (or, for a tag, against `Docker-Content-Digest` when the registry sends one); a mismatch
 *   fails the lookup.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import type { NormalizedReference } from '../../engine/images/normalize';
import type { ImageAccounts } from '../../engine/images/facts';
import type { RegistryCredential } from './credentials';
import { DigestMismatch, digestOf, verifyBytes } from './digest';
import { describeBodyError, discard, isLoopbackHost, readBody, request, type HttpResponse } from './http';
import { readAccounts, scanLayerBody, type LayerDescriptor, type LayerView } from './layers';
import { formatPlatform, normalizePlatform, platformMatches, type Platform } from './platform';

export const MEDIA_TYPES = {
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
} as const;

const MANIFEST_ACCEPT = [MEDIA_TYPES.ociIndex, MEDIA_TYPES.dockerManifestList, MEDIA_TYPES.ociManifest, MEDIA_TYPES.dockerManifest].join(', ');
const MAX_MANIFEST = 4 << 20;
const MAX_CONFIG = 8 << 20;

/** A lookup that failed for a reason worth showing (status, digest mismatch, timeout, …). */
export class RegistryFailure extends Error {}

export interface RegistryClientOptions {
  readonly insecureRegistries: readonly string[];
  readonly credentials: (registryHost: string) => Promise<RegistryCredential | undefined>;
  /** Docker's per-registry CA directory (`/etc/docker/certs.d`); `<host:port>/*.crt`. */
  readonly certsDir?: string;
  readonly layerBudget: number;
}

export interface ImageConfigFacts {
  readonly user: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly env?: readonly string[];
}

export interface RegistryImage {
  /** Digest of the platform's image manifest. */
  readonly digest: string;
  /** Digest of the index it was chosen from, when the reference named one. */
  readonly indexDigest?: string;
  readonly platform: string;
  readonly config: ImageConfigFacts;
  readonly accounts: ImageAccounts;
}

interface Descriptor {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
  readonly platform?: { os?: string; architecture?: string; variant?: string };
}

interface Challenge {
  readonly scheme: string;
  readonly params: Readonly<Record<string, string>>;
}

/**
 * `WWW-Authenticate: Bearer realm="…",service="…",scope="…"` (RFC 7235 auth-params, quoted
 * strings with backslash escapes), as containerd's `ParseAuthHeader` reads it.
 */
export function parseChallenges(header: string | string[] | undefined): Challenge[] {
  const values = Array.isArray(header) ? header : header ? [header] : [];
  const out: Challenge[] = [];
  for (const value of values) {
    let i = 0;
    const s = value;
    while (i < s.length) {
      while (i < s.length && /[\s,]/.test(s[i])) i++;
      const schemeStart = i;
      while (i < s.length && /[^\s,=]/.test(s[i])) i++;
      const scheme = s.slice(schemeStart, i).toLowerCase();
      if (!scheme) break;
      const params: Record<string, string> = {};
      for (;;) {
        while (i < s.length && /\s/.test(s[i])) i++;
        const keyStart = i;
        while (i < s.length && /[^\s,=]/.test(s[i])) i++;
        const key = s.slice(keyStart, i).toLowerCase();
        while (i < s.length && /\s/.test(s[i])) i++;
        if (!key || s[i] !== '=') { i = keyStart; break; }
        i++;
        while (i < s.length && /\s/.test(s[i])) i++;
        let val = '';
        if (s[i] === '"') {
          i++;
          while (i < s.length && s[i] !== '"') {
            if (s[i] === '\\' && i + 1 < s.length) i++;
            val += s[i++];
          }
          i++;
        } else {
          const vs = i;
          while (i < s.length && /[^\s,]/.test(s[i])) i++;
          val = s.slice(vs, i);
        }
        params[key] = val;
        while (i < s.length && /\s/.test(s[i])) i++;
        if (s[i] === ',') i++;
        else break;
      }
      out.push({ scheme, params });
    }
  }
  return out;
}

function statusReason(status: number, what: string, detail: string): string {
  const tail = detail ? `: ${detail}` : '';
  switch (status) {
    case 401: return `unauthorized (401) fetching ${what}${tail}`;
    case 403: return `denied (403) fetching ${what}${tail}`;
    case 404: return `not found (404): ${what}${tail}`;
    case 429: return `rate limited (429) fetching ${what}${tail}; not retried`;
    default: return status >= 500 ? `registry error (${status}) fetching ${what}${tail}` : `unexpected status ${status} fetching ${what}${tail}`;
  }
}

/** The registry's `{"errors":[{"code","message"}]}` body, shortened for a reason. */
async function errorDetail(res: HttpResponse): Promise<string> {
  try {
    const body = await readBody(res.body, 64 << 10);
    const parsed = JSON.parse(body.toString('utf8')) as { errors?: { code?: unknown; message?: unknown }[] };
    const e = parsed.errors?.[0];
    if (e) return [e.code, e.message].filter((x) => typeof x === 'string' && x).join(' ').slice(0, 200);
  } catch {
    // no JSON body: the status says enough
  }
  return '';
}

export class RegistryClient {
  private readonly tokens = new Map<string, { header: string; expires: number }>();
  private readonly schemes = new Map<string, 'https' | 'http'>();
  private readonly cas = new Map<string, Promise<string[]>>();
  /** What each layer (by digest: immutable) holds of /etc: images sharing a base read it once. */
  private readonly layerViews = new Map<string, Promise<{ view: LayerView; bytes: number }>>();

  constructor(private readonly options: RegistryClientOptions) {}

  /** The host serving a reference's domain (containerd: docker.io → registry-1.docker.io). */
  static apiHost(domain: string): string {
    return domain === 'docker.io' ? 'registry-1.docker.io' : domain;
  }

  private plainHttpAllowed(host: string): boolean {
    const hostname = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0];
    return isLoopbackHost(hostname) || this.options.insecureRegistries.includes(host) || this.options.insecureRegistries.includes(hostname);
  }

  private ca(host: string): Promise<string[]> {
    let p = this.cas.get(host);
    if (!p) {
      const dir = this.options.certsDir ? path.join(this.options.certsDir, host) : undefined;
      p = dir
        ? fs.readdir(dir).then((names) => Promise.all(names.filter((n) => n.endsWith('.crt')).map((n) => fs.readFile(path.join(dir, n), 'utf8'))), () => [])
        : Promise.resolve([]);
      this.cas.set(host, p);
    }
    return p;
  }

  /** One request to the registry, with the challenge/token dance and redirects (blobs live on CDNs). */
  private async send(host: string, repository: string, apiPath: string, headers: Record<string, string>, signal: AbortSignal, what: string): Promise<HttpResponse> {
    const scope = `repository:${repository}:pull`;
    const tokenKey = `${host} ${scope}`;
    let challenged = false;
    for (;;) {
      const known = this.tokens.get(tokenKey);
      const auth: Record<string, string> = known && known.expires > Date.now() ? { authorization: known.header } : {};
      const res = await this.fetchFollowing(host, apiPath, { ...headers, ...auth }, signal, what);
      if (res.status !== 401 || challenged) return res;
      challenged = true;
      const challenges = parseChallenges(res.headers['www-authenticate']);
      discard(res.body);
      const header = await this.authorize(host, scope, challenges, signal);
      if (!header) return this.failWith(401, what, 'the registry asks for credentials and none are configured for it');
      this.tokens.set(tokenKey, header);
    }
  }

  private failWith(status: number, what: string, detail: string): never {
    throw new RegistryFailure(statusReason(status, what, detail));
  }

  private async fetchFollowing(host: string, apiPath: string, headers: Record<string, string>, signal: AbortSignal, what: string): Promise<HttpResponse> {
    let url = await this.baseUrl(host, signal, apiPath);
    let hdrs = headers;
    for (let hop = 0; hop < 6; hop++) {
      const res = await this.requestWithCa(url, hdrs, signal);
      if (![301, 302, 303, 307, 308].includes(res.status)) return res;
      const location = res.headers.location;
      discard(res.body);
      if (!location) throw new RegistryFailure(`redirect without a Location fetching ${what}`);
      const next = new URL(location, url);
      if (next.protocol !== 'https:' && !(next.protocol === 'http:' && this.plainHttpAllowed(next.host))) {
        throw new RegistryFailure(`refused a redirect to plain http (${next.host}) fetching ${what}`);
      }
      // Credentials never follow a redirect to another host (object stores sign their URLs).
      if (next.host !== url.host) {
        const { authorization: _dropped, ...rest } = hdrs;
        void _dropped;
        hdrs = rest;
      }
      url = next;
    }
    throw new RegistryFailure(`too many redirects fetching ${what}`);
  }

  private async requestWithCa(url: URL, headers: Record<string, string>, signal: AbortSignal): Promise<HttpResponse> {
    return request({ url, headers, signal, ca: url.protocol === 'https:' ? await this.ca(url.host) : [] });
  }

  /** https, or http for loopback/insecure registries when https does not answer (remembered per host). */
  private async baseUrl(host: string, signal: AbortSignal, apiPath: string): Promise<URL> {
    const known = this.schemes.get(host);
    if (known) return new URL(`${known}://${host}${apiPath}`);
    if (!this.plainHttpAllowed(host)) {
      this.schemes.set(host, 'https');
      return new URL(`https://${host}${apiPath}`);
    }
    try {
      const res = await this.requestWithCa(new URL(`https://${host}/v2/`), {}, signal);
      discard(res.body);
      this.schemes.set(host, 'https');
    } catch (e) {
      if (signal.aborted) throw e;
      this.schemes.set(host, 'http');
    }
    return new URL(`${this.schemes.get(host)}://${host}${apiPath}`);
  }

  private async authorize(host: string, scope: string, challenges: readonly Challenge[], signal: AbortSignal): Promise<{ header: string; expires: number } | undefined> {
    const credential = await this.options.credentials(host === 'registry-1.docker.io' ? 'docker.io' : host);
    const bearer = challenges.find((c) => c.scheme === 'bearer');
    if (bearer) {
      if (credential?.registryToken) return { header: `Bearer ${credential.registryToken}`, expires: Date.now() + 60_000 };
      const realm = bearer.params.realm;
      if (!realm) throw new RegistryFailure(`the registry's Bearer challenge has no realm`);
      let realmUrl: URL;
      try {
        realmUrl = new URL(realm);
      } catch {
        throw new RegistryFailure(`the registry's token realm is not a URL: ${realm.slice(0, 100)}`);
      }
      if (realmUrl.protocol !== 'https:' && !(realmUrl.protocol === 'http:' && this.plainHttpAllowed(realmUrl.host))) {
        throw new RegistryFailure(`refused a plain-http token realm (${realmUrl.host})`);
      }
      const service = bearer.params.service;
      const scopes = [scope, ...(bearer.params.scope && bearer.params.scope !== scope ? [bearer.params.scope] : [])];
      let res: HttpResponse;
      const ca = realmUrl.protocol === 'https:' ? await this.ca(realmUrl.host) : [];
      if (credential?.identityToken) {
        // containerd FetchTokenWithOAuth: the refresh-token grant as a form POST.
        const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: credential.identityToken, client_id: 'secctx', ...(service ? { service } : {}), scope: scopes.join(' ') });
        res = await request({ url: realmUrl, method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString(), signal, ca });
      } else {
        // containerd FetchToken / distribution's token handler: GET with scope and service, Basic credentials if any.
        const url = new URL(realmUrl);
        if (service) url.searchParams.set('service', service);
        for (const s of scopes) url.searchParams.append('scope', s);
        const basic: Record<string, string> = credential?.username !== undefined && credential.password !== undefined ? { authorization: `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString('base64')}` } : {};
        res = await request({ url, headers: basic, signal, ca });
      }
      if (res.status !== 200) {
        const detail = await errorDetail(res);
        throw new RegistryFailure(`token server ${realmUrl.host} answered ${res.status}${detail ? `: ${detail}` : ''}${credential ? ` (credentials from ${credential.origin})` : ''}`);
      }
      let token: string | undefined;
      let expiresIn = 60;
      try {
        const body = JSON.parse((await readBody(res.body, 1 << 20)).toString('utf8')) as { token?: unknown; access_token?: unknown; expires_in?: unknown };
        token = typeof body.token === 'string' && body.token ? body.token : typeof body.access_token === 'string' && body.access_token ? body.access_token : undefined;
        if (typeof body.expires_in === 'number' && body.expires_in > 0) expiresIn = body.expires_in;
      } catch {
        token = undefined;
      }
      if (!token) throw new RegistryFailure(`token server ${realmUrl.host} answered without a token`);
      return { header: `Bearer ${token}`, expires: Date.now() + Math.max(10, expiresIn - 10) * 1000 };
    }
    if (challenges.some((c) => c.scheme === 'basic') && credential?.username !== undefined && credential.password !== undefined) {
      return { header: `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString('base64')}`, expires: Number.MAX_SAFE_INTEGER };
    }
    return undefined;
  }

  private async manifest(host: string, repository: string, ref: string, expectedDigest: string | undefined, signal: AbortSignal): Promise<{ digest: string; mediaType: string; json: Record<string, unknown> }> {
    const what = `manifest ${repository}:${ref}`.replace(':sha', '@sha');
    const res = await this.send(host, repository, `/v2/${repository}/manifests/${ref}`, { accept: MANIFEST_ACCEPT }, signal, what);
    if (res.status !== 200) this.failWith(res.status, what, await errorDetail(res));
    let body: Buffer;
    try {
      body = await readBody(res.body, MAX_MANIFEST);
    } catch (e) {
      throw new RegistryFailure(`${what}: ${describeBodyError(e)}`);
    }
    const declared = res.headers['content-length'];
    if (declared !== undefined && Number(declared) !== body.length) throw new RegistryFailure(`${what} truncated: ${body.length} of ${declared} bytes`);
    let digest: string;
    if (expectedDigest) {
      verifyBytes(what, body, expectedDigest);
      digest = expectedDigest;
    } else {
      digest = digestOf(body);
      const header = res.headers['docker-content-digest'];
      if (typeof header === 'string' && header) verifyBytes(`${what} (Docker-Content-Digest)`, body, header);
    }
    let json: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(body.toString('utf8'));
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      json = parsed as Record<string, unknown>;
    } catch {
      throw new RegistryFailure(`${what} is not JSON`);
    }
    const contentType = String(res.headers['content-type'] ?? '').split(';')[0].trim();
    const mediaType = typeof json.mediaType === 'string' ? json.mediaType : contentType;
    return { digest, mediaType, json };
  }

  private async blob(host: string, repository: string, desc: Descriptor, signal: AbortSignal): Promise<Readable> {
    const what = `blob ${desc.digest}`;
    const res = await this.send(host, repository, `/v2/${repository}/blobs/${desc.digest}`, {}, signal, what);
    if (res.status !== 200) this.failWith(res.status, what, await errorDetail(res));
    return res.body;
  }

  private layerView(host: string, repository: string, layer: LayerDescriptor, budgetLeft: number, signal: AbortSignal): Promise<{ view: LayerView; bytes: number }> {
    const known = this.layerViews.get(layer.digest);
    if (known) return known.then((k) => ({ view: k.view, bytes: 0 }));
    const scanning = this.blob(host, repository, layer, signal).then((body) => scanLayerBody(body, layer, budgetLeft));
    this.layerViews.set(layer.digest, scanning);
    // Only verified, complete scans are kept; a failure (budget, digest, network) is not.
    scanning.catch(() => this.layerViews.delete(layer.digest));
    if (this.layerViews.size > 4096) this.layerViews.delete(this.layerViews.keys().next().value!);
    return scanning;
  }

  /** Resolves a reference to its platform's manifest, config and account files. */
  async fetchImage(ref: NormalizedReference, platform: Platform, signal: AbortSignal): Promise<RegistryImage> {
    const host = RegistryClient.apiHost(ref.domain);
    const repository = ref.path;
    // ParseDockerRef: a reference with a tag and a digest is fetched by its digest.
    let m = await this.manifest(host, repository, ref.digest ?? ref.tag ?? 'latest', ref.digest, signal);
    let indexDigest: string | undefined;
    if (m.mediaType === MEDIA_TYPES.ociIndex || m.mediaType === MEDIA_TYPES.dockerManifestList || (Array.isArray(m.json.manifests) && !m.json.config)) {
      indexDigest = m.digest;
      const descs = descriptors(m.json.manifests);
      const chosen = descs.find((d) => d.platform && platformMatches(platform, d.platform));
      if (!chosen) {
        const have = descs.filter((d) => d.platform).map((d) => formatPlatform(normalizePlatform(d.platform!))).filter((p) => p !== 'unknown/unknown');
        throw new RegistryFailure(`no ${formatPlatform(platform)} image in the index ${m.digest.slice(0, 19)}… (it has ${have.join(', ') || 'no platforms'})`);
      }
      m = await this.manifest(host, repository, chosen.digest, chosen.digest, signal);
    }
    if (m.mediaType !== MEDIA_TYPES.dockerManifest && m.mediaType !== MEDIA_TYPES.ociManifest && !(m.mediaType === '' && m.json.config)) {
      if (m.json.schemaVersion === 1) throw new RegistryFailure(`Docker schema 1 manifests are not supported (${ref.normalized})`);
      throw new RegistryFailure(`unsupported manifest media type "${m.mediaType}"`);
    }
    const [config] = descriptors([m.json.config]);
    if (!config) throw new RegistryFailure('the manifest has no config descriptor');
    if (config.mediaType && config.mediaType !== MEDIA_TYPES.dockerConfig && config.mediaType !== MEDIA_TYPES.ociConfig) {
      throw new RegistryFailure(`not a container image (config media type ${config.mediaType})`);
    }
    if (config.size > MAX_CONFIG) throw new RegistryFailure(`the image config is ${config.size} bytes, more than ${MAX_CONFIG}`);
    const configBody = await this.blob(host, repository, config, signal);
    let configBytes: Buffer;
    try {
      configBytes = await readBody(configBody, MAX_CONFIG);
    } catch (e) {
      throw new RegistryFailure(`image config ${config.digest}: ${describeBodyError(e)}`);
    }
    verifyBytes(`image config ${config.digest}`, configBytes, config.digest, config.size);
    const parsed = parseImageConfig(configBytes);
    const layers = descriptors(m.json.layers);
    const accounts = await readAccounts({ layers, budget: this.options.layerBudget, view: (layer, left) => this.layerView(host, repository, layer, left, signal) });
    return {
      digest: m.digest,
      ...(indexDigest ? { indexDigest } : {}),
      platform: formatPlatform(normalizePlatform(parsed.platform)),
      config: parsed.config,
      accounts,
    };
  }
}

function descriptors(value: unknown): Descriptor[] {
  if (!Array.isArray(value)) return [];
  const out: Descriptor[] = [];
  for (const v of value) {
    if (!v || typeof v !== 'object') continue;
    const d = v as Record<string, unknown>;
    if (typeof d.digest !== 'string' || typeof d.size !== 'number') continue;
    const p = d.platform && typeof d.platform === 'object' ? (d.platform as Record<string, unknown>) : undefined;
    out.push({
      mediaType: typeof d.mediaType === 'string' ? d.mediaType : '',
      digest: d.digest,
      size: d.size,
      ...(p ? { platform: { os: typeof p.os === 'string' ? p.os : undefined, architecture: typeof p.architecture === 'string' ? p.architecture : undefined, variant: typeof p.variant === 'string' ? p.variant : undefined } } : {}),
    });
  }
  return out;
}

const MAX_LABELS = 64;
const MAX_ENV = 64;
const MAX_VALUE = 256;

/** The config blob's `config.User`, `Labels`, `Env` and platform (OCI image-spec config.md). */
export function parseImageConfig(bytes: Buffer): { config: ImageConfigFacts; platform: { os?: string; architecture?: string; variant?: string } } {
  let json: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(bytes.toString('utf8'));
    if (!parsed || typeof parsed !== 'object') throw new Error();
    json = parsed as Record<string, unknown>;
  } catch {
    throw new RegistryFailure('the image config is not JSON');
  }
  const c = json.config && typeof json.config === 'object' ? (json.config as Record<string, unknown>) : {};
  const user = typeof c.User === 'string' ? c.User : '';
  const labels: Record<string, string> = {};
  if (c.Labels && typeof c.Labels === 'object') {
    for (const [k, v] of Object.entries(c.Labels as Record<string, unknown>).slice(0, MAX_LABELS)) if (typeof v === 'string') labels[k] = v.slice(0, MAX_VALUE);
  }
  const env = Array.isArray(c.Env) ? c.Env.filter((e): e is string => typeof e === 'string').slice(0, MAX_ENV).map((e) => e.slice(0, MAX_VALUE)) : [];
  return {
    config: { user, ...(Object.keys(labels).length ? { labels } : {}), ...(env.length ? { env } : {}) },
    platform: { os: typeof json.os === 'string' ? json.os : undefined, architecture: typeof json.architecture === 'string' ? json.architecture : undefined, variant: typeof json.variant === 'string' ? json.variant : undefined },
  };
}

export { DigestMismatch };
