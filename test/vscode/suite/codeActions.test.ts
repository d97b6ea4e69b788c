/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { POD_LEVEL_CAPS, POD_LEVEL_CAPS_MOVED, diagnosticCode, fixtureUri, hasCode, openFixture, readFixture, revertAndCloseAll, waitForDiagnostics } from './editor';

/**
 * How many listed actions VS Code resolves before returning them: secctx lists quick fixes without their edits and
 * fills them on codeAction/resolve, as VS Code does for the action a user picks.
 */
const RESOLVE = 50;

function isCodeAction(action: vscode.CodeAction | vscode.Command): action is vscode.CodeAction {
  return typeof action.command !== 'string';
}

suite('Code actions', () => {
  teardown(revertAndCloseAll);

  test('"Move capabilities to all containers" moves the list into every container and clears the finding', async () => {
    const { document } = await openFixture(POD_LEVEL_CAPS);
    const diagnostics = await waitForDiagnostics(document.uri, hasCode('capabilities-at-pod-level'), 'a capabilities-at-pod-level diagnostic');
    const finding = diagnostics.find((d) => diagnosticCode(d) === 'capabilities-at-pod-level');
    assert.ok(finding);

    const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
      'vscode.executeCodeActionProvider', document.uri, finding.range, vscode.CodeActionKind.QuickFix.value, RESOLVE,
    );
    const titles = actions.map((a) => a.title);
    const move = actions.filter(isCodeAction).find((a) => /^Move capabilities to all containers/.test(a.title));
    assert.ok(move, `no "Move capabilities to all containers" quick fix; offered: ${JSON.stringify(titles)}`);
    assert.deepStrictEqual(
      { kind: move.kind?.value, isPreferred: move.isPreferred, hasEdit: move.edit !== undefined },
      { kind: 'quickfix', isPreferred: true, hasEdit: true },
    );
    assert.ok(move.edit);
    assert.equal(await vscode.workspace.applyEdit(move.edit), true, 'workspace.applyEdit refused the edit');

    assert.equal(document.getText(), await readFixture(POD_LEVEL_CAPS_MOVED));
    await waitForDiagnostics(document.uri, (ds) => !hasCode('capabilities-at-pod-level')(ds), 'the capabilities-at-pod-level diagnostic to clear');
  });

  test('a dangerous add offers "Remove capability" (unsafe: it says it changes what the workload may do), once', async () => {
    const { document } = await openFixture('dangerous-add.yaml');
    const diagnostics = await waitForDiagnostics(document.uri, hasCode('dangerous-capability'), 'a dangerous-capability diagnostic');
    const ptrace = diagnostics.find((d) => diagnosticCode(d) === 'dangerous-capability' && document.getText(d.range).includes('SYS_PTRACE'));
    assert.ok(ptrace, `no dangerous-capability on SYS_PTRACE; got ${JSON.stringify(diagnostics.map((d) => [diagnosticCode(d), document.getText(d.range)]))}`);
    const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
      'vscode.executeCodeActionProvider', document.uri, ptrace.range, vscode.CodeActionKind.QuickFix.value,
    );
    const titles = actions.map((a) => a.title);
    assert.deepStrictEqual(titles.filter((t) => t.startsWith('Remove capability')), ['Remove capability SYS_PTRACE (changes what the workload may do)'], JSON.stringify(titles));
    assert.equal(new Set(titles).size, titles.length, `a quick fix is listed twice: ${JSON.stringify(titles)}`);
  });

  test('fix-all on save (editor.codeActionsOnSave) resolves and applies the safe fixes', async () => {
    // A file of its own, removed afterwards. `drop: [all]` gets the safe fix `drop: [ALL]` (dropping is never unsafe).
    const uri = fixtureUri('fix-on-save.yaml');
    const pod = (drop: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: fix-on-save\nspec:\n  containers:\n    - name: app\n      image: busybox:1.36\n      securityContext:\n        capabilities:\n          drop: [${drop}]\n`;
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(pod('all')));
    const editorSettings = vscode.workspace.getConfiguration('editor', { languageId: 'yaml' });
    await editorSettings.update('codeActionsOnSave', { 'source.fixAll.secctx': 'always' }, vscode.ConfigurationTarget.Workspace, true);
    try {
      const document = await vscode.workspace.openTextDocument(uri);
      const editor = await vscode.window.showTextDocument(document);
      await waitForDiagnostics(uri, hasCode('capability-case'), 'a capability-case diagnostic');
      // Saving a document without changes saves nothing: one edit first.
      await editor.edit((b) => b.insert(new vscode.Position(0, 0), '# fix on save\n'));
      assert.equal(await document.save(), true, 'the document did not save');
      assert.equal(document.getText(), `# fix on save\n${pod('ALL')}`);
    } finally {
      await editorSettings.update('codeActionsOnSave', undefined, vscode.ConfigurationTarget.Workspace, true);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.fs.delete(uri);
    }
  });
});
