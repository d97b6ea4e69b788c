/**
 * Pull diagnostics (textDocument/diagnostic, LSP 3.17) with result ids over stdio: a pull whose diagnostics the client
 * already holds (same result id) is answered `unchanged`; an edit that changes them gets a full report with a new id,
 * equal to what a pushing client is sent.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Diagnostic, DocumentDiagnosticReport } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import { LspClient } from '../support/lsp-client';

const SERVER = join(__dirname, '..', '..', 'dist', 'server.js');

const pod = (name: string, uid: number) =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  labels: {team: a}\nspec:\n  containers:\n    - name: ${name}\n      image: app:1\n      securityContext:\n        runAsUser: ${uid}\n`;
const STREAM = `${pod('first', 0)}---\n${pod('second', 1000)}`;

describe('pull diagnostics with result ids over stdio', () => {
  const dir = mkdtempSync(join(tmpdir(), 'secctx-pull-'));
  const uri = URI.file(join(dir, 'pods.yaml')).toString();
  let pulling: LspClient;
  let pushing: LspClient;
  let text = STREAM;
  let version = 1;

  const pull = (previousResultId?: string) => pulling.request<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri }, ...(previousResultId ? { previousResultId } : {}) });

  /** The same edit to both clients' document; resolves with what the pushing one is sent for it. */
  async function edit(from: number, to: number, insert: string): Promise<Diagnostic[]> {
    const position = (offset: number) => { const lines = text.slice(0, offset).split('\n'); return { line: lines.length - 1, character: lines[lines.length - 1].length }; };
    const change = { range: { start: position(from), end: position(to) }, text: insert };
    text = text.slice(0, from) + insert + text.slice(to);
    version++;
    await pulling.change(uri, version, [change]);
    await pushing.change(uri, version, [change]);
    return (await pushing.waitForDiagnostics(uri, version, 20_000)).params.diagnostics;
  }

  before(async () => {
    const root = URI.file(dir).toString();
    pulling = await LspClient.start({ command: process.execPath, args: [SERVER, '--stdio'] }, {
      rootUri: root,
      capabilities: { textDocument: { diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false } }, workspace: { configuration: true, diagnostics: { refreshSupport: true } } },
    });
    pushing = await LspClient.start({ command: process.execPath, args: [SERVER, '--stdio'] }, { rootUri: root });
    await pulling.open(uri, text, 1);
    await pushing.open(uri, text, 1);
    await pushing.waitForDiagnostics(uri, 1, 20_000);
  });
  after(async () => {
    for (const c of [pulling, pushing]) if (c) assert.equal(await c.shutdown(), 0, c.stderr);
    rmSync(dir, { recursive: true, force: true });
  });

  test('full, then unchanged while the diagnostics stay the same, then full with a new id when they change', async () => {
    const first = await pull();
    assert.equal(first.kind, 'full');
    assert.ok(first.kind === 'full' && first.resultId && first.items.length > 0);
    assert.deepStrictEqual(first.items, pushing.diagnostics(uri)?.params.diagnostics);
    const resultId = first.resultId;

    // Asked again as the client holds it: nothing to send.
    assert.deepStrictEqual(await pull(resultId), { kind: 'unchanged', resultId });

    // A comment typed after the first document's last finding: the first document is converted again, to the same
    // values (its findings' offsets did not move), the second one moved by characters, not lines.
    const lineEnd = text.indexOf('\n', text.indexOf('runAsUser: 0'));
    await edit(lineEnd, lineEnd, '  # root, on purpose');
    assert.deepStrictEqual(await pull(resultId), { kind: 'unchanged', resultId });

    // The second container now runs as root: a new report.
    const uid = text.indexOf('1000');
    const pushed = await edit(uid, uid + 4, '0');
    const changed = await pull(resultId);
    assert.ok(changed.kind === 'full' && changed.resultId !== resultId, JSON.stringify(changed));
    assert.deepStrictEqual(changed.kind === 'full' && changed.items, pushed);

    // A client that does not send the id it holds always gets the full report.
    assert.deepStrictEqual(await pull(), changed);
  });
});
