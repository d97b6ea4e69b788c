/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { POD_LEVEL_CAPS, askUntil, hoverText, openFixture, positionOf, revertAndCloseAll } from './editor';

async function hoverAt(uri: vscode.Uri, position: vscode.Position): Promise<string> {
  const hovers = await askUntil(
    () => vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position),
    (answer) => hoverText(answer).length > 0,
  );
  return hoverText(hovers);
}

suite('Hover', () => {
  teardown(revertAndCloseAll);

  test('hovering a container name shows the uid it runs as, inherited or its own', async () => {
    const { document } = await openFixture(POD_LEVEL_CAPS);
    const app = await hoverAt(document.uri, positionOf(document, 'name: app', 'name: '.length + 1));
    const sidecar = await hoverAt(document.uri, positionOf(document, 'name: sidecar', 'name: '.length + 1));
    assert.match(app, /\buid 0\b/, `hover on container "app" (runAsUser 0 from the pod):\n${app}`);
    assert.match(sidecar, /\buid 1000\b/, `hover on container "sidecar" (its own runAsUser 1000):\n${sidecar}`);
  });
});
