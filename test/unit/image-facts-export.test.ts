/**
 * The account files of images the local Docker engine holds, read from the engine's export
 * (`GET /images/{id}/get`, ImageGet — what `docker save` uses; moby image/tarexport `saveSession.save`
 * writes the legacy `<id>/layer.tar` layout and, since Docker 25, the OCI layout with
 * `blobs/sha256/<hex>`; `manifest.json` comes after the layers in both).
 *
 * Stand-in: no Docker daemon runs on this machine, so a small HTTP server on a unix socket answers
 * the Engine API's ImageInspect (`/images/{name}/json`) and ImageGet shapes with exports built here
 * from real tar layers (tar-stream, gzip). The cache, the layer reading and the service are real.
 */
import assert from 'node:assert/strict';
import * as http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as zlib from 'node:zlib';
import { ImageFactsService, type ImageFactsServiceOptions } from '../../server/src/host/images/service';
import { GROUP, PASSWD, sha256, tarOf, type LayerFile } from '../support/images';

process.env.SECCTX_IMAGES_LOOPBACK_ONLY = '1';
const NOW = 1_800_000_000_000;

interface Export {
  readonly id: string;
  /** None: the engine answers ImageInspect but not ImageGet (404). */
  readonly tar?: Buffer;
}

/** A `docker save` export of one image, layers bottom first, in the legacy or the OCI layout. */
async function exportOf(layers: readonly (readonly LayerFile[])[], layout: 'legacy' | 'oci', config = '{"config":{"User":"app"}}'): Promise<Export> {
  const id = sha256(Buffer.from(config));
  const entries: LayerFile[] = [];
  const paths: string[] = [];
  for (const files of layers) {
    const raw = await tarOf(files);
    if (layout === 'legacy') {
      const dir = sha256(raw).slice(7);
      entries.push({ path: `${dir}/VERSION`, content: '1.0' }, { path: `${dir}/json`, content: '{}' }, { path: `${dir}/layer.tar`, content: raw });
      paths.push(`${dir}/layer.tar`);
    } else {
      const gz = zlib.gzipSync(raw);
      entries.push({ path: `blobs/sha256/${sha256(gz).slice(7)}`, content: gz });
      paths.push(`blobs/sha256/${sha256(gz).slice(7)}`);
    }
  }
  if (layout === 'legacy') entries.push({ path: `${id.slice(7)}.json`, content: config });
  else entries.push({ path: `blobs/sha256/${id.slice(7)}`, content: config }, { path: 'oci-layout', content: '{"imageLayoutVersion":"1.0.0"}' });
  entries.push({ path: 'manifest.json', content: JSON.stringify([{ Config: layout === 'legacy' ? `${id.slice(7)}.json` : `blobs/sha256/${id.slice(7)}`, RepoTags: ['local/app:1'], Layers: paths }]) });
  return { id, tar: await tarOf(entries) };
}

const BASE: LayerFile[] = [{ path: 'etc/passwd', content: PASSWD }, { path: 'etc/group', content: GROUP }];
const APP: LayerFile[] = [{ path: 'etc/passwd', content: `${PASSWD}app:x:1000:1000::/app:/bin/sh\n` }, { path: 'etc/group', content: `${GROUP}app:x:1000:\nstaff:x:50:app\n` }];
const APP_ACCOUNTS = {
  kind: 'known' as const,
  passwd: [{ name: 'root', uid: 0, gid: 0 }, { name: 'daemon', uid: 1, gid: 1 }, { name: 'nobody', uid: 65534, gid: 65534 }, { name: 'app', uid: 1000, gid: 1000 }],
  group: [{ name: 'root', gid: 0, members: [] }, { name: 'daemon', gid: 1, members: [] }, { name: 'nogroup', gid: 65534, members: [] }, { name: 'app', gid: 1000, members: [] }, { name: 'staff', gid: 50, members: ['app'] }],
  passwdFound: true,
  groupFound: true,
};

describe('accounts from the local Docker engine\'s image export (a stand-in Engine API on a unix socket)', () => {
  let tmp: string;
  let server: http.Server;
  let socket: string;
  const images = new Map<string, Export>();
  const requests: string[] = [];
  let n = 0;
  const service = (options: Partial<ImageFactsServiceOptions> = {}) =>
    new ImageFactsService({ mode: 'local', trusted: false, cacheDir: path.join(tmp, `cache${n++}`), dockerHost: `unix://${socket}`, now: () => NOW, timeoutMs: 10_000, ...options });
  const accountsOf = async (s: ImageFactsService, reference: string) => {
    const got = (await s.resolve([reference])).get(reference);
    return got && 'accounts' in got ? got.accounts : got;
  };

  before(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'secctx-engine-export-'));
    socket = path.join(tmp, 'docker.sock');
    images.set('local/legacy:1', await exportOf([BASE, APP], 'legacy'));
    images.set('local/oci:1', await exportOf([BASE, APP], 'oci', '{"config":{"User":"app"},"oci":true}'));
    // The top layer deletes /etc/group (a whiteout): the union has no group file.
    images.set('local/whiteout:1', await exportOf([APP, [{ path: 'etc/.wh.group', content: '' }]], 'legacy', '{"w":1}'));
    server = http.createServer((req, res) => {
      const url = decodeURIComponent(req.url ?? '');
      requests.push(url);
      for (const [name, image] of images) {
        if (url === `/images/docker.io/${name}/json`) {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ Id: image.id, RepoTags: [name], RepoDigests: [], Os: 'linux', Architecture: 'amd64', Config: { User: 'app' } }));
          return;
        }
        if (url === `/images/${image.id}/get` && image.tar) {
          res.writeHead(200, { 'content-type': 'application/x-tar' });
          res.end(image.tar);
          return;
        }
      }
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: `No such image: ${url}` }));
    });
    await new Promise<void>((resolve) => server.listen(socket, resolve));
  });
  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(tmp, { recursive: true, force: true });
  });

  it('the legacy layout (<id>/layer.tar): the top layer\'s /etc/passwd and /etc/group', async () => {
    const s = service();
    assert.deepStrictEqual(await accountsOf(s, 'local/legacy:1'), APP_ACCOUNTS);
    s.dispose();
  });

  it('the OCI layout Docker 25+ writes (gzip blobs, checked against their digest)', async () => {
    const s = service();
    assert.deepStrictEqual(await accountsOf(s, 'local/oci:1'), APP_ACCOUNTS);
    s.dispose();
  });

  it('a whiteout in a higher layer hides the lower /etc/group (OCI image-spec layer.md)', async () => {
    const s = service();
    assert.deepStrictEqual(await accountsOf(s, 'local/whiteout:1'), { ...APP_ACCOUNTS, group: [], groupFound: false });
    s.dispose();
  });

  it('kept by image id: a second service with the same cache does not export again', async () => {
    const cacheDir = path.join(tmp, 'shared-cache');
    const first = service({ cacheDir });
    await accountsOf(first, 'local/legacy:1');
    first.dispose();
    const exportsBefore = requests.filter((r) => r.endsWith('/get')).length;
    const second = service({ cacheDir });
    assert.deepStrictEqual({ accounts: await accountsOf(second, 'local/legacy:1'), exports: requests.filter((r) => r.endsWith('/get')).length }, { accounts: APP_ACCOUNTS, exports: exportsBefore });
    second.dispose();
  });

  it('what cannot be read is unknown, with why: over the byte budget, an export without manifest.json, an engine that will not export', async () => {
    images.set('local/empty:1', { id: `sha256:${'e'.repeat(64)}`, tar: await tarOf([]) });
    images.set('local/noexport:1', { id: `sha256:${'f'.repeat(64)}` });
    const small = service({ layerBudget: 1024 });
    const s = service();
    assert.deepStrictEqual({
      budget: await accountsOf(small, 'local/legacy:1'),
      empty: await accountsOf(s, 'local/empty:1'),
      noExport: await accountsOf(s, 'local/noexport:1'),
    }, {
      budget: { kind: 'unknown', reason: '/etc/passwd and /etc/group not read: the image export passes the budget of 4 KiB' },
      empty: { kind: 'unknown', reason: "the local Docker engine's export has no readable manifest.json" },
      noExport: { kind: 'unknown', reason: 'the local Docker engine did not export the image (404)' },
    });
    small.dispose();
    s.dispose();
  });

  it('an OCI blob whose bytes do not hash to its name is not trusted', async () => {
    const good = zlib.gzipSync(await tarOf(BASE));
    const bad = zlib.gzipSync(await tarOf(APP));
    const name = `blobs/sha256/${sha256(good).slice(7)}`;
    images.set('local/tampered:1', { id: `sha256:${'d'.repeat(64)}`, tar: await tarOf([{ path: name, content: bad }, { path: 'manifest.json', content: JSON.stringify([{ Config: 'x', Layers: [name] }]) }]) });
    const s = service();
    const got = await accountsOf(s, 'local/tampered:1');
    assert.deepStrictEqual(got && 'reason' in got ? got.reason.replace(/sha256:[0-9a-f]{64}/g, 'sha256:…') : got,
      "the local Docker engine's export: blob sha256:… does not match its digest: expected sha256:…, got sha256:…");
    s.dispose();
  });
});
