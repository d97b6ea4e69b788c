/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ALL_CAPABILITIES } from '../../../server/src/engine/capabilities';
import { COMPLETION_CAPS, askUntil, completionLabel, openFixture, positionOf, revertAndCloseAll } from './editor';

suite('Completion', () => {
  teardown(revertAndCloseAll);

  test('inside capabilities.add every Linux capability is offered', async () => {
    const { document } = await openFixture(COMPLETION_CAPS);
    const insideList = positionOf(document, 'add: [', 'add: ['.length);
    const list = await askUntil(
      () => vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, insideList),
      (answer) => answer.items.length > 0,
    );
    const offered = new Set(list.items.map(completionLabel));
    assert.deepStrictEqual(
      ALL_CAPABILITIES.filter((name) => !offered.has(name)),
      [],
      `capabilities missing from the completion list; offered: ${JSON.stringify([...offered])}`,
    );
  });

  test('after runAsNonRoot: true and false are offered', async () => {
    const { document } = await openFixture('dangerous-add.yaml');
    const afterColon = positionOf(document, 'runAsNonRoot: ', 'runAsNonRoot: '.length);
    const values = await askUntil(
      () => vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, afterColon),
      (answer) => answer.items.length > 0,
    );
    assert.deepStrictEqual(values.items.map(completionLabel).filter((l) => l === 'true' || l === 'false').sort(), ['false', 'true']);
  });
});
