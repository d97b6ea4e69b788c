/**
 * `source.fixAll.secctx` (fix-all on save) on a Helm chart's files over stdio: each file is judged through
 * its chart, pass after pass, so fix-all applies the safe fixes `secctx check chart/ --fix` applies to that
 * file (a values key's spelling, a template's literal field), never an unsafe one (moving pod-level
 * capabilities that add something), and only edits the document asked about. Asking leaves the chart as the
 * editor has it: the template is judged against values.yaml as typed, not as fix-all would make it.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ClientCapabilities, CodeAction, TextEdit, WorkspaceEdit } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import { runCliCaptured } from '../support/cli';
import { CHART_DEPLOYMENT } from '../support/helm';
import { LspClient } from '../support/lsp-client';

const SERVER = join(__dirname, '..', '..', 'dist', 'server.js');

const VALUES = 'podSecurityContext:\n  runAsNonRoot: true\n  capabilities:\n    add: [NET_ADMIN]\nsecurityContext:\n  runAsUser: 1000\n  alowPrivilegeEscalation: false\n';
/** The chart tests' template with a second container whose literal securityContext misspells a field. */
const DEPLOYMENT = `${CHART_DEPLOYMENT}        - name: sidecar
          image: busybox
          securityContext:
            runAsUser: 1000
            readOnlyRootFilesytem: true
`;

const TEXT_DOCUMENT: ClientCapabilities['textDocument'] = {
  synchronization: { dynamicRegistration: false, didSave: true },
  publishDiagnostics: { versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
  codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source'] } } },
};
/** As VS Code announces it: fix-all is listed without its edit and resolved when applied on save. */
const RESOLVING: ClientCapabilities['textDocument'] = { ...TEXT_DOCUMENT, codeAction: { ...TEXT_DOCUMENT.codeAction, dataSupport: true, resolveSupport: { properties: ['edit'] } } };

function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const offset = (p: TextEdit['range']['start']) => text.split('\n').slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  return [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start)).reduce((t, e) => {
    const start = offset(e.range.start), end = offset(e.range.end);
    return t.slice(0, start) + e.newText + t.slice(end);
  }, text);
}

describe('fix-all on a Helm chart\'s files over stdio', () => {
  const dir = mkdtempSync(join(tmpdir(), 'secctx-helm-fixall-'));
  const chart = join(dir, 'web');
  const valuesUri = URI.file(join(chart, 'values.yaml')).toString();
  const templateUri = URI.file(join(chart, 'templates', 'deployment.yaml')).toString();
  let resolving: LspClient;
  let plain: LspClient;

  before(async () => {
    mkdirSync(join(chart, 'templates'), { recursive: true });
    writeFileSync(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: web\nversion: 0.1.0\n');
    writeFileSync(join(chart, 'values.yaml'), VALUES);
    writeFileSync(join(chart, 'templates', 'deployment.yaml'), DEPLOYMENT);
    const start = (textDocument: ClientCapabilities['textDocument']) => LspClient.start({ command: process.execPath, args: [SERVER, '--stdio'] }, { rootUri: URI.file(dir).toString(), capabilities: { textDocument } });
    [resolving, plain] = await Promise.all([start(RESOLVING), start(TEXT_DOCUMENT)]);
    for (const client of [resolving, plain]) {
      const mark = client.mark();
      await client.open(valuesUri, VALUES, 1);
      await client.open(templateUri, DEPLOYMENT, 1);
      // The chart's findings (read from disk in the background) replace each file's own.
      await client.waitForDiagnosticsMatching(valuesUri, (d) => d.diagnostics.some((x) => x.code === 'unknown-security-context-field'), 30_000, mark);
      await client.waitForDiagnosticsMatching(templateUri, (d) => d.diagnostics.some((x) => x.code === 'privilege-escalation'), 30_000, mark);
    }
  });
  after(async () => {
    for (const client of [resolving, plain]) if (client) assert.equal(await client.shutdown(), 0, client.stderr);
    rmSync(dir, { recursive: true, force: true });
  });

  /** Fix-all's edit as each client gets it: resolved from the key, and in the list. */
  async function fixAllEdits(uri: string): Promise<{ resolved?: WorkspaceEdit; eager?: WorkspaceEdit }> {
    const request = { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [], only: ['source.fixAll'] } };
    const [listed] = await resolving.request<CodeAction[]>('textDocument/codeAction', request);
    const [eager] = await plain.request<CodeAction[]>('textDocument/codeAction', request);
    assert.ok(listed && !listed.edit, JSON.stringify(listed));
    const resolved = await resolving.request<CodeAction>('codeAction/resolve', listed);
    return { resolved: resolved.edit, eager: eager?.edit };
  }

  test('values.yaml: the misspelt key renamed as check --fix renames it; the capabilities that add NET_ADMIN stay', async () => {
    const edit = { changes: { [valuesUri]: [{ range: { start: { line: 6, character: 4 }, end: { line: 6, character: 4 } }, newText: 'l' }] } };
    assert.deepStrictEqual(await fixAllEdits(valuesUri), { resolved: edit, eager: edit });
  });

  test('the template: its literal misspelt field renamed, nothing else', async () => {
    const edit = { changes: { [templateUri]: [{ range: { start: { line: 18, character: 30 }, end: { line: 18, character: 30 } }, newText: 's' }] } };
    assert.deepStrictEqual(await fixAllEdits(templateUri), { resolved: edit, eager: edit });
  });

  test('the fixed texts are what check --fix writes', async () => {
    const copy = join(dir, 'cli');
    cpSync(chart, join(copy, 'web'), { recursive: true });
    const run = await runCliCaptured(['check', '--fix', '--format', 'json', 'web'], { cwd: copy });
    assert.equal(run.code === 0 || run.code === 1, true, run.stderr);
    const { eager: values } = await fixAllEdits(valuesUri);
    const { eager: template } = await fixAllEdits(templateUri);
    assert.deepStrictEqual({
      values: applyEdits(VALUES, values?.changes?.[valuesUri] ?? []),
      template: applyEdits(DEPLOYMENT, template?.changes?.[templateUri] ?? []),
    }, {
      values: readFileSync(join(copy, 'web', 'values.yaml'), 'utf8'),
      template: readFileSync(join(copy, 'web', 'templates', 'deployment.yaml'), 'utf8'),
    });
  });

  test('asking leaves the chart as typed: the template, edited next, is still judged with values.yaml\'s misspelt key', async () => {
    await fixAllEdits(valuesUri);
    const mark = resolving.mark();
    await resolving.change(templateUri, 2, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# edited\n' }]);
    const after = (await resolving.waitForDiagnostics(templateUri, 2, 30_000, mark)).params;
    // Container web's allowPrivilegeEscalation is still unset (values.yaml says `alowPrivilegeEscalation`).
    assert.deepStrictEqual(after.diagnostics.filter((d) => d.code === 'privilege-escalation').map((d) => d.range.start.line), [13, 17]);
  });
});
