/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { FEATURE_TIMEOUT_MS, POD_LEVEL_CAPS, activeSecctx, openFixture, revertAndCloseAll } from './editor';

/** Resolves with the first tab opened after the call, or rejects after `timeoutMs`. */
function nextOpenedTab(timeoutMs = FEATURE_TIMEOUT_MS): Promise<vscode.Tab> {
  return new Promise((resolve, reject) => {
    const subscription = vscode.window.tabGroups.onDidChangeTabs((event) => {
      const [tab] = event.opened;
      if (!tab) return;
      clearTimeout(timer);
      subscription.dispose();
      resolve(tab);
    });
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`no editor tab opened within ${timeoutMs} ms`));
    }, timeoutMs);
  });
}

suite('Effective context report', () => {
  teardown(revertAndCloseAll);

  test('secctx.showEffectiveContext opens a report naming each container and its uid', async () => {
    await openFixture(POD_LEVEL_CAPS);
    await activeSecctx();
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('secctx.showEffectiveContext'), 'command secctx.showEffectiveContext is not registered');

    const opened = nextOpenedTab();
    const returned = await vscode.commands.executeCommand<unknown>('secctx.showEffectiveContext');
    const tab = await opened;
    // The report is markdown: the command returns it; a text tab shows it; a preview is a webview.
    let report: string | undefined = typeof returned === 'string' ? returned : undefined;
    if (report === undefined && tab.input instanceof vscode.TabInputText) {
      const uri = tab.input.uri;
      report = (vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString()) ?? (await vscode.workspace.openTextDocument(uri))).getText();
    }
    if (report === undefined) {
      assert.ok(tab.input instanceof vscode.TabInputWebview, `the report opened as "${tab.label}", neither text nor a preview, and the command returned no text`);
      return;
    }
    assert.deepStrictEqual(
      ['app', 'sidecar', 'uid 0', 'uid 1000'].filter((needle) => !report.includes(needle)),
      [],
      `the report lacks these; report:\n${report}`,
    );
  });
});
