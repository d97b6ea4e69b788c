/**
 * The language server gives the Pod Security findings the CLI gives (one engine path: runRules → the PSS
 * rules → rules/pss.ts placeViolation): the same places and plain-English messages, and quick fixes attached
 * to the findings that moved to the pod. Over stdio, against the built dist/server.js.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CodeAction, Diagnostic } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import { LspClient } from '../support/lsp-client';
import { TWO_CONTAINERS, TWO_CONTAINERS_EXPECTED } from '../support/pss-two-containers';

const ROOT = join(__dirname, '..', '..');
const SERVER = join(ROOT, 'dist', 'server.js');
const SETTINGS = { profile: 'restricted', images: { lookup: 'off' } };

describe('Pod Security findings over stdio', () => {
  let client: LspClient;
  const dir = mkdtempSync(join(tmpdir(), 'secctx-pss-lsp-'));
  const uri = URI.file(join(dir, 'two.yaml')).toString();
  let diagnostics: Diagnostic[] = [];

  before(async () => {
    if (!existsSync(SERVER)) {
      const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8' });
      assert.equal(build.status, 0, `npm run build failed:\n${build.stdout}\n${build.stderr}`);
    }
    client = await LspClient.start(
      { command: process.execPath, args: [SERVER, '--stdio'], cwd: ROOT },
      { rootUri: null, initializationOptions: { settings: SETTINGS }, configuration: (section) => (section === 'secctx' ? SETTINGS : null) },
    );
    await client.open(uri, TWO_CONTAINERS, 1);
    diagnostics = (await client.waitForDiagnostics(uri, 1)).params.diagnostics;
  });

  after(async () => {
    if (client) assert.equal(await client.shutdown(), 0, client.stderr);
    rmSync(dir, { recursive: true, force: true });
  });

  test('the two-container Deployment: the CLI\'s findings, line for line', () => {
    assert.deepStrictEqual(diagnostics.map((d) => [d.range.start.line + 1, d.code, d.message]), TWO_CONTAINERS_EXPECTED);
  });

  test('the pod-wide runAsNonRoot finding (on the template\'s spec) offers the pod-level fix', async () => {
    const pod = diagnostics.find((d) => d.code === 'run-as-non-root');
    assert.ok(pod);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: pod.range, context: { diagnostics: [pod] } });
    const fix = actions.find((a) => !a.title.startsWith('Disable'));
    assert.deepStrictEqual({ title: fix?.title, preferred: fix?.isPreferred, codes: fix?.diagnostics?.map((d) => d.code), edits: fix?.edit?.changes?.[uri] }, {
      title: 'Run the pod as non-root uid 10001 (runAsNonRoot: true, runAsUser: 10001) (changes what the workload may do)',
      preferred: true,
      codes: ['run-as-non-root'],
      edits: [{ range: { start: { line: 16, character: 0 }, end: { line: 16, character: 0 } }, newText: '      securityContext:\n        runAsNonRoot: true\n        runAsUser: 10001\n' }],
    });
  });

  test('the per-container findings keep their own fixes: "metrics" gets allowPrivilegeEscalation: false in its own item', async () => {
    const metrics = diagnostics.find((d) => d.code === 'privilege-escalation' && typeof d.message === 'string' && d.message.startsWith('Container "metrics"'));
    assert.ok(metrics);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: metrics.range, context: { diagnostics: [metrics] } });
    const fix = actions.find((a) => a.title.startsWith('Set allowPrivilegeEscalation'));
    assert.deepStrictEqual(fix?.edit?.changes?.[uri], [{ range: { start: { line: 16, character: 0 }, end: { line: 16, character: 0 } }, newText: '          securityContext:\n            allowPrivilegeEscalation: false\n' }]);
  });
});
