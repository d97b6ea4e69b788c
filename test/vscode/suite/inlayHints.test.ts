/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { POD_LEVEL_CAPS, askUntil, inlayHintText, openFixture, positionOf, revertAndCloseAll } from './editor';

suite('Inlay hints', () => {
  teardown(revertAndCloseAll);

  test('each container name line carries a hint with the user the container runs as', async () => {
    const { document } = await openFixture(POD_LEVEL_CAPS);
    const whole = new vscode.Range(0, 0, document.lineCount, 0);
    const hints = await askUntil(
      () => vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', document.uri, whole),
      (answer) => answer.length > 0,
    );
    const onLine = (line: number): string => hints.filter((h) => h.position.line === line).map(inlayHintText).join(' ');
    const app = onLine(positionOf(document, 'name: app').line);
    const sidecar = onLine(positionOf(document, 'name: sidecar').line);
    const all = hints.map((h) => `${h.position.line + 1}: ${inlayHintText(h)}`);
    assert.deepStrictEqual(
      { app: /\b(uid 0|root)\b/.test(app), sidecar: /\buid 1000\b/.test(sidecar) },
      { app: true, sidecar: true },
      `inlay hints (line: label): ${JSON.stringify(all)}`,
    );
  });
});
