/// <reference types="mocha" />
/**
 * Editor integration beyond per-document features: "secctx: Check workspace" (the secctx task and its
 * $secctx problem matcher) puts problems of files that are not open in the Problems view; the
 * language status item shows what the server says is in force; a folder-level (resource) setting
 * changes the analysis.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { FEATURE_TIMEOUT_MS, POD_LEVEL_CAPS, activeSecctx, diagnosticCode, fixtureUri, openFixture, revertAndCloseAll, waitForDiagnostics } from './editor';

const UNOPENED = 'unopened/host-pid.yaml';

suite('Workspace', () => {
  teardown(revertAndCloseAll);

  test('secctx: Check workspace reports problems of a file that is not open', async () => {
    await openFixture(POD_LEVEL_CAPS);
    await activeSecctx();
    const uri = fixtureUri(UNOPENED);
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString()), `${UNOPENED} is open`);
    const run = await vscode.commands.executeCommand<{ exitCode?: number; problems?: number; summary?: string }>('secctx.checkWorkspace');
    assert.ok((run.problems ?? 0) > 0, `the task printed no problem: ${JSON.stringify(run)}`);
    const diagnostics = await waitForDiagnostics(uri, (d) => d.some((x) => diagnosticCode(x) === 'host-namespaces'), 'host-namespaces from the task');
    const hostPid = diagnostics.find((d) => diagnosticCode(d) === 'host-namespaces');
    assert.deepStrictEqual(
      { exitCode: run.exitCode, source: hostPid?.source, line: hostPid?.range.start.line, open: vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString()) },
      { exitCode: 1, source: 'secctx', line: 6, open: false },
    );
  });

  test('the language status item shows the profile, runtime and config file the server has in force', async () => {
    await openFixture(POD_LEVEL_CAPS);
    await activeSecctx();
    const deadline = Date.now() + FEATURE_TIMEOUT_MS;
    let status: { text: string; detail?: string } | undefined;
    while (Date.now() < deadline) {
      status = await vscode.commands.executeCommand<{ text: string; detail?: string }>('secctx.languageStatus').then(undefined, () => undefined);
      if (status?.text.includes('·')) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    assert.deepStrictEqual(status, { text: 'secctx: restricted · containerd', detail: 'restricted profile (default), containerd (default), newest Kubernetes; no .secctx.yaml' });
  });

  test('a folder setting (resource scope) reaches the server: profile privileged keeps only errors', async () => {
    const editor = await openFixture(POD_LEVEL_CAPS);
    await activeSecctx();
    const uri = editor.document.uri;
    // The language server's diagnostics only (their code links to the rule's docs), not a Check workspace run's.
    const server = (d: readonly vscode.Diagnostic[]) => d.filter((x) => typeof x.code === 'object');
    await waitForDiagnostics(uri, (d) => server(d).some((x) => x.severity !== vscode.DiagnosticSeverity.Error), 'non-error findings under restricted');
    const config = vscode.workspace.getConfiguration('secctx', uri);
    await config.update('profile', 'privileged', vscode.ConfigurationTarget.WorkspaceFolder);
    try {
      const privileged = server(await waitForDiagnostics(uri, (d) => server(d).length > 0 && server(d).every((x) => x.severity === vscode.DiagnosticSeverity.Error), 'errors only under privileged'));
      assert.ok(privileged.length > 0);
    } finally {
      await config.update('profile', undefined, vscode.ConfigurationTarget.WorkspaceFolder);
    }
  });
});
