/**
 * Image facts: faults, the on-disk cache and the Docker Engine socket.
 *
 * Real: the registry (Debian's docker-registry on 127.0.0.1, test/support/registry.ts), the
 * images pushed to it, the cache files, the second process.
 * Stand-ins: a fault proxy in front of the registry (test/support/faultProxy.ts) for 429, 500,
 * truncated and corrupted bodies and a registry that never answers; and a small HTTP server on a
 * unix socket that answers the Docker Engine API's `GET /images/{name}/json` with the
 * ImageInspect shape and 404 to everything else (the export: image-facts-export.test.ts) — no
 * Docker daemon runs on this machine.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { ImageFacts } from '../../server/src/engine/images/facts';
import { ImageCache } from '../../server/src/host/images/cache';
import { ImageFactsService, type ImageFactsServiceOptions } from '../../server/src/host/images/service';
import { startFaultProxy, type FaultProxy } from '../support/faultProxy';
import { configBlob, GROUP, layer, PASSWD, pushImage, type BuiltImage } from '../support/images';
import { freePort, registryAvailable, startRegistry, type RegistryProcess } from '../support/registry';

process.env.SECCTX_IMAGES_LOOPBACK_ONLY = '1';
const NOW = 1_800_000_000_000;
const HOUR = 3_600_000;
const skip = registryAvailable() ? false : 'docker-registry is not installed (scripts/install-test-tools.sh installs it)';
const ACCOUNTS = {
  kind: 'known' as const,
  passwd: [{ name: 'root', uid: 0, gid: 0 }, { name: 'daemon', uid: 1, gid: 1 }, { name: 'nobody', uid: 65534, gid: 65534 }],
  group: [{ name: 'root', gid: 0, members: [] }, { name: 'daemon', gid: 1, members: [] }, { name: 'nogroup', gid: 65534, members: [] }],
  passwdFound: true,
  groupFound: true,
};

/** The garbage collector, for tests that must not depend on when it runs (Node exposes it with --expose-gc, set here). */
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

describe('image facts: faults, cache, Docker engine socket', { skip }, () => {
  let registry: RegistryProcess;
  let proxy: FaultProxy;
  let tmp: string;
  let image: BuiltImage;
  let n = 0;
  const service = (options: Partial<ImageFactsServiceOptions> = {}) =>
    new ImageFactsService({ mode: 'registry', trusted: false, cacheDir: path.join(tmp, `cache${n++}`), dockerHost: 'unix:///nonexistent/docker.sock', now: () => NOW, timeoutMs: 10_000, ...options });
  const one = async (s: ImageFactsService, reference: string) => (await s.resolve([reference])).get(reference);

  before(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'secctx-image-facts-'));
    registry = await startRegistry();
    const base = await layer([{ path: 'etc/passwd', content: PASSWD }, { path: 'etc/group', content: GROUP }]);
    image = await pushImage({ url: registry.url }, 'team/numeric', '1.0', configBlob({ user: '1000:50' }), [base]);
    proxy = await startFaultProxy(registry.url);
  });
  after(async () => {
    await proxy?.close();
    await registry?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  describe('faults: the image stays unknown with the reason, nothing is retried', () => {
    const fault = async (kind: string, options: Partial<ImageFactsServiceOptions> = {}, suffix = ':1.0') => {
      const s = service(options);
      const before = proxy.requests.length;
      const got = await one(s, `${proxy.host}/faults/${kind}${suffix}`);
      const requests = proxy.requests.slice(before);
      s.dispose();
      return { got, requests };
    };

    it('429 rate limit: one request, no retry', async () => {
      const { got, requests } = await fault('429');
      assert.deepStrictEqual(got, { reference: `${proxy.host}/faults/429:1.0`, reason: `${proxy.host}: rate limited (429) fetching manifest faults/429:1.0: TOOMANYREQUESTS slow down; not retried` });
      assert.deepStrictEqual(requests.filter((r) => r.includes('/manifests/')), ['GET /v2/faults/429/manifests/1.0']);
    });

    it('500 and 403', async () => {
      assert.deepStrictEqual((await fault('500')).got, { reference: `${proxy.host}/faults/500:1.0`, reason: `${proxy.host}: registry error (500) fetching manifest faults/500:1.0` });
      assert.deepStrictEqual((await fault('403')).got, { reference: `${proxy.host}/faults/403:1.0`, reason: `${proxy.host}: denied (403) fetching manifest faults/403:1.0` });
    });

    it('a truncated blob is rejected', async () => {
      const { got } = await fault('truncate');
      assert.deepStrictEqual(got, { reference: `${proxy.host}/faults/truncate:1.0`, reason: `${proxy.host}: image config ${image.config.digest}: the connection closed before the end (truncated)` });
    });

    it('a blob whose bytes do not match its digest is rejected (same length, one byte changed)', async () => {
      const { got } = await fault('corrupt');
      const config = image.config.digest;
      assert.ok(got && 'reason' in got);
      assert.match(got.reason, new RegExp(`^127\\.0\\.0\\.1:\\d+: image config ${config} does not match its digest: expected ${config}, got sha256:[0-9a-f]{64}$`));
    });

    it('a manifest fetched by digest that does not match it is rejected', async () => {
      const d = image.manifest.digest;
      const { got } = await fault('corrupt-manifest', {}, `@${d}`);
      assert.ok(got && 'reason' in got);
      assert.match(got.reason, new RegExp(`manifest faults/corrupt-manifest@${d} does not match its digest: expected ${d}, got sha256:`));
    });

    // A test timeout, so that a lookup that never ends fails here instead of hanging the run.
    it('a registry that never answers: the lookup times out, garbage collections meanwhile or not', { timeout: 20_000 }, async () => {
      // With AbortSignal.timeout() inside AbortSignal.any() (both held weakly by Node), a collection while the request
      // waited could take the timeout away, and the lookup then waited forever (a full run hung on this test now and then).
      const collect = setInterval(gc, 10);
      try {
        const { got } = await fault('hang', { timeoutMs: 300 });
        assert.deepStrictEqual(got, { reference: `${proxy.host}/faults/hang:1.0`, reason: 'timed out after 300 ms' });
      } finally {
        clearInterval(collect);
      }
    });

    it('a registry that is down: connection refused', async () => {
      const port = await freePort();
      const s = service();
      const got = await one(s, `127.0.0.1:${port}/team/numeric:1.0`);
      assert.deepStrictEqual(got, { reference: `127.0.0.1:${port}/team/numeric:1.0`, reason: `127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}` });
      s.dispose();
    });

    it('dispose() cancels lookups in flight and queued; their resolve() answers "cancelled", nothing is remembered', async () => {
      const s = service({ concurrency: 1, timeoutMs: 60_000 });
      const refs = [`${proxy.host}/faults/hang:1.0`, `${proxy.host}/faults/hang:2.0`];
      const pending = s.resolve(refs);
      await new Promise<void>((resolve) => {
        const seen = () => (proxy.requests.some((r) => r.includes('/faults/hang/manifests/1.0')) ? resolve() : setImmediate(seen));
        seen();
      });
      s.dispose();
      assert.deepStrictEqual([...(await pending).values()], refs.map((reference) => ({ reference, reason: 'cancelled' })));
      assert.equal(s.lookup(refs[0]), undefined);
    });

    it('a failure is remembered: a second request does not contact the registry again', async () => {
      const s = service();
      const r = `${proxy.host}/faults/500:again`;
      await one(s, r);
      const before = proxy.requests.length;
      s.request([r]);
      await one(s, r);
      assert.equal(proxy.requests.length, before);
      s.dispose();
    });
  });

  describe('the on-disk cache', () => {
    it('a second run with the registry stopped gives the same answers, from the cache; tags expire after 24 h, digests never', async () => {
      const cacheDir = path.join(tmp, 'shared-cache');
      const stopped = await startFaultProxy(registry.url);
      const tag = `${stopped.host}/team/numeric:1.0`;
      const pinned = `${stopped.host}/team/numeric@${image.manifest.digest}`;
      const first = service({ cacheDir });
      const fresh = await first.resolve([tag, pinned]);
      first.dispose();
      await stopped.close();
      const expected = (reference: string, from: 'registry' | 'cache'): ImageFacts => ({ reference, normalized: reference, digest: image.manifest.digest, platform: 'linux/amd64', user: '1000:50', accounts: ACCOUNTS, from, fetchedAt: NOW });
      assert.deepStrictEqual([...fresh.values()], [expected(tag, 'registry'), expected(pinned, 'registry')]);
      for (const mode of ['registry', 'local'] as const) {
        const again = service({ cacheDir, mode, now: () => NOW + 23 * HOUR });
        assert.deepStrictEqual([...(await again.resolve([tag, pinned])).values()], [expected(tag, 'cache'), expected(pinned, 'cache')]);
        again.dispose();
      }
      const later = service({ cacheDir, mode: 'local', now: () => NOW + 25 * HOUR });
      assert.deepStrictEqual([...(await later.resolve([tag, pinned])).values()], [
        { reference: tag, reason: 'not in the cache, no Docker engine socket at /nonexistent/docker.sock; image lookup is "local" (registries are not contacted)' },
        expected(pinned, 'cache'),
      ]);
      later.dispose();
    });

    it('a corrupt or mismatched entry is discarded, never trusted', async () => {
      const cacheDir = path.join(tmp, 'corrupt-cache');
      const r = `${registry.host}/team/numeric:1.0`;
      const s = service({ cacheDir });
      await s.resolve([r]);
      s.dispose();
      const cache = new ImageCache({ dir: cacheDir, now: () => NOW });
      const file = cache.manifestFile(image.manifest.digest);
      const good = readFileSync(file, 'utf8');
      const logs: string[] = [];
      for (const bad of ['{"digest": "sha256:', JSON.stringify({ ...JSON.parse(good), digest: `sha256:${'0'.repeat(64)}` }), JSON.stringify({ ...JSON.parse(good), user: 7 })]) {
        writeFileSync(file, bad);
        const local = service({ cacheDir, mode: 'local', log: (l) => logs.push(l) });
        const got = await one(local, r);
        local.dispose();
        assert.deepStrictEqual(got, { reference: r, reason: 'not in the cache, no Docker engine socket at /nonexistent/docker.sock; image lookup is "local" (registries are not contacted)' });
        assert.equal(existsSync(file), false);
      }
      assert.deepStrictEqual(logs.filter((l) => l.includes('discarded')).map((l) => l.replace(file, 'FILE')), [
        'images: cache entry FILE does not parse; discarded',
        'images: cache entry FILE has the wrong shape; discarded',
        'images: cache entry FILE has the wrong shape; discarded',
      ]);
      // The registry mode refetches and rewrites it.
      const refetch = service({ cacheDir });
      assert.equal(((await one(refetch, r)) as ImageFacts).from, 'registry');
      refetch.dispose();
      assert.equal(readFileSync(file, 'utf8'), good);
    });

    it('two processes writing the same entries at once: every read in either sees a whole entry, no temp files stay', async () => {
      const cacheDir = path.join(tmp, 'two-writers');
      const script = path.join(tmp, 'writer.ts');
      const entry = { digest: image.manifest.digest, platform: 'linux/amd64', user: '1000:50', accounts: ACCOUNTS, fetchedAt: NOW };
      writeFileSync(script, [
        `import { ImageCache } from ${JSON.stringify(path.resolve(__dirname, '../../server/src/host/images/cache'))};`,
        `const cache = new ImageCache({ dir: ${JSON.stringify(cacheDir)}, now: () => ${NOW}, log: (l) => console.error(l) });`,
        `const entry = ${JSON.stringify(entry)};`,
        'let bad = 0;',
        '(async () => {',
        '  for (let i = 0; i < 200; i++) {',
        "    await cache.put('127.0.0.1:1/team/numeric:1.0', 'linux/amd64', { ...entry, fetchedAt: entry.fetchedAt + (i % 2) });",
        "    const ref = await cache.getRef('127.0.0.1:1/team/numeric:1.0', 'linux/amd64', false);",
        '    const image = ref && (await cache.getImage(ref.digest));',
        '    if (!image || image.user !== entry.user) bad++;',
        '  }',
        '  process.stdout.write(String(bad));',
        '})();',
      ].join('\n'));
      const run = () => new Promise<string>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`writer exited ${code}`))));
      });
      assert.deepStrictEqual(await Promise.all([run(), run()]), ['0', '0']);
      const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]));
      assert.deepStrictEqual(files(cacheDir).filter((f) => f.endsWith('.tmp')), []);
      const local = service({ cacheDir, mode: 'local' });
      const r = '127.0.0.1:1/team/numeric:1.0';
      assert.equal(((await one(local, r)) as ImageFacts).from, 'cache');
      local.dispose();
    });
  });

  describe('the Docker Engine API over a unix socket (a stand-in server; no Docker daemon runs here)', () => {
    let socketPath: string;
    let server: http.Server;
    const paths: string[] = [];
    before(async () => {
      socketPath = path.join(tmp, 'docker.sock');
      server = http.createServer((req, res) => {
        paths.push(req.url ?? '');
        if (req.url === `/images/${registry.host}/team/numeric:1.0/json`) {
          // The engine has pulled the registry's image: its config, and the digest it was pulled by.
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ Id: image.config.digest, RepoDigests: [`${registry.host}/team/numeric@${image.manifest.digest}`], Os: 'linux', Architecture: 'amd64', Config: { User: '1000:50' } }));
          return;
        }
        if (req.url === '/images/docker.io/library/local-only:1/json') {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({
            Id: `sha256:${'c'.repeat(64)}`,
            RepoTags: ['local-only:1'],
            RepoDigests: ['other/repo@sha256:' + 'e'.repeat(64), 'local-only@sha256:' + 'd'.repeat(64)],
            Os: 'linux',
            Architecture: 'arm64',
            Variant: 'v8',
            Config: { User: 'postgres', Env: ['PGDATA=/var/lib/postgresql/data'], Labels: { maintainer: 'x' } },
          }));
          return;
        }
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: `No such image: ${req.url}` }));
      });
      await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    });
    after(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('an image the engine has: Config.User, RepoDigests for this repository, Os/Architecture; accounts from its export (none here: 404, said)', async () => {
      const s = service({ mode: 'local', dockerHost: `unix://${socketPath}` });
      assert.deepStrictEqual(await one(s, 'local-only:1'), {
        reference: 'local-only:1',
        normalized: 'docker.io/library/local-only:1',
        digest: `sha256:${'d'.repeat(64)}`,
        platform: 'linux/arm64',
        user: 'postgres',
        labels: { maintainer: 'x' },
        env: ['PGDATA=/var/lib/postgresql/data'],
        accounts: { kind: 'unknown', reason: 'the local Docker engine did not export the image (404)' },
        from: 'docker',
        fetchedAt: NOW,
      });
      s.dispose();
    });

    it('an image it lacks: 404 falls through (local mode: unknown, with why); DOCKER_HOST=tcp:// is said to be unsupported', async () => {
      const s = service({ mode: 'local', dockerHost: `unix://${socketPath}` });
      assert.deepStrictEqual(await one(s, 'ghcr.io/team/app:2'), { reference: 'ghcr.io/team/app:2', reason: 'not in the cache, not in the local Docker engine; image lookup is "local" (registries are not contacted)' });
      assert.ok(paths.includes('/images/ghcr.io/team/app:2/json'));
      s.dispose();
      const tcp = service({ mode: 'local', dockerHost: 'tcp://127.0.0.1:2375' });
      assert.deepStrictEqual(await one(tcp, 'alpine'), { reference: 'alpine', reason: 'not in the cache, DOCKER_HOST tcp:// is not supported (only unix://); image lookup is "local" (registries are not contacted)' });
      tcp.dispose();
    });

    it('registry mode asks the engine first, then the registry; the engine\'s answer gets its accounts from the registry by the engine\'s digest', async () => {
      const s = service({ mode: 'registry', dockerHost: `unix://${socketPath}` });
      const r = `${registry.host}/team/numeric:1.0`;
      assert.deepStrictEqual(await one(s, r), { reference: r, normalized: r, digest: image.manifest.digest, platform: 'linux/amd64', user: '1000:50', accounts: ACCOUNTS, from: 'docker', fetchedAt: NOW });
      assert.ok(paths.includes(`/images/${r}/json`));
      const other = `${registry.host}/team/numeric:other`;
      assert.deepStrictEqual(await one(s, other), { reference: other, reason: `${registry.host}: not found (404): manifest team/numeric:other: MANIFEST_UNKNOWN manifest unknown` });
      const local = await one(s, 'local-only:1');
      assert.deepStrictEqual(local && 'accounts' in local ? local.accounts : undefined, { kind: 'unknown', reason: `the local Docker engine did not export the image (404); its registry's copy (sha256:dddddddddddd…): refused to contact registry-1.docker.io: only loopback hosts are allowed (SECCTX_IMAGES_LOOPBACK_ONLY)` });
      s.dispose();
    });
  });
});
