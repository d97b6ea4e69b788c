/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activeSecctx, askUntil, fixtureUri, openFixture, positionOf, revertAndCloseAll } from './editor';

const TEMPLATE = 'chart/templates/deployment.yaml';
const VALUES = 'chart/values.yaml';

const where = (l: vscode.Location | vscode.LocationLink): string => {
  const uri = 'targetUri' in l ? l.targetUri : l.uri;
  const range = 'targetUri' in l ? l.targetSelectionRange ?? l.targetRange : l.range;
  return `${vscode.workspace.asRelativePath(uri)}:${range.start.line + 1}`;
};

suite('Helm chart navigation', () => {
  teardown(revertAndCloseAll);

  test('F12 on .Values.securityContext in a template opens its key in values.yaml; Shift+F12 on the key lists the template', async () => {
    const { document } = await openFixture(TEMPLATE);
    await activeSecctx();
    const at = positionOf(document, '.Values.securityContext', 3);
    // The chart is read in the background after the file opens: ask until the server has it.
    const definitions = await askUntil(
      () => vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', document.uri, at),
      (answer) => (answer ?? []).length > 0,
    );
    const values = await vscode.workspace.openTextDocument(fixtureUri(VALUES));
    const references = await askUntil(
      () => vscode.commands.executeCommand<vscode.Location[]>('vscode.executeReferenceProvider', values.uri, positionOf(values, 'podSecurityContext', 2)),
      (answer) => (answer ?? []).length > 0,
    );
    assert.deepStrictEqual({ definitions: definitions.map(where), references: references.map(where) }, {
      definitions: ['chart/values.yaml:3'],
      references: ['chart/templates/deployment.yaml:9'],
    });
  });
});
