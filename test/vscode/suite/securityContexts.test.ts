/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { POD_LEVEL_CAPS, activeSecctx, askUntil, openFixture, revertAndCloseAll } from './editor';

suite('Security contexts view', () => {
  teardown(revertAndCloseAll);

  test('the view lists the workspace\'s files, workloads and containers with their summaries, as the server streamed them', async () => {
    await openFixture(POD_LEVEL_CAPS);
    await activeSecctx();
    // Opening the view starts the server's scan of the workspace.
    await vscode.commands.executeCommand('secctx.securityContexts.focus');
    const lines = await askUntil(
      () => vscode.commands.executeCommand<string[]>('secctx.securityContexts.snapshot'),
      (tree) => (tree ?? []).some((l) => l.includes('sidecar')),
    );
    const at = lines.findIndex((l) => l.startsWith('pod-level-caps.yaml'));
    assert.ok(at >= 0, `no entry for pod-level-caps.yaml in ${JSON.stringify(lines)}`);
    assert.deepStrictEqual(lines.slice(at + 1, at + 4), [
      '  Pod/pod-level-caps',
      '    app — root · 14 caps',
      '    sidecar — uid 1000 · gid 0',
    ]);
  });
});
