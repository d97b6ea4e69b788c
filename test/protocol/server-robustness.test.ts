/**
 * The built server over stdio stays up and answers on inputs it cannot make sense of: garbage under every
 * file kind it reads, a file above secctx.maxFileSize, and a large stream it must analyse. Hover, inlay
 * hints and code actions on them all get answers within a timeout, and the server is alive afterwards.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CodeAction, Diagnostic, Hover, InlayHint, Position } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import { deploymentStream } from '../bench/manifests';
import { LspClient } from '../support/lsp-client';
import { Analyzer } from '../../server/src/engine/analyze';
import { DEFAULT_OPTIONS } from '../../server/src/engine/options';

const ROOT = join(__dirname, '..', '..');
const SERVER = join(ROOT, 'dist', 'server.js');
const MAX_FILE_SIZE = 5 * 1024 * 1024;
/** Generous: a loaded CI machine analyses the 1 MB stream in a few seconds. */
const TIMEOUT_MS = 60_000;

/** Seeded bytes with YAML and Docker syntax mixed in, NULs included. */
function garbage(seed: number, length: number): string {
  let state = seed >>> 0;
  const next = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0);
  const pieces = ['---\n', '- ', '[', '{', ': ', '&a ', '*a ', '<<: ', '\t', '"', "'", '#', 'securityContext:\n', 'capabilities: {add: [', 'FROM ', 'USER ', 'docker run ', '\\\n', '{{ ', '\0', '\r\n', '\ufeff'];
  let out = '';
  while (out.length < length) out += next() % 3 === 0 ? pieces[next() % pieces.length] : String.fromCharCode(next() % 0x2ff);
  return out;
}

/** Positions spread over the text, plus its very end and a line past it (editors send such positions during edits). */
function probes(text: string): Position[] {
  const lines = text.split('\n');
  const out: Position[] = [{ line: 0, character: 0 }];
  for (let i = 1; i < 8; i++) {
    const line = Math.floor((i * lines.length) / 8);
    out.push({ line, character: Math.floor((lines[line]?.length ?? 0) / 2) });
  }
  out.push({ line: lines.length - 1, character: lines[lines.length - 1].length }, { line: lines.length + 5, character: 3 });
  return out;
}

describe('language server robustness over stdio', () => {
  let client: LspClient;
  const workspace = mkdtempSync(join(os.tmpdir(), 'secctx-protocol-robustness-'));
  const uriOf = (name: string) => URI.file(join(workspace, name)).toString();

  before(async () => {
    if (!existsSync(SERVER)) {
      const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8' });
      assert.equal(build.status, 0, `npm run build failed:\n${build.stdout}\n${build.stderr}`);
    }
    client = await LspClient.start({ command: process.execPath, args: [SERVER, '--stdio'], cwd: ROOT }, { rootUri: URI.file(workspace).toString(), timeoutMs: TIMEOUT_MS });
  });

  after(async () => {
    rmSync(workspace, { recursive: true, force: true });
    if (client) assert.equal(await client.shutdown(), 0, client.stderr);
  });

  /** Hover at every probe, inlay hints over the whole text, code actions for the whole text and each diagnostic's range. */
  async function askEverything(uri: string, text: string, diagnostics: readonly Diagnostic[]): Promise<{ hovers: number; inlayHints: boolean; codeActions: boolean }> {
    const hovers: (Hover | null)[] = [];
    for (const position of probes(text)) hovers.push(await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position }, TIMEOUT_MS));
    const end = probes(text).at(-2) ?? { line: 0, character: 0 };
    const hints = await client.request<InlayHint[] | null>('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end } }, TIMEOUT_MS);
    const whole = await client.request<CodeAction[] | null>('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end }, context: { diagnostics } }, TIMEOUT_MS);
    const each = [];
    for (const d of diagnostics.slice(0, 50)) each.push(await client.request<CodeAction[] | null>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } }, TIMEOUT_MS));
    return { hovers: hovers.length, inlayHints: hints === null || Array.isArray(hints), codeActions: [whole, ...each].every((a) => a === null || Array.isArray(a)) };
  }

  for (const name of ['garbage.yaml', 'Dockerfile', 'compose.yaml', 'garbage.sh', '.secctx.yaml']) {
    test(`garbage as ${name}: diagnostics, hover, inlay hints, code actions, then an edit`, async () => {
      const uri = uriOf(name);
      const text = garbage(name.length, 20_000);
      await client.open(uri, text, 1);
      const published = await client.waitForDiagnostics(uri, 1, TIMEOUT_MS);
      const answers = await askEverything(uri, text, published.params.diagnostics);
      await client.change(uri, 2, [{ range: { start: { line: 0, character: 0 }, end: { line: 3, character: 0 } }, text: garbage(7, 500) }]);
      const edited = await client.waitForDiagnostics(uri, 2, TIMEOUT_MS);
      assert.deepStrictEqual({ answers, editedVersion: edited.params.version, alive: client.alive }, { answers: { hovers: 10, inlayHints: true, codeActions: true }, editedVersion: 2, alive: true });
    });
  }

  test('a file above secctx.maxFileSize: one information diagnostic at its start, and answers', async () => {
    const uri = uriOf('huge.yaml');
    const { text: stream } = deploymentStream(50);
    const text = stream + `# ${'x'.repeat(MAX_FILE_SIZE)}\n`;
    await client.open(uri, text, 1);
    const published = await client.waitForDiagnostics(uri, 1, TIMEOUT_MS);
    const answers = await askEverything(uri, text, published.params.diagnostics);
    assert.deepStrictEqual(
      { diagnostics: published.params.diagnostics.map((d) => ({ code: d.code, severity: d.severity, range: d.range })), answers, alive: client.alive },
      { diagnostics: [{ code: 'file-too-large', severity: 3, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }], answers: { hovers: 10, inlayHints: true, codeActions: true }, alive: true },
    );
  });

  test('a 1 MB stream of 1,000 Deployments: diagnostics, hover on a container, inlay hints, code actions', async () => {
    const uri = uriOf('big.yaml');
    const big = deploymentStream(1000);
    await client.open(uri, big.text, 1);
    // Published as its documents are analysed (lsp/progressive.ts): the publication with every finding.
    const all = new Analyzer().analyze('/big.yaml', big.text, { ...DEFAULT_OPTIONS, imageFacts: undefined }).findings.length;
    const published = await client.waitForDiagnosticsMatching(uri, (d) => d.version === 1 && d.diagnostics.length === all, TIMEOUT_MS);
    const answers = await askEverything(uri, big.text, published.params.diagnostics);
    const before = big.text.slice(0, big.middleContainerName);
    const position = { line: before.split('\n').length - 1, character: big.middleContainerName - (before.lastIndexOf('\n') + 1) };
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position }, TIMEOUT_MS);
    const card = hover && typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value.split('\n')[0] : '';
    assert.deepStrictEqual(
      { diagnostics: published.params.diagnostics.length > 100, answers, card: card.startsWith('**svc-0500**'), alive: client.alive },
      { diagnostics: true, answers: { hovers: 10, inlayHints: true, codeActions: true }, card: true, alive: true },
    );
  });

  test('after all of it the server still answers a request', async () => {
    const rules = await client.request<{ id: string }[]>('secctx/rules', {}, TIMEOUT_MS);
    assert.deepStrictEqual({ alive: client.alive, rules: rules.length > 10 }, { alive: true, rules: true });
  });
});
