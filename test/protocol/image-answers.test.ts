/**
 * Image answers arriving close together make the language server re-judge a file once, not once per answer
 * (lsp/imageAnswers.ts; the window itself is tested with a fake timer in test/unit/image-answers.test.ts).
 * The built dist/server.js looks five images up in Debian's docker-registry on 127.0.0.1 through a stand-in that
 * holds each lookup's last request (its layer) until all five are there, then lets them all through. No Docker
 * socket (DOCKER_HOST names a missing one), loopback only (SECCTX_IMAGES_LOOPBACK_ONLY).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { URI } from 'vscode-uri';
import { startHoldingProxy, type HoldingProxy } from '../support/holdingProxy';
import { configBlob, GROUP, layer, PASSWD, pushImage } from '../support/images';
import { LspClient } from '../support/lsp-client';
import { registryAvailable, startRegistry, type RegistryProcess } from '../support/registry';

const ROOT = path.resolve(__dirname, '..', '..');
const SERVER = path.join(ROOT, 'dist', 'server.js');
const skip = !registryAvailable() ? 'docker-registry is not installed' : !existsSync(SERVER) ? 'dist/server.js is not built (npm run build)' : false;

/** Fewer than the service's six concurrent lookups, so that all of them reach the held request at once. */
const IMAGES = 5;

/** One container per image; the images set no User, so each known one is root and violates runAsNonRoot. */
function pod(images: readonly string[]): string {
  return [
    'apiVersion: v1', 'kind: Pod', 'metadata:', '  name: many', 'spec:', '  securityContext:', '    runAsNonRoot: true', '  containers:',
    ...images.flatMap((image, i) => [`    - name: c${i}`, `      image: ${image}`]),
    '',
  ].join('\n');
}

/** How many images the diagnostics judge from their facts (kubelet verifyRunAsNonRoot on the image's uid 0). */
const judged = (p: PublishDiagnosticsParams) => p.diagnostics.filter((d) => d.code === 'run-as-non-root-violation').length;

describe('image answers close together: one re-judgement (docker-registry on loopback)', { skip }, () => {
  let registry: RegistryProcess;
  let proxy: HoldingProxy;
  let dir: string;
  let client: LspClient;
  let references: string[];

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'secctx-lsp-image-answers-'));
    registry = await startRegistry();
    // A layer of its own per image (the accounts differ), so that each lookup asks for its own blob last.
    const layers = await Promise.all(Array.from({ length: IMAGES }, (_, i) => layer([{ path: 'etc/', type: 'directory' }, { path: 'etc/passwd', content: `${PASSWD}app${i}:x:100${i}:100${i}::/:/bin/sh\n` }, { path: 'etc/group', content: GROUP }])));
    for (const [i, l] of layers.entries()) await pushImage({ url: registry.url }, `team/app${i}`, '1', configBlob({}), [l]);
    const layerDigests = layers.map((l) => l.digest);
    proxy = await startHoldingProxy(registry.url, (p) => layerDigests.some((d) => p.endsWith(`/blobs/${d}`)));
    references = Array.from({ length: IMAGES }, (_, i) => `${proxy.host}/team/app${i}:1`);
    client = await LspClient.start(
      { command: process.execPath, args: [SERVER, '--stdio'], cwd: dir, env: { ...process.env, SECCTX_IMAGES_LOOPBACK_ONLY: '1', DOCKER_HOST: `unix://${path.join(dir, 'no-docker.sock')}` } },
      {
        rootUri: URI.file(dir).toString(),
        initializationOptions: { imageCacheDir: path.join(dir, 'cache') },
        capabilities: { workspace: { configuration: true, workspaceFolders: true } },
        configuration: (section) => (section === 'secctx' ? { images: { lookup: 'registry' } } : null),
      },
    );
  });

  after(async () => {
    if (client) assert.equal(await client.shutdown(), 0, client.stderr);
    await proxy?.close();
    await registry?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test(`${IMAGES} answers released together are published in one re-judgement`, async () => {
    const uri = URI.file(path.join(dir, 'many.yaml')).toString();
    await client.open(uri, pod(references), 1);
    const first = await client.waitForDiagnostics(uri, 1, 20_000);
    assert.equal(judged(first.params), 0);
    await proxy.waitForHeld(IMAGES, 30_000);
    const mark = client.mark();
    proxy.release();
    await client.waitForDiagnosticsMatching(uri, (p) => judged(p) === IMAGES, 30_000, mark);
    // Every publication since the answers, up to the one that judges them all: one, not one per answer. (Another
    // one judging no image, from the workspace scan say, would not be the answers' and is left out.)
    const sinceAnswers = client.publishedSince(uri, mark).map((d) => judged(d.params)).filter((n) => n > 0);
    assert.deepStrictEqual(sinceAnswers.slice(0, sinceAnswers.indexOf(IMAGES) + 1), [IMAGES]);
  });
});
