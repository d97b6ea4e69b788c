/**
 * The server's own completion and hover in `.secctx.yaml`, over stdio as an editor asks for them.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CompletionItem, Hover } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import { PROFILE_VALUES } from '../../server/src/engine/configFile/schema';
import { LspClient } from '../support/lsp-client';

const SERVER = join(__dirname, '..', '..', 'dist', 'server.js');

describe('.secctx.yaml over stdio', () => {
  let client: LspClient;
  const dir = mkdtempSync(join(tmpdir(), 'secctx-config-file-'));
  const uri = URI.file(join(dir, '.secctx.yaml')).toString();
  const text = 'profile: baseline\nrules:\n  \n';

  before(async () => {
    client = await LspClient.start({ command: process.execPath, args: [SERVER, '--stdio'] }, { rootUri: URI.file(dir).toString() });
    await client.open(uri, text, 1);
  });
  after(async () => {
    if (client) assert.equal(await client.shutdown(), 0, client.stderr);
    rmSync(dir, { recursive: true, force: true });
  });

  test('completion of profile values', async () => {
    const items = await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri }, position: { line: 0, character: 9 } });
    assert.deepStrictEqual(items.map((i) => [i.label, i.kind, i.detail]), PROFILE_VALUES.map((v) => [v.value, 20, v.description]));
  });

  test('completion of rule ids under rules:', async () => {
    const items = await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri }, position: { line: 2, character: 2 } });
    assert.ok(items.some((i) => i.label === 'run-as-root' && i.insertText === 'run-as-root: '), JSON.stringify(items.map((i) => i.label)));
  });

  test('hover on a setting', async () => {
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 3 } });
    assert.deepStrictEqual(hover?.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 7 } });
    assert.ok(hover && typeof hover.contents === 'object' && 'value' in hover.contents && hover.contents.value.startsWith('**profile** (secctx)'));
  });
});
