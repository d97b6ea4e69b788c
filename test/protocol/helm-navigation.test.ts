/**
 * Go to Definition and Find All References in a Helm chart over stdio (the helm-ls anchor of issue
 * 16): a template's `.Values.securityContext` → the key in values.yaml; that key → the template
 * expressions reading it. Files outside charts answer with nothing.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Diagnostic, Location } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import { LspClient } from '../support/lsp-client';
import { CHART_DEPLOYMENT } from '../support/helm';

const SERVER = join(__dirname, '..', '..', 'dist', 'server.js');


const VALUES = `podSecurityContext:
  capabilities:
    add: [NET_ADMIN]
securityContext:
  allowPrivilegeEscalation: false
`;

describe('navigation in a Helm chart over stdio', () => {
  let client: LspClient;
  const dir = mkdtempSync(join(tmpdir(), 'secctx-helm-nav-'));
  const chart = join(dir, 'web');
  const valuesUri = URI.file(join(chart, 'values.yaml')).toString();
  const templateUri = URI.file(join(chart, 'templates', 'deployment.yaml')).toString();
  const podUri = URI.file(join(dir, 'pod.yaml')).toString();

  /** Waits until the file's published diagnostics satisfy `ok` (the chart is read in the background). */
  async function until(uri: string, ok: (d: readonly Diagnostic[]) => boolean, timeoutMs = 30_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const mark = client.mark();
      const latest = client.diagnostics(uri);
      if (latest && ok(latest.params.diagnostics)) return;
      await client.waitForDiagnostics(uri, undefined, Math.max(1, end - Date.now()), mark);
    }
  }

  before(async () => {
    mkdirSync(join(chart, 'templates'), { recursive: true });
    writeFileSync(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: web\nversion: 0.1.0\n');
    writeFileSync(join(chart, 'values.yaml'), VALUES);
    writeFileSync(join(chart, 'templates', 'deployment.yaml'), CHART_DEPLOYMENT);
    client = await LspClient.start({ command: process.execPath, args: [SERVER, '--stdio'] }, { rootUri: URI.file(dir).toString() });
    await client.open(valuesUri, VALUES, 1);
    await client.open(templateUri, CHART_DEPLOYMENT, 1);
    // The chart's own finding on values.yaml says the chart model is read.
    await until(valuesUri, (d) => d.some((x) => x.code === 'capabilities-at-pod-level'));
  });
  after(async () => {
    if (client) assert.equal(await client.shutdown(), 0, client.stderr);
    rmSync(dir, { recursive: true, force: true });
  });

  test('initialize announces definition and references', () => {
    const caps = client.initializeResult?.capabilities;
    assert.deepStrictEqual({ definition: caps?.definitionProvider, references: caps?.referencesProvider }, { definition: true, references: true });
  });

  test('definition: .Values.securityContext in the template → its key in values.yaml', async () => {
    const got = await client.request<Location[]>('textDocument/definition', { textDocument: { uri: templateUri }, position: { line: 13, character: 30 } });
    assert.deepStrictEqual(got, [{ uri: valuesUri, range: { start: { line: 3, character: 0 }, end: { line: 3, character: 15 } } }]);
  });

  test('references: podSecurityContext in values.yaml → the template line that places it', async () => {
    const got = await client.request<Location[]>('textDocument/references', { textDocument: { uri: valuesUri }, position: { line: 0, character: 3 }, context: { includeDeclaration: false } });
    assert.deepStrictEqual(got, [{ uri: templateUri, range: { start: { line: 8, character: 19 }, end: { line: 8, character: 45 } } }]);
  });

  test('outside a chart, and away from any .Values, nothing', async () => {
    await client.open(podUri, 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: x}]}\n', 1);
    assert.deepStrictEqual({
      pod: await client.request<Location[]>('textDocument/definition', { textDocument: { uri: podUri }, position: { line: 3, character: 10 } }),
      templateKind: await client.request<Location[]>('textDocument/definition', { textDocument: { uri: templateUri }, position: { line: 1, character: 3 } }),
    }, { pod: [], templateKind: [] });
  });

  test('a client that registers dynamically gets definition and references for chart files only (Ctrl+click elsewhere stays the inlay hints\'', async () => {
    const dynamic = await LspClient.start({ command: process.execPath, args: [SERVER, '--stdio'] }, {
      rootUri: URI.file(dir).toString(),
      capabilities: { textDocument: { definition: { dynamicRegistration: true }, references: { dynamicRegistration: true } } },
    });
    try {
      const selector = async (method: string) => ((await dynamic.waitForRegistration(method)).registerOptions as { documentSelector: unknown }).documentSelector;
      assert.deepStrictEqual({
        announced: { definition: dynamic.initializeResult?.capabilities.definitionProvider, references: dynamic.initializeResult?.capabilities.referencesProvider },
        definition: await selector('textDocument/definition'),
        references: await selector('textDocument/references'),
      }, {
        announced: { definition: undefined, references: undefined },
        definition: [{ scheme: 'file', pattern: '**/templates/**/*.{yaml,yml,tpl}' }],
        references: [{ scheme: 'file', pattern: '**/*values*.{yaml,yml}' }],
      });
    } finally {
      assert.equal(await dynamic.shutdown(), 0, dynamic.stderr);
    }
  });

  test('with a template and its values file both open, the server settles: no re-analysis goes on after the answers', async () => {
    // Each file's analysis used to replace the other's chart analysis (options per folder: templates/ vs the
    // chart's), each re-judging the other for as long as both were open: a busy server and a stream of publications.
    const before = client.mark();
    for (let i = 0; i < 20; i++) await client.request('textDocument/hover', { textDocument: { uri: valuesUri }, position: { line: 0, character: 3 } });
    const published = client.mark() - before;
    assert.equal(published, 0, `${published} publications while 20 hovers were answered`);
  });
});
