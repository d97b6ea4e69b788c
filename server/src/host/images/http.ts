/**
 * One HTTP(S) request over node:http/https (not `fetch`: a registry's own CA from Docker's
 * `certs.d/<host>/ca.crt` and the Docker Engine's unix socket both need options fetch lacks in
 * Node 20). Streams the body; never follows redirects itself (the registry client decides).
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { isIP } from 'node:net';
import type { Readable } from 'node:stream';

export interface HttpRequest {
  readonly url: URL;
  readonly method?: 'GET' | 'HEAD' | 'POST';
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** PEM CA certificates trusted for this host in addition to the system's. */
  readonly ca?: readonly string[];
  /** A unix socket to speak HTTP over (the Docker Engine API). */
  readonly socketPath?: string;
  readonly signal: AbortSignal;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Readable;
}

/** 127.0.0.0/8, ::1 and `localhost`: Docker and containerd treat these as plain-HTTP capable. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || h === '0:0:0:0:0:0:0:1';
  return false;
}

/**
 * Set by the test suite (SECCTX_IMAGES_LOOPBACK_ONLY=1): any request to a host that is not
 * loopback fails before a socket is opened, so no test can reach a public registry.
 */
function guard(url: URL): void {
  if (process.env.SECCTX_IMAGES_LOOPBACK_ONLY === '1' && !isLoopbackHost(url.hostname)) {
    throw new Error(`refused to contact ${url.host}: only loopback hosts are allowed (SECCTX_IMAGES_LOOPBACK_ONLY)`);
  }
}

export function request(req: HttpRequest): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    if (!req.socketPath) {
      try {
        guard(req.url);
      } catch (e) {
        reject(e);
        return;
      }
    }
    if (req.signal.aborted) {
      reject(req.signal.reason instanceof Error ? req.signal.reason : new Error('aborted'));
      return;
    }
    const secure = req.url.protocol === 'https:';
    const options: https.RequestOptions = {
      method: req.method ?? 'GET',
      headers: { 'user-agent': 'secctx', ...(req.headers ?? {}), ...(req.body !== undefined ? { 'content-length': String(Buffer.byteLength(req.body)) } : {}) },
      signal: req.signal,
      agent: false,
      ...(req.socketPath ? { socketPath: req.socketPath } : {}),
    };
    if (secure && req.ca && req.ca.length) options.ca = [...req.ca];
    const r = (secure ? https : http).request(req.url, options, (res) => {
      resolve({ status: res.statusCode ?? 0, headers: res.headers, body: res });
    });
    r.on('error', reject);
    if (req.body !== undefined) r.write(req.body);
    r.end();
  });
}

/** Reads a whole body, failing past `limit` bytes (manifests, configs, token answers are small). */
export async function readBody(body: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > limit) {
      body.destroy();
      throw new Error(`response larger than ${limit} bytes`);
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

/** Drains and discards a body so the socket closes cleanly. */
export function discard(body: Readable): void {
  body.resume();
  body.on('error', () => undefined);
}

/** A body that ended early reads as "truncated" rather than Node's bare "aborted". */
export function describeBodyError(e: unknown): string {
  const err = e as { message?: string; code?: string };
  if (err?.message === 'aborted' || err?.code === 'ECONNRESET' || err?.code === 'ERR_STREAM_PREMATURE_CLOSE') return 'the connection closed before the end (truncated)';
  return err?.message ?? String(e);
}
