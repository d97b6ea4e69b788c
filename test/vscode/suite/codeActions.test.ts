/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { POD_LEVEL_CAPS, POD_LEVEL_CAPS_MOVED, diagnosticCode, hasCode, openFixture, readFixture, revertAndCloseAll, waitForDiagnostics } from './editor';

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
      'vscode.executeCodeActionProvider', document.uri, finding.range, vscode.CodeActionKind.QuickFix.value,
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
});
