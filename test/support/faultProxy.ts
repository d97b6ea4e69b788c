/**
 * A stand-in in front of the real registry: forwards every request to it unchanged, except
 * for repositories named `faults/<kind>`, which are served from `team/numeric` with one fault
 * applied (status codes, a truncated or corrupted body, no answer at all). Loopback only.
 */
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type Fault = '429' | '500' | '403' | 'truncate' | 'corrupt' | 'corrupt-manifest' | 'hang';

export interface FaultProxy {
  readonly host: string;
  /** Requests seen, as `METHOD path`. */
  readonly requests: string[];
  close(): Promise<void>;
}

export async function startFaultProxy(upstream: string, source = 'team/numeric'): Promise<FaultProxy> {
  const sockets = new Set<Socket>();
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const m = /^\/v2\/faults\/([a-z0-9-]+)\/(manifests|blobs)\/(.*)$/.exec(req.url ?? '');
    const fault = m?.[1] as Fault | undefined;
    if (fault === '429') {
      res.writeHead(429, { 'retry-after': '30', 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ code: 'TOOMANYREQUESTS', message: 'slow down' }] }));
      return;
    }
    if (fault === '500' || fault === '403') {
      res.writeHead(Number(fault), { 'content-type': 'text/plain' });
      res.end('nope');
      return;
    }
    if (fault === 'hang') return; // never answers; the client's deadline must end it
    const path = m ? `/v2/${source}/${m[2]}/${m[3]}` : req.url;
    const up = http.request(`${upstream}${path}`, { method: req.method, headers: { ...req.headers, host: new URL(upstream).host } }, (upRes) => {
      const isBlob = m?.[2] === 'blobs';
      const isDigestManifest = m?.[2] === 'manifests' && m[3].startsWith('sha256:');
      if ((fault === 'truncate' && isBlob) || (fault === 'corrupt' && isBlob) || (fault === 'corrupt-manifest' && isDigestManifest)) {
        const chunks: Buffer[] = [];
        upRes.on('data', (c: Buffer) => chunks.push(c));
        upRes.on('end', () => {
          const body = Buffer.concat(chunks);
          res.writeHead(upRes.statusCode ?? 502, upRes.headers);
          if (fault === 'truncate') {
            // Headers promise the whole length; half arrives, then the connection drops.
            res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.socket?.destroy());
            return;
          }
          const bad = Buffer.from(body);
          // Same length, one byte changed: only the digest can tell.
          const at = bad.indexOf('"');
          bad[at >= 0 ? at + 1 : 0] ^= 0x01;
          res.end(bad);
        });
        return;
      }
      res.writeHead(upRes.statusCode ?? 502, upRes.headers);
      upRes.pipe(res);
    });
    up.on('error', () => { res.writeHead(502); res.end(); });
    req.pipe(up);
  });
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    host: `127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}
