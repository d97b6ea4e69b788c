/// <reference types="mocha" />
/**
 * A quick fix on a manifest that edits another file (the Dockerfile building its image: "Use a numeric USER") runs
 * the client's `secctx.showEditedFiles` after its edit (client/src/extension.ts). With `files.autoSave` off the
 * Dockerfile opens beside the manifest, unsaved, the manifest keeping the focus; with auto save on it is saved and
 * not opened. Applied as VS Code applies a chosen code action: its edit, then its command.
 * Fixtures: cross-file/ (api.yaml; its .secctx.yaml links myorg/api to api/Dockerfile, whose USER is the name `app`).
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { diagnosticCode, fixtureUri, openFixture, readFixture, revertAndCloseAll, waitForDiagnostics } from './editor';

const MANIFEST = 'cross-file/api.yaml';
const DOCKERFILE = 'cross-file/api/Dockerfile';
const NUMERIC_USER = 'Use a numeric USER 10001:10001 in Dockerfile';

function isCodeAction(action: vscode.CodeAction | vscode.Command): action is vscode.CodeAction {
  return typeof action.command !== 'string';
}

/** Opens the manifest, finds the fix once the workspace scan has linked the image to its Dockerfile, applies it as VS Code does. */
async function applyNumericUser(): Promise<vscode.TextEditor> {
  const editor = await openFixture(MANIFEST);
  const diagnostics = await waitForDiagnostics(
    editor.document.uri,
    (ds) => ds.some((d) => diagnosticCode(d) === 'run-as-non-root-violation' && d.message.includes('non-numeric user (app)')),
    'run-as-non-root-violation on the Dockerfile\'s user app',
  );
  const violation = diagnostics.find((d) => diagnosticCode(d) === 'run-as-non-root-violation')!;
  const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
    'vscode.executeCodeActionProvider', editor.document.uri, violation.range, vscode.CodeActionKind.QuickFix.value, 50,
  );
  const fix = actions.filter(isCodeAction).find((a) => a.title === NUMERIC_USER);
  assert.ok(fix?.edit && fix.command, `no "${NUMERIC_USER}" with an edit and a command; offered: ${JSON.stringify(actions.map((a) => a.title))}`);
  assert.equal(await vscode.workspace.applyEdit(fix.edit), true, 'workspace.applyEdit refused the edit');
  await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments ?? []));
  return editor;
}

/** Where each visible editor is, by workspace-relative path. */
function visibleEditors(): { file: string; column: vscode.ViewColumn | undefined; dirty: boolean }[] {
  return vscode.window.visibleTextEditors
    .map((e) => ({ file: vscode.workspace.asRelativePath(e.document.uri, false), column: e.viewColumn, dirty: e.document.isDirty }))
    .sort((a, b) => (a.column ?? 0) - (b.column ?? 0));
}

suite('Cross-file quick fix', () => {
  let original = '';
  suiteSetup(async () => { original = await readFixture(DOCKERFILE); });
  teardown(async () => {
    await revertAndCloseAll();
    // The auto-save case writes the Dockerfile (in the run's copy of the fixtures): put it back for the next test.
    await vscode.workspace.fs.writeFile(fixtureUri(DOCKERFILE), new TextEncoder().encode(original));
  });

  test('auto save off: the edited Dockerfile opens beside the manifest, unsaved, and the manifest keeps the focus', async () => {
    assert.equal(vscode.workspace.getConfiguration('files').get('autoSave'), 'off');
    await applyNumericUser();
    const dockerfile = vscode.workspace.textDocuments.find((d) => d.uri.toString() === fixtureUri(DOCKERFILE).toString());
    assert.deepStrictEqual(
      { editors: visibleEditors(), active: vscode.workspace.asRelativePath(vscode.window.activeTextEditor?.document.uri ?? '', false), text: dockerfile?.getText(), onDisk: await readFixture(DOCKERFILE) },
      {
        editors: [{ file: MANIFEST, column: vscode.ViewColumn.One, dirty: false }, { file: DOCKERFILE, column: vscode.ViewColumn.Two, dirty: true }],
        active: MANIFEST,
        text: 'FROM debian:12\nRUN useradd -u 10001 app\nUSER 10001:10001\n',
        onDisk: original,
      },
    );
  });

  test('auto save on: the edited Dockerfile is saved, not opened', async () => {
    const files = vscode.workspace.getConfiguration('files');
    // onWindowChange: VS Code itself saves nothing while the window keeps the focus, so only the command can have saved.
    await files.update('autoSave', 'onWindowChange', vscode.ConfigurationTarget.Workspace);
    try {
      await applyNumericUser();
      assert.deepStrictEqual(
        { editors: visibleEditors(), unsaved: vscode.workspace.textDocuments.filter((d) => d.isDirty).map((d) => vscode.workspace.asRelativePath(d.uri, false)), onDisk: await readFixture(DOCKERFILE) },
        { editors: [{ file: MANIFEST, column: vscode.ViewColumn.One, dirty: false }], unsaved: [], onDisk: 'FROM debian:12\nRUN useradd -u 10001 app\nUSER 10001:10001\n' },
      );
    } finally {
      await files.update('autoSave', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });
});
