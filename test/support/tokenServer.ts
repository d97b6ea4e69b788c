/**
 * A stand-in token realm for Distribution's `auth: token` scheme (the real registry verifies
 * what it issues): `GET /token?service=…&scope=repository:<name>:<actions>` answers
 * `{"token": <JWT>}`, an RS256 JWT whose `x5c` header carries the signing certificate that the
 * registry trusts through `rootcertbundle`. Anonymous callers get pull on `public/*` only;
 * callers with the right Basic credentials get what they ask for; wrong credentials get 401.
 */
import { createPrivateKey, createSign, randomBytes, X509Certificate } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TokenServer {
  readonly realm: string;
  readonly requests: string[];
  /** A token for the test's own pushes. */
  mint(repository: string, actions: readonly string[]): string;
  close(): Promise<void>;
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

export async function startTokenServer(options: { keyPem: string; certPem: string; issuer: string; service: string; username: string; password: string; refreshToken?: string }): Promise<TokenServer> {
  const key = createPrivateKey(options.keyPem);
  const der = new X509Certificate(options.certPem).raw.toString('base64');
  const mint = (access: { type: string; name: string; actions: string[] }[], subject: string): string => {
    const now = Math.floor(Date.now() / 1000);
    const header = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', x5c: [der] }));
    const claims = b64url(JSON.stringify({ iss: options.issuer, sub: subject, aud: options.service, exp: now + 300, nbf: now - 10, iat: now, jti: randomBytes(8).toString('hex'), access }));
    const signature = createSign('RSA-SHA256').update(`${header}.${claims}`).sign(key);
    return `${header}.${claims}.${b64url(signature)}`;
  };
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    if (req.method === 'POST') {
      // The OAuth2 refresh-token grant (Docker's identitytoken), as a form POST.
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        const form = new URLSearchParams(body);
        requests.push(`POST ${req.url} grant_type=${form.get('grant_type')} scope=${form.get('scope')}`);
        if (form.get('grant_type') !== 'refresh_token' || !options.refreshToken || form.get('refresh_token') !== options.refreshToken) {
          res.writeHead(401, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'bad refresh token' }] }));
          return;
        }
        const access = (form.get('scope') ?? '').split(' ').filter(Boolean).map((scope) => {
          const [type, name, actions] = scope.split(':');
          return { type, name, actions: actions.split(',') };
        });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ access_token: mint(access, options.username), expires_in: 300 }));
      });
      return;
    }
    const url = new URL(req.url ?? '/', 'http://x');
    requests.push(`${req.method} ${url.pathname}${url.search}${req.headers.authorization ? ' (with credentials)' : ''}`);
    let subject = '';
    if (req.headers.authorization) {
      const [scheme, value] = req.headers.authorization.split(' ');
      const [u, p] = Buffer.from(value ?? '', 'base64').toString().split(':');
      if (scheme !== 'Basic' || u !== options.username || p !== options.password) {
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'bad credentials' }] }));
        return;
      }
      subject = u;
    }
    const access = url.searchParams.getAll('scope').map((scope) => {
      const [type, name, actions] = scope.split(':');
      const granted = subject ? actions.split(',') : name.startsWith('public/') ? actions.split(',').filter((a) => a === 'pull') : [];
      return { type, name, actions: granted };
    });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ token: mint(access, subject), expires_in: 300 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    requests,
    mint: (repository, actions) => mint([{ type: 'repository', name: repository, actions: [...actions] }], 'test'),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
