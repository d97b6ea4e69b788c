/**
 * A Helm chart over stdio as an editor sees it: values.yaml gets the findings of the blocks templates
 * place (capabilities in a pod-level block: error, quick fix), hovers say what a block becomes,
 * completion offers the keys of the block's level, inlay hints sit on the blocks, and the template
 * gets no false diagnostic from its actions.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CodeAction, CompletionItem, Hover, InlayHint } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import { LspClient } from '../support/lsp-client';

const SERVER = join(__dirname, '..', '..', 'dist', 'server.js');

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-web
spec:
  template:
    spec:
      securityContext:
        {{- toYaml .Values.podSecurityContext | nindent 8 }}
      containers:
        - name: web
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
          securityContext:
            {{- toYaml .Values.securityContext | nindent 12 }}
`;

const VALUES = `image:
  repository: nginx
  tag: "1.27"
podSecurityContext:
  runAsNonRoot: true
  runAsUser: 1000
  capabilities:
    add: [NET_BIND_SERVICE]
securityContext:
  allowPrivilegeEscalation: false
  
unusedSecurityContext:
  privileged: true
`;

describe('a Helm chart over stdio', () => {
  let client: LspClient;
  const dir = mkdtempSync(join(tmpdir(), 'secctx-helm-'));
  const chart = join(dir, 'web');
  const valuesUri = URI.file(join(chart, 'values.yaml')).toString();
  const templateUri = URI.file(join(chart, 'templates', 'deployment.yaml')).toString();

  before(async () => {
    mkdirSync(join(chart, 'templates'), { recursive: true });
    writeFileSync(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: web\nversion: 0.1.0\n');
    writeFileSync(join(chart, 'values.yaml'), VALUES);
    writeFileSync(join(chart, 'templates', 'deployment.yaml'), DEPLOYMENT);
    client = await LspClient.start({ command: process.execPath, args: [SERVER, '--stdio'] }, { rootUri: URI.file(dir).toString() });
  });
  after(async () => {
    if (client) assert.equal(await client.shutdown(), 0, client.stderr);
    rmSync(dir, { recursive: true, force: true });
  });

  test('values.yaml is answered at once with its own result, before the chart is read; the chart\'s findings follow', async () => {
    const mark = client.mark();
    await client.open(valuesUri, VALUES, 1);
    // The chart is read from disk in the background (fs/promises), so the first answer is the file judged alone.
    const first = (await client.waitForDiagnostics(valuesUri, 1, 30_000, mark)).params;
    assert.deepEqual(first.diagnostics, []);
    const chart = (await client.waitForDiagnosticsMatching(valuesUri, (d) => d.version === 1 && d.diagnostics.length > 0, 30_000, mark)).params;
    assert.deepEqual(chart.diagnostics.map((d) => d.code), ['capabilities-at-pod-level', 'values-not-used']);
  });

  test('values.yaml: capabilities at pod level is an error on its line, naming the template line; an unused block gets a hint', async () => {
    const diagnostics = client.diagnostics(valuesUri)?.params.diagnostics ?? [];
    const caps = diagnostics.find((d) => d.code === 'capabilities-at-pod-level');
    assert.ok(caps, JSON.stringify(diagnostics));
    assert.deepEqual([caps.range.start.line, caps.severity], [6, 1]);
    assert.match(String(caps.message), /placed by templates\/deployment\.yaml:9\)$/);
    const unused = diagnostics.find((d) => d.code === 'values-not-used');
    assert.deepEqual(unused?.range.start.line, 11);
    assert.equal(diagnostics.some((d) => d.code === 'privileged'), false);
  });

  test('the quick fix moves the capabilities into securityContext', async () => {
    const diagnostics = client.diagnostics(valuesUri)?.params.diagnostics ?? [];
    const caps = diagnostics.filter((d) => d.code === 'capabilities-at-pod-level');
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: valuesUri }, range: caps[0].range, context: { diagnostics: caps } });
    const fix = actions.find((a) => a.title.startsWith('Move capabilities to `securityContext`'));
    assert.ok(fix?.edit, JSON.stringify(actions.map((a) => a.title)));
  });

  test('hover on a values block says what it becomes, with the effective context', async () => {
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: valuesUri }, position: { line: 8, character: 3 } });
    const value = hover && typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : '';
    assert.match(value, /\*\*Becomes\*\* container `web` of `Deployment\/release-name-web` — placed by \[templates\/deployment\.yaml:14\]/);
  });

  test('completion in a container-level block offers container fields it does not have', async () => {
    const items = await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri: valuesUri }, position: { line: 10, character: 2 } });
    const labels = items.map((i) => i.label);
    assert.ok(labels.includes('privileged') && labels.includes('readOnlyRootFilesystem') && !labels.includes('allowPrivilegeEscalation') && !labels.includes('fsGroup'), labels.join(','));
  });

  test('inlay hints on the blocks that become containers', async () => {
    const hints = await client.request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri: valuesUri }, range: { start: { line: 0, character: 0 }, end: { line: 14, character: 0 } } });
    assert.deepEqual(hints.map((h) => h.position.line).sort(), [3, 8]);
  });

  test('the template: no diagnostic from its actions; hover on .Values.securityContext shows the value', async () => {
    const mark = client.mark();
    await client.open(templateUri, DEPLOYMENT, 1);
    const { diagnostics } = (await client.waitForDiagnostics(templateUri, 1, 30_000, mark)).params;
    assert.deepEqual(diagnostics.filter((d) => d.severity === 1 || d.severity === 2), []);
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: templateUri }, position: { line: 13, character: 26 } });
    const value = hover && typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : '';
    assert.match(value, /^`\.Values\.securityContext`\n\nSet in \[values\.yaml:9\]/);
  });

  test('a template changed on disk (not open) is read again: the values finding names its new line', async () => {
    const file = join(chart, 'templates', 'deployment.yaml');
    writeFileSync(file, `# a comment line moves everything down\n${DEPLOYMENT}`);
    const mark = client.mark();
    await client.close(templateUri);
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: templateUri, type: 2 }] });
    const moved = await client.waitForDiagnosticsMatching(valuesUri, (d) => d.diagnostics.some((x) => String(x.message).endsWith('placed by templates/deployment.yaml:10)')), 30_000, mark);
    assert.deepEqual(moved.params.diagnostics.map((d) => [d.code, d.range.start.line]), [['capabilities-at-pod-level', 6], ['values-not-used', 11]]);
  });
});
