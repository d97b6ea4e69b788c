/**
 * Kustomize builds in the language server, over stdio with the real `kubectl kustomize`: the base's
 * findings as the overlays leave them, an overlay's error on its patch line, a hover with each
 * overlay's effective context, and an edit to a patch: its diagnostics at once, the overlay-aware
 * ones when the build ends.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { Hover } from 'vscode-languageserver-protocol';
import { LspClient, type ReceivedDiagnostics } from '../support/lsp-client';
import { writeProject } from '../support/kustomize-project';

const ROOT = join(__dirname, '..', '..');
const SERVER = join(ROOT, 'dist', 'server.js');
const BUILD_MS = 60_000;

/** Waits for a publication for `uri` that satisfies `ok` (the last one counts too). */
async function until(client: LspClient, uri: string, ok: (d: ReceivedDiagnostics) => boolean): Promise<ReceivedDiagnostics> {
  const deadline = Date.now() + BUILD_MS;
  for (;;) {
    const mark = client.mark();
    const last = client.diagnostics(uri);
    if (last && ok(last)) return last;
    try {
      await client.waitForDiagnostics(uri, undefined, Math.max(1, deadline - Date.now()), mark);
    } catch (err) {
      throw new Error(`${(err as Error).message}; last published: ${JSON.stringify(client.diagnostics(uri)?.params.diagnostics.map((x) => x.message))}`);
    }
  }
}

const brief = (d: ReceivedDiagnostics) => d.params.diagnostics.map((x) => ({ line: x.range.start.line, code: x.code, severity: x.severity }));

describe('kustomize in the language server', () => {
  let project = '';
  let client: LspClient;
  const uri = (rel: string) => pathToFileURL(join(project, rel)).href;
  const text = (rel: string) => readFileSync(join(project, rel), 'utf8');

  before(async () => {
    assert.ok(existsSync(SERVER), 'dist/server.js is built (npm run build)');
    project = writeProject();
    client = await LspClient.start({ command: process.execPath, args: [SERVER, '--stdio'], cwd: ROOT }, { rootUri: pathToFileURL(project).href, configuration: () => null });
  });

  after(async () => {
    if (client) assert.equal(await client.shutdown(), 0, client.stderr);
    rmSync(project, { recursive: true, force: true });
  });

  test('a base file: findings the overlays prod and staging fix say so; experiments/caps still has them', async () => {
    await client.open(uri('base/deployment.yaml'), text('base/deployment.yaml'));
    const d = await until(client, uri('base/deployment.yaml'), (x) => x.params.diagnostics.length > 0 && x.params.diagnostics.every((y) => / \(still in caps; fixed in prod and staging\)$/.test(String(y.message))));
    assert.deepEqual(brief(d), [
      { line: 16, code: 'restricted-capabilities', severity: 3 },
      { line: 16, code: 'run-as-non-root', severity: 3 },
      { line: 16, code: 'seccomp-profile-required', severity: 3 },
      { line: 17, code: 'privilege-escalation', severity: 3 },
    ]);
  });

  test('the report of the base file: its own cards, then each overlay\'s build of it', async () => {
    const markdown = await client.request<string>('secctx/report', { uri: uri('base/deployment.yaml') });
    assert.deepEqual(markdown.split('\n').filter((l) => /^#{2,3} /.test(l)), [
      '## deployment.yaml',
      '### Deployment/podinfo',
      '## deployment.yaml (kustomize build caps)',
      '### Deployment/caps-podinfo',
      // The build's pod-level capabilities error, about no container: under its patch file.
      '## caps-patch.yaml (kustomize build caps)',
      '### Other findings',
      '## deployment.yaml (kustomize build prod)',
      '### Deployment/prod-podinfo',
      '## deployment.yaml (kustomize build staging)',
      '### Deployment/staging-podinfo',
    ]);
  });

  test('an overlay that adds capabilities at pod level: the error on its patch line', async () => {
    await client.open(uri('experiments/caps/caps-patch.yaml'), text('experiments/caps/caps-patch.yaml'));
    const d = await until(client, uri('experiments/caps/caps-patch.yaml'), (x) => x.params.diagnostics.some((y) => / \(in overlay caps: Deployment\/caps-podinfo\)$/.test(String(y.message))));
    assert.deepEqual(brief(d), [{ line: 8, code: 'capabilities-at-pod-level', severity: 1 }]);
  });

  test('hover on the container in the base: its effective context in each overlay', async () => {
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: uri('base/deployment.yaml') }, position: { line: 14, character: 18 } });
    const value = hover && typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : '';
    const overlays = [...value.matchAll(/\*\*overlay (\w+)\*\* — `([^`]+)`/g)].map((m) => `${m[1]} ${m[2]}`).sort();
    assert.deepEqual(overlays, ['caps Deployment/caps-podinfo', 'prod Deployment/prod-podinfo', 'staging Deployment/staging-podinfo']);
    assert.match(value, /- user: uid 10001 \(\[\.\.\/overlays\/prod\/kustomization\.yaml:28\]/);
  });

  test('hover on the container in a patch: its effective context in the overlay that applies the patch', async () => {
    const rel = 'overlays/prod/security-patch.yaml';
    await client.open(uri(rel), text(rel));
    await until(client, uri('base/deployment.yaml'), () => true);
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: uri(rel) }, position: { line: 8, character: 18 } });
    const value = hover && typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : '';
    assert.deepEqual([...value.matchAll(/\*\*overlay (\w+)\*\* — `([^`]+)`/g)].map((m) => `${m[1]} ${m[2]}`), ['prod Deployment/prod-podinfo']);
    assert.match(value, /- privilege escalation: blocked \(\[security-patch\.yaml:11\]/);
  });

  test('editing a patch: its diagnostics at once, then the build\'s', async () => {
    const rel = 'overlays/staging/harden.yaml';
    const before = text(rel);
    await client.open(uri(rel), before);
    await until(client, uri(rel), (x) => x.params.version === 1);
    const edited = before.replace('allowPrivilegeEscalation: false', 'allowPrivilegeEscalation: true');
    await client.change(uri(rel), 2, [{ text: edited }]);
    // At once: the patch judged alone has nothing to say (a JSON 6902 patch is no resource).
    assert.deepEqual(brief(await client.waitForDiagnostics(uri(rel), 2)), []);
    const built = await until(client, uri(rel), (x) => x.params.diagnostics.length > 0);
    assert.deepEqual(brief(built), [{ line: 3, code: 'privilege-escalation', severity: 3 }]);
  });
});
