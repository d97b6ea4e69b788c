/**
 * Image lookups through the language server over stdio: the built dist/server.js with the real
 * image-facts service (host/images) against a REAL registry, Debian's docker-registry on 127.0.0.1
 * (test/support/registry.ts), holding images built and pushed here. The first diagnostics come at
 * once with the image's user unknown; when the lookup answers, the server re-publishes them without
 * any edit, and the hover names the digest. No Docker socket (DOCKER_HOST names a missing one) and
 * loopback only (SECCTX_IMAGES_LOOPBACK_ONLY).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Diagnostic, Hover } from 'vscode-languageserver-protocol';
import { URI } from 'vscode-uri';
import { configBlob, GROUP, layer, PASSWD, pushImage, type BuiltImage } from '../support/images';
import { LspClient } from '../support/lsp-client';
import { registryAvailable, startRegistry, type RegistryProcess } from '../support/registry';

const ROOT = path.resolve(__dirname, '..', '..');
const SERVER = path.join(ROOT, 'dist', 'server.js');
const skip = !registryAvailable() ? 'docker-registry is not installed' : !existsSync(SERVER) ? 'dist/server.js is not built (npm run build)' : false;

function pod(name: string, image: string): string {
  return ['apiVersion: v1', 'kind: Pod', 'metadata:', `  name: ${name}`, 'spec:', '  securityContext:', '    runAsNonRoot: true', '  containers:', `    - name: ${name}`, `      image: ${image}`, ''].join('\n');
}

const rulesOf = (diagnostics: readonly Diagnostic[]) => diagnostics.map((d) => String(d.code)).filter((c) => c.startsWith('run-as')).sort();

describe('image lookups in the language server (docker-registry on loopback)', { skip }, () => {
  let registry: RegistryProcess;
  let dir: string;
  let client: LspClient;
  let rootImage: BuiltImage;
  let appImage: BuiltImage;

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'secctx-lsp-images-'));
    registry = await startRegistry();
    const target = { url: registry.url };
    const base = await layer([{ path: 'etc/', type: 'directory' }, { path: 'etc/passwd', content: `${PASSWD}app:x:1000:1000::/app:/bin/sh\n` }, { path: 'etc/group', content: `${GROUP}app:x:1000:\n` }]);
    rootImage = await pushImage(target, 'team/root', '1', configBlob({}), [base]);
    appImage = await pushImage(target, 'team/app', '1', configBlob({ user: '1000' }), [base]);
    client = await LspClient.start(
      { command: process.execPath, args: [SERVER, '--stdio'], cwd: dir, env: { ...process.env, SECCTX_IMAGES_LOOPBACK_ONLY: '1', DOCKER_HOST: `unix://${path.join(dir, 'no-docker.sock')}` } },
      {
        rootUri: URI.file(dir).toString(),
        initializationOptions: { imageCacheDir: path.join(dir, 'cache') },
        capabilities: { workspace: { configuration: true, workspaceFolders: true, inlayHint: { refreshSupport: true } } },
        configuration: (section) => (section === 'secctx' ? { images: { lookup: 'registry' } } : null),
      },
    );
  });

  after(async () => {
    if (client) assert.equal(await client.shutdown(), 0, client.stderr);
    await registry?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('diagnostics come at once with the user unknown, then again when the lookup answers', async () => {
    const uri = URI.file(path.join(dir, 'root.yaml')).toString();
    const image = `${registry.host}/team/root:1`;
    await client.open(uri, pod('root', image), 1);
    const first = await client.waitForDiagnostics(uri, 1, 20_000);
    assert.deepStrictEqual(rulesOf(first.params.diagnostics), []);
    // The kubelet's getImageUser: the image's config sets no User, so uid 0, and verifyRunAsNonRoot refuses it.
    // The latest publication, else the next one (checked and marked in one turn: none slips between).
    let latest = client.diagnostics(uri) ?? first;
    while (!rulesOf(latest.params.diagnostics).includes('run-as-non-root-violation')) {
      latest = await client.waitForDiagnostics(uri, undefined, 30_000, client.mark());
    }
    assert.deepStrictEqual({ version: latest.params.version, rules: rulesOf(latest.params.diagnostics) }, { version: 1, rules: ['run-as-non-root-violation', 'run-as-root'] });
  });

  test('the hover names the digest and the platform the facts were read from', async () => {
    const uri = URI.file(path.join(dir, 'app.yaml')).toString();
    const image = `${registry.host}/team/app:1`;
    const text = pod('app', image);
    await client.open(uri, text, 1);
    await client.waitForDiagnostics(uri, 1, 20_000);
    const line = text.split('\n').findIndex((l) => l.includes('- name: app'));
    const expected = `image ${image} (${appImage.manifest.digest}, linux/amd64) config User "1000" (from its registry): uid 1000 (app), gid 1000 (app)`;
    let value = '';
    for (let i = 0; i < 10 && !value.includes(expected); i++) {
      // Asked again after the next publication: a hover answered before the lookup's answer means that
      // publication is still to come (the server is one thread), so it comes after the mark.
      const mark = client.mark();
      const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line, character: 12 } });
      value = hover && typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : '';
      if (!value.includes(expected)) await client.waitForDiagnostics(uri, undefined, 30_000, mark);
    }
    assert.ok(value.includes(`| User | uid 1000 (app) | image \`USER\` — ${expected} |`), value);
    assert.ok(rootImage.manifest.digest.startsWith('sha256:'));
  });
});
