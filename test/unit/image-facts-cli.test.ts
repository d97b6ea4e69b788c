/**
 * `secctx images <refs...>` against the REAL registry (Debian's docker-registry on loopback):
 * in-process through runCli and as the built dist/cli.js; the second run, with the registry
 * stopped and the default `--image-lookup local`, answers from the cache.
 * Also moby/sys/user `GetExecUser`'s rules for the uid/gid it prints (engine/images/execUser.ts).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { resolveExecUser } from '../../server/src/engine/images/execUser';
import type { ImageAccounts } from '../../server/src/engine/images/facts';
import { configBlob, GROUP, layer, PASSWD, pushImage, zstdAvailable, type BuiltImage } from '../support/images';
import { registryAvailable, startRegistry, type RegistryProcess } from '../support/registry';
import { runCliCaptured, withEnv } from '../support/cli';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');

describe('GetExecUser (moby/sys/user) over the image accounts', () => {
  const accounts: ImageAccounts = {
    kind: 'known',
    passwd: [{ name: 'root', uid: 0, gid: 0 }, { name: 'app', uid: 1000, gid: 1000 }, { name: 'app', uid: 1001, gid: 1001 }],
    group: [{ name: 'root', gid: 0, members: [] }, { name: 'staff', gid: 50, members: ['app', 'x'] }, { name: 'docker', gid: 999, members: ['app'] }, { name: 'app', gid: 1000, members: [] }],
    passwdFound: true,
    groupFound: true,
  };
  it('"" is root with root\'s entry; a name takes its first entry and supplementary groups naming it', () => {
    assert.deepStrictEqual(resolveExecUser('', accounts), { kind: 'resolved', uid: 0, gid: 0, additionalGids: [], fromPasswd: true });
    assert.deepStrictEqual(resolveExecUser('app', accounts), { kind: 'resolved', uid: 1000, gid: 1000, additionalGids: [50, 999], fromPasswd: true });
  });
  it('an explicit group sets the gid and drops supplementary groups; numeric ids need no entry', () => {
    assert.deepStrictEqual(resolveExecUser('app:staff', accounts), { kind: 'resolved', uid: 1000, gid: 50, additionalGids: [], fromPasswd: true });
    assert.deepStrictEqual(resolveExecUser('4242', accounts), { kind: 'resolved', uid: 4242, gid: 0, additionalGids: [], fromPasswd: false });
    assert.deepStrictEqual(resolveExecUser('1001:7', accounts), { kind: 'resolved', uid: 1001, gid: 7, additionalGids: [], fromPasswd: true });
  });
  it('a name or group without an entry is an error, as runc reports it; out-of-range ids too', () => {
    assert.deepStrictEqual(resolveExecUser('nobody', accounts), { kind: 'error', reason: 'unable to find user nobody: no matching entries in passwd file' });
    assert.deepStrictEqual(resolveExecUser('app:wheel', accounts), { kind: 'error', reason: 'unable to find group wheel: no matching entries in group file' });
    assert.deepStrictEqual(resolveExecUser('4294967296', accounts), { kind: 'error', reason: 'uids and gids must be in range 0-2147483647' });
  });
  it('without the account files only the numeric parts are known', () => {
    const unknown: ImageAccounts = { kind: 'unknown', reason: 'over budget' };
    assert.deepStrictEqual(resolveExecUser('1000:50', unknown), { kind: 'partial', uid: 1000, gid: 50, reason: 'over budget' });
    assert.deepStrictEqual(resolveExecUser('app', unknown), { kind: 'partial', reason: 'over budget' });
    assert.deepStrictEqual(resolveExecUser('', undefined), { kind: 'partial', uid: 0, reason: "the image's /etc/passwd and /etc/group were not read" });
  });
});

describe('secctx images (real docker-registry on loopback)', { skip: !registryAvailable() ? 'docker-registry is not installed' : !zstdAvailable() ? 'zstd is not installed' : false }, () => {
  let registry: RegistryProcess;
  let cache: string;
  let image: BuiltImage;
  let zstdImage: BuiltImage;
  let ref = '';
  let restoreEnv = () => {};
  const run = (...argv: string[]) => runCliCaptured(argv);

  before(async () => {
    cache = mkdtempSync(path.join(os.tmpdir(), 'secctx-cli-images-'));
    restoreEnv = withEnv({ XDG_CACHE_HOME: cache, SECCTX_IMAGES_LOOPBACK_ONLY: '1', DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
    registry = await startRegistry();
    const base = await layer([{ path: 'etc/passwd', content: `${PASSWD}app:x:1000:1000::/home/app:/bin/sh\n` }, { path: 'etc/group', content: `${GROUP}staff:x:50:app\n` }]);
    image = await pushImage({ url: registry.url }, 'team/cli', '1', configBlob({ user: 'app' }), [base]);
    ref = `${registry.host}/team/cli:1`;
    // A zstd top layer (OCI) that adds the user, for the bundled decompressor.
    const zstdTop = await layer([{ path: 'etc/passwd', content: `${PASSWD}zed:x:1001:1001::/:/bin/sh\n` }], 'zstd');
    zstdImage = await pushImage({ url: registry.url }, 'team/cli-zstd', '1', configBlob({ user: 'zed' }, true), [base, zstdTop], true);
  });
  after(async () => {
    await registry?.stop();
    restoreEnv();
    if (cache) rmSync(cache, { recursive: true, force: true });
  });

  it('--image-lookup registry: digest, platform, user, uid/gid and their sources (text and JSON)', async () => {
    const text = await run('images', '--image-lookup', 'registry', ref, 'Bad/Ref');
    assert.deepStrictEqual(text, {
      code: 1,
      stderr: '',
      stdout: [
        ref,
        '  from      registry',
        `  digest    ${image.manifest.digest}`,
        '  platform  linux/amd64',
        `  user      "app" → uid 1000, gid 1000, groups 50 (the image's /etc/passwd)`,
        '  accounts  /etc/passwd 4 entries, /etc/group 4 entries',
        '',
        'Bad/Ref',
        '  unknown: invalid image reference: invalid reference format: repository name (Ref) must be lowercase',
        '',
      ].join('\n'),
    });
    const json = await run('images', '--image-lookup=registry', '--format', 'json', ref);
    assert.equal(json.code, 0);
    assert.deepStrictEqual(JSON.parse(json.stdout), { images: [{
      reference: ref, normalized: ref, known: true, digest: image.manifest.digest, platform: 'linux/amd64', user: 'app', uid: 1000, gid: 1000, additionalGids: [50],
      uidFrom: "the image's /etc/passwd", from: 'cache', accounts: { passwdEntries: 4, groupEntries: 4, passwdFound: true, groupFound: true },
    }] });
  });

  it('the default (local) never contacts a registry; off looks nothing up; a bad flag value is a usage error', async () => {
    const other = `${registry.host}/team/never-fetched:1`;
    const local = await run('images', '--format', 'json', other);
    assert.deepStrictEqual(JSON.parse(local.stdout).images[0].reason, 'not in the cache, no Docker engine socket at /nonexistent/docker.sock; image lookup is "local" (registries are not contacted)');
    assert.deepStrictEqual((await run('images', '--image-lookup', 'off', '--format', 'json', ref)).stdout.includes('"reason": "image lookup is off"'), true);
    const bad = await run('images', '--image-lookup', 'everywhere', ref);
    assert.deepStrictEqual([bad.code, bad.stderr.split('\n')[0]], [2, 'secctx: --image-lookup must be registry, local or off, not everywhere']);
    const none = await run('images');
    assert.deepStrictEqual([none.code, none.stderr.split('\n')[0]], [2, 'secctx: no image references given']);
  });

  it('the built CLI (bundled tar-stream and fzstd): registry, then with the registry stopped the default local lookup answers from the cache', { skip: existsSync(CLI) ? false : 'dist/cli.js is not built (npm run build)' }, async () => {
    const fresh = mkdtempSync(path.join(os.tmpdir(), 'secctx-cli-dist-'));
    const env = { ...process.env, XDG_CACHE_HOME: fresh, SECCTX_IMAGES_LOOPBACK_ONLY: '1', DOCKER_HOST: 'unix:///nonexistent/docker.sock' };
    const cli = (...args: string[]) => {
      const r = spawnSync(process.execPath, [CLI, 'images', '--format', 'json', ...args], { encoding: 'utf8', env });
      const image = r.status === 0 ? JSON.parse(r.stdout).images[0] : {};
      return { code: r.status, stderr: r.stderr, from: image.from, digest: image.digest, uid: image.uid, gid: image.gid };
    };
    try {
      const zref = `${registry.host}/team/cli-zstd:1`;
      assert.deepStrictEqual(cli('--image-lookup', 'registry', zref), { code: 0, stderr: '', from: 'registry', digest: zstdImage.manifest.digest, uid: 1001, gid: 1001 });
      await registry.stop({ keepStorage: true });
      assert.deepStrictEqual(cli(zref), { code: 0, stderr: '', from: 'cache', digest: zstdImage.manifest.digest, uid: 1001, gid: 1001 });
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });
});
