/**
 * Image facts from a REAL registry: Debian's docker-registry (CNCF Distribution 2.8) on
 * 127.0.0.1 at a free port (test/support/registry.ts). The images are built here (tar layers,
 * gzip and zstd, configs, Docker v2 and OCI manifests, an OCI index) and pushed over the HTTP
 * API, then read back through ImageFactsService. Loopback only: SECCTX_IMAGES_LOOPBACK_ONLY
 * makes any other host a failure before a socket opens.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ImageFacts, ImageFactsFailure } from '../../server/src/engine/images/facts';
import { ImageFactsService, type ImageFactsServiceOptions } from '../../server/src/host/images/service';
import { configBlob, GROUP, indexBlob, layer, PASSWD, pushImage, pushManifest, zstdAvailable, type BuiltImage } from '../support/images';
import { registryAvailable, startRegistry, type RegistryProcess } from '../support/registry';

process.env.SECCTX_IMAGES_LOOPBACK_ONLY = '1';
const NOW = 1_800_000_000_000;
const skip = !registryAvailable() ? 'docker-registry is not installed (scripts/install-test-tools.sh installs it)' : !zstdAvailable() ? 'zstd is not installed' : false;

const APP_PASSWD = `${PASSWD}app:x:1000:1000::/home/app:/bin/sh\n`;
const APP_GROUP = `${GROUP}app:x:1000:\nstaff:x:50:app,daemon\n`;
const known = (passwd: string, group: string, passwdFound = true, groupFound = true) => ({
  kind: 'known' as const,
  passwd: passwd.trim().split('\n').map((l) => { const p = l.split(':'); return { name: p[0], uid: Number(p[2]), gid: Number(p[3]) }; }),
  group: group.trim().split('\n').map((l) => { const p = l.split(':'); return { name: p[0], gid: Number(p[2]), members: p[3] ? p[3].split(',') : [] }; }),
  passwdFound,
  groupFound,
});

describe('image facts from a real registry (docker-registry on loopback)', { skip }, () => {
  let registry: RegistryProcess;
  let cacheRoot: string;
  const images: Record<string, BuiltImage> = {};
  let indexDigest = '';
  let logs: string[] = [];
  let cacheCount = 0;
  const service = (options: Partial<ImageFactsServiceOptions> = {}) =>
    new ImageFactsService({ mode: 'registry', trusted: false, cacheDir: path.join(cacheRoot, `c${cacheCount++}`), dockerHost: 'unix:///nonexistent/docker.sock', now: () => NOW, log: (l) => logs.push(l), ...options });
  const ref = (r: string) => `${registry.host}/${r}`;

  before(async () => {
    cacheRoot = mkdtempSync(path.join(os.tmpdir(), 'secctx-image-cache-'));
    registry = await startRegistry();
    const t = { url: registry.url };
    const base = await layer([{ path: 'etc/', type: 'directory' }, { path: 'etc/passwd', content: PASSWD }, { path: 'etc/group', content: GROUP }, { path: 'bin/sh', content: 'x' }]);
    // The named user's layer is zstd (OCI), the base gzip (Docker v2 media type).
    const useradd = await layer([{ path: './etc/passwd', content: APP_PASSWD }, { path: './etc/group', content: APP_GROUP }], 'zstd');
    images.named = await pushImage(t, 'team/named', '1.0', configBlob({ user: 'app', labels: { 'org.opencontainers.image.title': 'named' }, env: ['PATH=/usr/bin'] }, true), [base, useradd], true);
    images.numeric = await pushImage(t, 'team/numeric', '1.0', configBlob({ user: '1000:50' }), [base]);
    images.nouser = await pushImage(t, 'team/nouser', 'latest', configBlob({}), [base]);
    // Whiteouts: the top layer removes /etc/passwd below; an opaque /etc above that hides everything below it.
    const whiteout = await layer([{ path: 'etc/.wh.passwd' }]);
    images.whiteout = await pushImage(t, 'team/whiteout', '1', configBlob({ user: 'app' }), [base, useradd, whiteout]);
    const opaque = await layer([{ path: 'etc/', type: 'directory' }, { path: 'etc/.wh..wh..opq' }, { path: 'etc/group', content: 'solo:x:7:\n' }]);
    images.opaque = await pushImage(t, 'team/opaque', '1', configBlob({ user: '7' }), [base, useradd, opaque]);
    // Over the budget: 256 KiB of incompressible bytes above the account files.
    const big = await layer([{ path: 'data.bin', content: randomBytes(256 << 10) }]);
    images.big = await pushImage(t, 'team/big', '1', configBlob({ user: 'app' }), [base, useradd, big]);
    // Multi-platform: an OCI index over amd64 and arm64/v8 images.
    const amd = await pushImage(t, 'team/multi', undefined, configBlob({ user: '1', architecture: 'amd64' }, true), [base], true);
    const arm = await pushImage(t, 'team/multi', undefined, configBlob({ user: '2', architecture: 'arm64', variant: 'v8' }, true), [base], true);
    images.multiAmd = amd;
    images.multiArm = arm;
    const index = indexBlob([{ manifest: amd.manifest, platform: { os: 'linux', architecture: 'amd64' } }, { manifest: arm.manifest, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } }]);
    indexDigest = index.digest;
    await pushManifest(t, 'team/multi', '1', index);
  });

  after(async () => {
    await registry?.stop();
    if (cacheRoot) rmSync(cacheRoot, { recursive: true, force: true });
  });

  const facts = (reference: string, image: BuiltImage, user: string, accounts: ImageFacts['accounts'], extra: Partial<ImageFacts> = {}): ImageFacts => ({
    reference,
    normalized: reference.includes(':', reference.lastIndexOf('/')) || reference.includes('@') ? reference : `${reference}:latest`,
    digest: image.manifest.digest,
    platform: 'linux/amd64',
    user,
    ...(accounts ? { accounts } : {}),
    ...extra,
    from: 'registry',
    fetchedAt: NOW,
  });

  it('a named user: config User from the config blob, /etc/passwd and /etc/group from the top (zstd) layer', async () => {
    const s = service();
    const r = ref('team/named:1.0');
    const got = await s.resolve([r]);
    assert.deepStrictEqual(got.get(r), facts(r, images.named, 'app', known(APP_PASSWD, APP_GROUP), { labels: { 'org.opencontainers.image.title': 'named' }, env: ['PATH=/usr/bin'] }));
    // The synchronous lookup now answers from memory, for any spelling of the same image.
    assert.deepStrictEqual(s.lookup(r), got.get(r));
    s.dispose();
  });

  it('a numeric uid:gid user and an image without USER (Docker v2 manifests, gzip layer)', async () => {
    const s = service();
    const a = ref('team/numeric:1.0');
    const b = ref('team/nouser');
    const got = await s.resolve([a, b]);
    assert.deepStrictEqual(got.get(a), facts(a, images.numeric, '1000:50', known(PASSWD, GROUP)));
    assert.deepStrictEqual(got.get(b), facts(b, images.nouser, '', known(PASSWD, GROUP)));
    s.dispose();
  });

  it('whiteouts: .wh.passwd hides the lower /etc/passwd; an opaque /etc hides everything below it but not its own files', async () => {
    const s = service();
    const a = ref('team/whiteout:1');
    const b = ref('team/opaque:1');
    const got = await s.resolve([a, b]);
    assert.deepStrictEqual(got.get(a), facts(a, images.whiteout, 'app', { kind: 'known', passwd: [], group: known(APP_PASSWD, APP_GROUP).group, passwdFound: false, groupFound: true }));
    assert.deepStrictEqual(got.get(b), facts(b, images.opaque, '7', { kind: 'known', passwd: [], group: [{ name: 'solo', gid: 7, members: [] }], passwdFound: false, groupFound: true }));
    s.dispose();
  });

  it('over the layer budget the accounts are unknown, with the reason; the config facts stay', async () => {
    const s = service({ layerBudget: 128 << 10 });
    const r = ref('team/big:1');
    const got = await s.resolve([r]);
    const top = images.big.layers[2];
    assert.deepStrictEqual(got.get(r), facts(r, images.big, 'app', { kind: 'unknown', reason: `/etc/passwd and /etc/group not read: layer 1 from the top (${top.digest.slice(0, 19)}…, 0.25 MiB) is over what is left of the layer budget of 0.13 MiB` }));
    s.dispose();
  });

  it('an OCI index resolves to the requested platform (containerd platforms: arm64/v8 is arm64); a missing one is a failure naming those present', async () => {
    const r = ref('team/multi:1');
    const amd = service();
    assert.deepStrictEqual((await amd.resolve([r])).get(r), facts(r, images.multiAmd, '1', known(PASSWD, GROUP)));
    const arm = service({ platform: 'linux/arm64' });
    assert.deepStrictEqual((await arm.resolve([r])).get(r), facts(r, images.multiArm, '2', known(PASSWD, GROUP), { platform: 'linux/arm64' }));
    const s390 = service({ platform: 'linux/s390x' });
    assert.deepStrictEqual((await s390.resolve([r])).get(r), { reference: r, reason: `${registry.host}: no linux/s390x image in the index ${indexDigest.slice(0, 19)}… (it has linux/amd64, linux/arm64)` });
    for (const s of [amd, arm, s390]) s.dispose();
  });

  it('by digest: name@digest and name:tag@digest fetch the digest (ParseDockerRef), verified', async () => {
    const s = service();
    const a = ref(`team/multi@${indexDigest}`);
    const b = ref(`team/numeric:ignored@${images.numeric.manifest.digest}`);
    const got = await s.resolve([a, b]);
    assert.deepStrictEqual(got.get(a), facts(a, images.multiAmd, '1', known(PASSWD, GROUP)));
    assert.deepStrictEqual(got.get(b), facts(b, images.numeric, '1000:50', known(PASSWD, GROUP)));
    s.dispose();
  });

  it('an unknown tag is a failure with the registry\'s reason; an invalid reference is a failure without any lookup', async () => {
    const s = service();
    const a = ref('team/named:nope');
    const got = await s.resolve([a, 'Team/App']);
    assert.deepStrictEqual([...got.values()], [
      { reference: a, reason: `${registry.host}: not found (404): manifest team/named:nope: MANIFEST_UNKNOWN manifest unknown` },
      { reference: 'Team/App', reason: 'invalid image reference: invalid reference format: repository name (App) must be lowercase' },
    ]);
    s.dispose();
  });

  it('request() runs in the background, deduplicated, and onDidResolve names every spelling that resolved', async () => {
    logs = [];
    const s = service();
    const spellings = [ref('team/numeric:1.0'), ref('team/numeric:1.0'), ref('team/nouser'), ref('team/nouser:latest')];
    const seen = new Set<string>();
    const done = new Promise<void>((resolve) => s.onDidResolve((refs) => { refs.forEach((r) => seen.add(r)); if (seen.size === 3) resolve(); }));
    assert.equal(s.lookup(spellings[0]), undefined);
    s.request(spellings);
    await done;
    assert.deepStrictEqual([...seen].sort(), [ref('team/nouser'), ref('team/nouser:latest'), ref('team/numeric:1.0')].sort());
    assert.equal((s.lookup(ref('team/nouser:latest')) as ImageFacts).digest, images.nouser.manifest.digest);
    // One lookup per normalised reference (nouser and nouser:latest are one image), one log line each.
    assert.equal(logs.filter((l) => l.startsWith(`images: ${ref('team/nouser:latest')} → registry`)).length, 1);
    s.dispose();
  });

  it('never contacts a host that is not loopback in tests (the guard), and mode off looks nothing up', async () => {
    const s = service();
    const got = (await s.resolve(['nginx'])).get('nginx') as ImageFactsFailure;
    assert.deepStrictEqual(got, { reference: 'nginx', reason: 'registry-1.docker.io: refused to contact registry-1.docker.io: only loopback hosts are allowed (SECCTX_IMAGES_LOOPBACK_ONLY)' });
    const off = service({ mode: 'off' });
    assert.deepStrictEqual([...(await off.resolve([ref('team/numeric:1.0')])).values()], [{ reference: ref('team/numeric:1.0'), reason: 'image lookup is off' }]);
    assert.equal(off.lookup(ref('team/numeric:1.0')), undefined);
    s.dispose();
    off.dispose();
  });
});
