/**
 * Registry authentication against the REAL registry (Debian's docker-registry):
 * - Basic auth: Distribution's `htpasswd` scheme (bcrypt entries made here with bcryptjs) over
 *   TLS with a self-signed certificate made here with openssl, trusted through Docker's
 *   `certs.d/<host:port>/ca.crt` convention; credentials from a Docker config.json `auths`, or from
 *   a credential helper program (`credsStore`) that runs only when trusted.
 * - Bearer tokens: Distribution's `token` scheme; the registry and its JWT verification are
 *   real, the token realm in front of it is a stand-in (test/support/tokenServer.ts).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import bcrypt from 'bcryptjs';
import type { ImageFacts } from '../../server/src/engine/images/facts';
import { ImageFactsService, type ImageFactsServiceOptions } from '../../server/src/host/images/service';
import { configBlob, GROUP, layer, PASSWD, pushImage, type BuiltImage } from '../support/images';
import { freePort, registryAvailable, startRegistry, type RegistryProcess } from '../support/registry';
import { startTokenServer, type TokenServer } from '../support/tokenServer';

process.env.SECCTX_IMAGES_LOOPBACK_ONLY = '1';
const NOW = 1_800_000_000_000;
const openssl = spawnSync('openssl', ['version']).status === 0;
const skip = !registryAvailable() ? 'docker-registry is not installed (scripts/install-test-tools.sh installs it)' : !openssl ? 'openssl is not installed' : false;

function selfSigned(dir: string, name: string): { cert: string; key: string } {
  const cert = path.join(dir, `${name}.crt`);
  const key = path.join(dir, `${name}.key`);
  const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', `/CN=${name}`, '-addext', 'subjectAltName=IP:127.0.0.1'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return { cert, key };
}

describe('registry authentication (real docker-registry)', { skip }, () => {
  let tmp: string;
  let n = 0;
  const dockerConfig = (config: unknown): string => {
    const dir = path.join(tmp, `docker${n++}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
    return dir;
  };
  const service = (options: Partial<ImageFactsServiceOptions>) =>
    new ImageFactsService({ mode: 'registry', trusted: false, cacheDir: path.join(tmp, `cache${n++}`), dockerHost: 'unix:///nonexistent/docker.sock', certsDir: path.join(tmp, 'certs.d'), now: () => NOW, timeoutMs: 20_000, ...options });
  const one = async (s: ImageFactsService, reference: string) => {
    const got = (await s.resolve([reference])).get(reference);
    s.dispose();
    return got;
  };
  before(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'secctx-registry-auth-'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  describe('basic auth: htpasswd over TLS', () => {
    let registry: RegistryProcess;
    let image: BuiltImage;
    const basic = `Basic ${Buffer.from('alice:s3cret').toString('base64')}`;
    before(async () => {
      const tls = selfSigned(tmp, 'registry');
      const htpasswd = path.join(tmp, 'htpasswd');
      writeFileSync(htpasswd, `alice:${bcrypt.hashSync('s3cret', 5)}\n`);
      const port = await freePort();
      mkdirSync(path.join(tmp, 'certs.d', `127.0.0.1:${port}`), { recursive: true });
      writeFileSync(path.join(tmp, 'certs.d', `127.0.0.1:${port}`, 'ca.crt'), readFileSync(tls.cert));
      registry = await startRegistry({ port, tls: { certificate: tls.cert, key: tls.key }, htpasswd: { realm: 'secctx-test', path: htpasswd } });
      const base = await layer([{ path: 'etc/passwd', content: PASSWD }, { path: 'etc/group', content: GROUP }]);
      image = await pushImage({ url: registry.url, authorization: basic, ca: readFileSync(tls.cert, 'utf8') }, 'private/app', '1', configBlob({ user: 'nobody' }), [base]);
    });
    after(() => registry?.stop());

    it('credentials from config.json auths (base64 user:password) get the facts over https', async () => {
      const r = `${registry.host}/private/app:1`;
      const got = (await one(service({ dockerConfig: dockerConfig({ auths: { [registry.host]: { auth: Buffer.from('alice:s3cret').toString('base64') } } }) }), r)) as ImageFacts;
      assert.deepStrictEqual([got.from, got.digest, got.user], ['registry', image.manifest.digest, 'nobody']);
    });

    it('an auths key written as a URL matches by hostname (docker/cli ConvertToHostname)', async () => {
      const r = `${registry.host}/private/app:1`;
      const got = (await one(service({ dockerConfig: dockerConfig({ auths: { [`https://${registry.host}/v2/`]: { username: 'alice', password: 's3cret' } } }) }), r)) as ImageFacts;
      assert.equal(got.user, 'nobody');
    });

    it('no credentials, or wrong ones: 401, the image stays unknown with the reason', async () => {
      const r = `${registry.host}/private/app:1`;
      assert.deepStrictEqual(await one(service({ dockerConfig: dockerConfig({}) }), r), { reference: r, reason: `${registry.host}: unauthorized (401) fetching manifest private/app:1: the registry asks for credentials and none are configured for it` });
      assert.deepStrictEqual(await one(service({ dockerConfig: dockerConfig({ auths: { [registry.host]: { username: 'alice', password: 'wrong' } } }) }), r), { reference: r, reason: `${registry.host}: unauthorized (401) fetching manifest private/app:1: UNAUTHORIZED authentication required` });
    });

    it('a credential helper (credsStore) runs only when trusted; untrusted, it is never started', async () => {
      const bin = path.join(tmp, 'bin');
      mkdirSync(bin, { recursive: true });
      const marker = path.join(tmp, 'helper-ran');
      const helper = path.join(bin, 'docker-credential-secctxtest');
      writeFileSync(helper, `#!/bin/sh\nread server\necho "$server" >> ${JSON.stringify(marker)}\necho '{"ServerURL":"'"$server"'","Username":"alice","Secret":"s3cret"}'\n`);
      chmodSync(helper, 0o755);
      const savedPath = process.env.PATH;
      process.env.PATH = `${bin}:${savedPath}`;
      try {
        const r = `${registry.host}/private/app:1`;
        const config = dockerConfig({ credsStore: 'secctxtest' });
        const logs: string[] = [];
        assert.deepStrictEqual(await one(service({ dockerConfig: config, trusted: false, log: (l) => logs.push(l) }), r), { reference: r, reason: `${registry.host}: unauthorized (401) fetching manifest private/app:1: the registry asks for credentials and none are configured for it` });
        assert.equal(existsSync(marker), false);
        assert.ok(logs.includes(`images: credential helper "secctxtest" for ${registry.host} not run (untrusted); using ${path.join(config, 'config.json')} auths only`), logs.join('\n'));
        const got = (await one(service({ dockerConfig: config, trusted: true }), r)) as ImageFacts;
        assert.equal(got.user, 'nobody');
        assert.equal(readFileSync(marker, 'utf8'), `${registry.host}\n`);
      } finally {
        process.env.PATH = savedPath;
      }
    });
  });

  describe('bearer tokens: Distribution `auth: token` behind a stand-in realm', () => {
    let registry: RegistryProcess;
    let tokens: TokenServer;
    before(async () => {
      const signing = selfSigned(tmp, 'token-signer');
      tokens = await startTokenServer({ keyPem: readFileSync(signing.key, 'utf8'), certPem: readFileSync(signing.cert, 'utf8'), issuer: 'secctx-test-issuer', service: 'secctx-test-registry', username: 'bob', password: 'hunter2', refreshToken: 'refresh-xyz' });
      registry = await startRegistry({ token: { realm: tokens.realm, service: 'secctx-test-registry', issuer: 'secctx-test-issuer', rootcertbundle: signing.cert } });
      const base = await layer([{ path: 'etc/passwd', content: PASSWD }, { path: 'etc/group', content: GROUP }]);
      for (const repository of ['public/app', 'private/app']) {
        await pushImage({ url: registry.url, authorization: `Bearer ${tokens.mint(repository, ['pull', 'push'])}` }, repository, '1', configBlob({ user: '65534' }), [base]);
      }
    });
    after(async () => {
      await registry?.stop();
      await tokens?.close();
    });

    it('anonymous: the WWW-Authenticate challenge leads to a pull token for the repository (containerd FetchToken)', async () => {
      const r = `${registry.host}/public/app:1`;
      const before = tokens.requests.length;
      const got = (await one(service({ dockerConfig: dockerConfig({}) }), r)) as ImageFacts;
      assert.equal(got.user, '65534');
      assert.deepStrictEqual(tokens.requests.slice(before), ['GET /token?service=secctx-test-registry&scope=repository%3Apublic%2Fapp%3Apull']);
    });

    it('with credentials the token request carries them; without, a private repository is denied', async () => {
      const r = `${registry.host}/private/app:1`;
      const before = tokens.requests.length;
      const got = (await one(service({ dockerConfig: dockerConfig({ auths: { [registry.host]: { username: 'bob', password: 'hunter2' } } }) }), r)) as ImageFacts;
      assert.equal(got.user, '65534');
      assert.deepStrictEqual(tokens.requests.slice(before), ['GET /token?service=secctx-test-registry&scope=repository%3Aprivate%2Fapp%3Apull (with credentials)']);
      const denied = await one(service({ dockerConfig: dockerConfig({}) }), r);
      assert.deepStrictEqual(denied, { reference: r, reason: `${registry.host}: unauthorized (401) fetching manifest private/app:1: UNAUTHORIZED authentication required` });
      const wrong = await one(service({ dockerConfig: dockerConfig({ auths: { [registry.host]: { username: 'bob', password: 'nope' } } }) }), r);
      assert.deepStrictEqual(wrong, { reference: r, reason: `${registry.host}: token server 127.0.0.1:${new URL(tokens.realm).port} answered 401: UNAUTHORIZED bad credentials (credentials from ${path.join(tmp, `docker${n - 2}`, 'config.json')} auths["${registry.host}"])` });
    });

    it('an identitytoken is exchanged by the OAuth refresh-token POST (containerd FetchTokenWithOAuth)', async () => {
      const r = `${registry.host}/private/app:1`;
      const before = tokens.requests.length;
      const got = (await one(service({ dockerConfig: dockerConfig({ auths: { [registry.host]: { identitytoken: 'refresh-xyz' } } }) }), r)) as ImageFacts;
      assert.equal(got.user, '65534');
      assert.deepStrictEqual(tokens.requests.slice(before), ['POST /token grant_type=refresh_token scope=repository:private/app:pull']);
    });
  });
});
