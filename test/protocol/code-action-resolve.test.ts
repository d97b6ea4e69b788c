/**
 * codeAction/resolve over stdio: a client that resolves code actions' edits (VS Code: `resolveSupport: {properties:
 * ['edit']}` and `dataSupport`) gets quick fixes and fix-all with a key and no edit, and the edit on resolve; a
 * client that does not gets every edit in the list. Both end with the same edits, cross-file fixes included.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ClientCapabilities, CodeAction, Diagnostic, InitializeResult } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import { LspClient } from '../support/lsp-client';

const SERVER = join(__dirname, '..', '..', 'dist', 'server.js');

const TEXT_DOCUMENT: ClientCapabilities['textDocument'] = {
  synchronization: { dynamicRegistration: false, didSave: true },
  publishDiagnostics: { versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
  codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source'] } } },
};
/** As VS Code announces it. */
const RESOLVING: ClientCapabilities['textDocument'] = { ...TEXT_DOCUMENT, codeAction: { ...TEXT_DOCUMENT.codeAction, dataSupport: true, resolveSupport: { properties: ['edit'] } } };

const pod = (name: string, image: string, securityContext: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  securityContext:\n    runAsNonRoot: true\n  containers:\n    - name: ${name}\n      image: ${image}\n      securityContext: ${securityContext}\n`;
/** The second document has a safe fix (a prefixed capability dropped) and needs the Dockerfile's USER made numeric (a cross-file fix). */
const STREAM = `${pod('web', 'nginx:1', '{runAsUser: 101}')}---\n${pod('api', 'myorg/api:1', '{capabilities: {drop: [CAP_NET_RAW]}}')}`;

function withoutData(action: CodeAction): CodeAction {
  const { data: _data, ...rest } = action;
  return rest;
}

describe('codeAction/resolve over stdio', () => {
  const dir = mkdtempSync(join(tmpdir(), 'secctx-resolve-'));
  const dockerfile = join(dir, 'api', 'Dockerfile');
  const uri = URI.file(join(dir, 'pods.yaml')).toString();
  let resolving: LspClient;
  let plain: LspClient;

  /** Opens the stream and waits until the workspace scan linked the Dockerfile (the cross-file verdict shows). */
  async function open(client: LspClient, text: string): Promise<Diagnostic[]> {
    let mark = client.mark();
    await client.open(uri, text, 1);
    for (;;) {
      const diagnostics = (await client.waitForDiagnostics(uri, undefined, 20_000, mark)).params.diagnostics;
      if (diagnostics.some((d) => typeof d.message === 'string' && d.message.includes('non-numeric user (app)'))) return diagnostics;
      mark = client.mark();
    }
  }

  before(async () => {
    mkdirSync(join(dir, 'api'));
    writeFileSync(join(dir, '.secctx.yaml'), 'images:\n  myorg/api: api/Dockerfile\n');
    writeFileSync(dockerfile, 'FROM debian:12\nRUN useradd -u 10001 app\nUSER app\n');
    const start = (textDocument: ClientCapabilities['textDocument']) => LspClient.start({ command: process.execPath, args: [SERVER, '--stdio'] }, { rootUri: URI.file(dir).toString(), capabilities: { textDocument } });
    resolving = await start(RESOLVING);
    plain = await start(TEXT_DOCUMENT);
  });
  after(async () => {
    for (const client of [resolving, plain]) if (client) assert.equal(await client.shutdown(), 0, client.stderr);
    rmSync(dir, { recursive: true, force: true });
  });

  test('both clients are told the server resolves code actions', () => {
    const provider = (r: InitializeResult | undefined) => r?.capabilities.codeActionProvider;
    assert.deepStrictEqual([provider(resolving.initializeResult), provider(plain.initializeResult)].map((p) => typeof p === 'object' && p.resolveProvider), [true, true]);
  });

  test('quick fixes: listed without edits, resolved to the edits a client without resolve gets in the list', async () => {
    const diagnostics = await open(resolving, STREAM);
    assert.deepStrictEqual(await open(plain, STREAM), diagnostics);
    const request = { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 30, character: 0 } }, context: { diagnostics } };
    const listed = await resolving.request<CodeAction[]>('textDocument/codeAction', request);
    const eager = await plain.request<CodeAction[]>('textDocument/codeAction', request);
    const fixes = listed.filter((a) => !a.title.startsWith('Disable '));
    assert.ok(fixes.some((a) => a.title === 'Use a numeric USER 10001:10001 in Dockerfile') && fixes.some((a) => a.title === 'Change to NET_RAW'), JSON.stringify(fixes.map((a) => a.title)));
    assert.deepStrictEqual(fixes.map((a) => ({ edit: a.edit, hasData: a.data !== undefined })), fixes.map(() => ({ edit: undefined, hasData: true })));
    // "Disable … for this line" is one small edit, listed with it.
    assert.deepStrictEqual(listed.filter((a) => a.title.startsWith('Disable ')), eager.filter((a) => a.title.startsWith('Disable ')));
    const resolved: CodeAction[] = [];
    for (const action of listed) resolved.push(action.edit ? action : await resolving.request<CodeAction>('codeAction/resolve', action));
    assert.deepStrictEqual(resolved.map(withoutData), eager);
    assert.deepStrictEqual(eager.map((a) => a.data), eager.map(() => undefined));
  });

  test('fix-all: listed without its edit, resolved to the same edit', async () => {
    const request = { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [], only: ['source.fixAll.secctx'] } };
    const [listed] = await resolving.request<CodeAction[]>('textDocument/codeAction', request);
    const eager = await plain.request<CodeAction[]>('textDocument/codeAction', request);
    assert.deepStrictEqual({ title: listed.title, kind: listed.kind, edit: listed.edit }, { title: 'Fix all safe secctx problems', kind: 'source.fixAll.secctx', edit: undefined });
    const resolved = await resolving.request<CodeAction>('codeAction/resolve', listed);
    assert.deepStrictEqual([withoutData(resolved)], eager);
    assert.ok(Object.keys(eager[0].edit?.changes ?? {}).length === 1, JSON.stringify(eager));
  });

  test('an action resolved after the document changed gets no edit (nothing is applied at a stale place)', async () => {
    const diagnostics = resolving.diagnostics(uri)?.params.diagnostics ?? [];
    const prefix = diagnostics.find((d) => d.code === 'capability-prefix');
    assert.ok(prefix);
    const [fix] = await resolving.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: prefix.range, context: { diagnostics: [prefix] } });
    await resolving.change(uri, 2, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# moved\n' }]);
    await resolving.waitForDiagnostics(uri, 2);
    const stale = await resolving.request<CodeAction>('codeAction/resolve', fix);
    assert.deepStrictEqual(stale, fix);
    // Asked again for the moved diagnostic, the fix resolves at its new place.
    const moved = (resolving.diagnostics(uri)?.params.diagnostics ?? []).find((d) => d.code === 'capability-prefix');
    assert.ok(moved);
    assert.equal(moved.range.start.line, prefix.range.start.line + 1);
    const [again] = await resolving.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: moved.range, context: { diagnostics: [moved] } });
    assert.deepStrictEqual((await resolving.request<CodeAction>('codeAction/resolve', again)).edit, { changes: { [uri]: [{ range: moved.range, newText: 'NET_RAW' }] } });
  });

  test('a client that drops diagnostics\' data still gets the fix, found from the range', async () => {
    const diagnostics = plain.diagnostics(uri)?.params.diagnostics ?? [];
    const prefix = diagnostics.find((d) => d.code === 'capability-prefix');
    assert.ok(prefix);
    const { data: _data, ...bare } = prefix;
    const actions = await plain.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: bare.range, context: { diagnostics: [bare] } });
    assert.deepStrictEqual(actions[0], { title: 'Change to NET_RAW', kind: 'quickfix', diagnostics: [bare], isPreferred: true, edit: { changes: { [uri]: [{ range: bare.range, newText: 'NET_RAW' }] } } });
  });
});
