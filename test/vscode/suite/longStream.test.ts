/// <reference types="mocha" />
/**
 * A long manifest stream in VS Code (server/src/lsp/progressive.ts). VS Code pulls diagnostics: while the server
 * works through the stream a slice at a time it answers with the documents analysed so far and asks VS Code to pull
 * again, until the Problems hold every document's findings — as many per document as that document alone gets. A
 * hover on the last document is answered meanwhile. The files are written to a temporary folder outside the
 * workspace (the other suites count the workspace's files).
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { hoverText, revertAndCloseAll, waitForDiagnostics } from './editor';

const POD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n      securityContext:\n        runAsUser: 0\n        privileged: true\n';
/** 1,800 Pods: about 340 KB, above the size from which a stream is analysed a slice at a time (256 KiB). */
const COUNT = 1800;
const pod = (i: number) => POD.replace(/name: web/g, `name: web-${i}`);

suite('A long manifest stream', () => {
  const dir = mkdtempSync(join(tmpdir(), 'secctx-long-stream-'));
  teardown(revertAndCloseAll);
  suiteTeardown(() => rmSync(dir, { recursive: true, force: true }));

  test('the Problems end with every document\'s findings, and a hover on the last document is answered', async function () {
    this.timeout(120_000);
    const one = join(dir, 'one.yaml');
    writeFileSync(one, pod(0));
    await vscode.window.showTextDocument(vscode.Uri.file(one));
    const perDocument = (await waitForDiagnostics(vscode.Uri.file(one), (ds) => ds.length > 0, 'the one Pod\'s findings')).length;

    const text = Array.from({ length: COUNT }, (_, i) => pod(i)).join('---\n');
    assert.ok(text.length > 256 * 1024);
    const file = join(dir, 'stream.yaml');
    writeFileSync(file, text);
    const uri = vscode.Uri.file(file);
    const editor = await vscode.window.showTextDocument(uri);
    const last = editor.document.positionAt(text.lastIndexOf(`name: web-${COUNT - 1}`) + 'name: '.length);
    const hovered = vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, last);
    const all = await waitForDiagnostics(uri, (ds) => ds.length === COUNT * perDocument, `${COUNT * perDocument} findings (${perDocument} per Pod)`, 90_000);
    assert.equal(all.filter((d) => d.range.start.line >= editor.document.positionAt(text.lastIndexOf('---')).line).length, perDocument);
    assert.match(hoverText(await hovered), new RegExp(`web-${COUNT - 1}`));
  });
});
