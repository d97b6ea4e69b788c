/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { POD_LEVEL_CAPS, activeSecctx, diagnosticCode, hasCode, openFixture, positionOf, revertAndCloseAll, waitForDiagnostics } from './editor';

suite('Diagnostics', () => {
  teardown(revertAndCloseAll);

  test('opening a Kubernetes manifest activates secctx', async () => {
    await openFixture(POD_LEVEL_CAPS);
    const extension = await activeSecctx();
    assert.equal(extension.isActive, true);
  });

  test('capabilities in the pod-level securityContext is reported as capabilities-at-pod-level on its key', async () => {
    const { document } = await openFixture(POD_LEVEL_CAPS);
    const diagnostics = await waitForDiagnostics(document.uri, hasCode('capabilities-at-pod-level'), 'a capabilities-at-pod-level diagnostic');
    const finding = diagnostics.find((d) => diagnosticCode(d) === 'capabilities-at-pod-level');
    assert.ok(finding);
    const key = positionOf(document, 'capabilities:');
    const docsLink = typeof finding.code === 'object' ? finding.code.target.toString() : undefined;
    assert.deepStrictEqual(
      {
        code: diagnosticCode(finding),
        severity: vscode.DiagnosticSeverity[finding.severity],
        range: [finding.range.start.line, finding.range.start.character, finding.range.end.line, finding.range.end.character],
        docsLinkNamesTheRule: docsLink?.includes('capabilities-at-pod-level') ?? false,
      },
      {
        code: 'capabilities-at-pod-level',
        severity: 'Error',
        range: [key.line, key.character, key.line, key.character + 'capabilities'.length],
        docsLinkNamesTheRule: true,
      },
    );
  });
});
