/**
 * A quick fix on a manifest that edits the Dockerfile building its image (a numeric USER) comes over the protocol
 * as a workspace edit the editor shows: `documentChanges` with the Dockerfile written version-less (it is not
 * open) and a change annotation "Edits Dockerfile" on its edit, so VS Code names the file in the refactor preview
 * and opens it, rather than a bare `changes` map; and a command the client runs after the edit, with the other
 * files, so the editor shows or saves them (client/src/extension.ts `secctx.showEditedFiles`, by `files.autoSave`;
 * what the command does in the editor: test/vscode/suite/crossFileFix.test.ts).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CodeAction, Diagnostic } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import { LspClient } from '../support/lsp-client';

const SERVER = join(__dirname, '..', '..', 'dist', 'server.js');
const POD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: api\nspec:\n  securityContext:\n    runAsNonRoot: true\n  containers:\n    - name: api\n      image: myorg/api:1\n';

describe('cross-file quick fix over stdio', () => {
  let client: LspClient;
  const dir = mkdtempSync(join(tmpdir(), 'secctx-cross-file-'));
  const dockerfile = join(dir, 'api', 'Dockerfile');
  const uri = URI.file(join(dir, 'pod.yaml')).toString();

  before(async () => {
    mkdirSync(join(dir, 'api'));
    writeFileSync(join(dir, '.secctx.yaml'), 'images:\n  myorg/api: api/Dockerfile\n');
    writeFileSync(dockerfile, 'FROM debian:12\nRUN useradd -u 10001 app\nUSER app\n');
    // As the VS Code client does: a command to run after a fix that edited other files (it shows or saves them).
    client = await LspClient.start({ command: process.execPath, args: [SERVER, '--stdio'] }, { rootUri: URI.file(dir).toString(), initializationOptions: { editedFilesCommand: 'secctx.showEditedFiles' } });
  });
  after(async () => {
    if (client) assert.equal(await client.shutdown(), 0, client.stderr);
    rmSync(dir, { recursive: true, force: true });
  });

  test('"Use a numeric USER" is documentChanges with an annotation naming the Dockerfile', async () => {
    let mark = client.mark();
    await client.open(uri, POD, 1);
    // The workspace scan links the image to its Dockerfile and re-publishes: wait for the image's verdict.
    let diagnostics: Diagnostic[] = [];
    while (!diagnostics.some((d) => d.code === 'run-as-non-root-violation' && typeof d.message === 'string' && d.message.includes('non-numeric user (app)'))) {
      diagnostics = (await client.waitForDiagnostics(uri, undefined, 10_000, mark)).params.diagnostics;
      mark = client.mark();
    }
    const violation = diagnostics.find((d) => d.code === 'run-as-non-root-violation')!;
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: violation.range, context: { diagnostics: [violation] } });
    const numeric = actions.find((a) => a.title === 'Use a numeric USER 10001:10001 in Dockerfile');
    assert.deepStrictEqual(numeric?.edit, {
      documentChanges: [{
        textDocument: { uri: URI.file(dockerfile).toString(), version: null },
        edits: [{ range: { start: { line: 2, character: 5 }, end: { line: 2, character: 8 } }, newText: '10001:10001', annotationId: `secctx.edits:${URI.file(dockerfile).toString()}` }],
      }],
      changeAnnotations: { [`secctx.edits:${URI.file(dockerfile).toString()}`]: { label: 'Edits Dockerfile', description: dockerfile, needsConfirmation: false } },
    });
    // After the edit the client's command gets the Dockerfile, to open it (auto save off) or save it (on);
    // fixes of this file alone carry no command.
    assert.deepStrictEqual({
      numeric: numeric?.command,
      local: actions.filter((a) => a.edit && !('documentChanges' in a.edit)).map((a) => a.command),
    }, {
      numeric: { title: 'Show the other file this fix edited', command: 'secctx.showEditedFiles', arguments: [[URI.file(dockerfile).toString()]] },
      local: actions.filter((a) => a.edit && !('documentChanges' in a.edit)).map(() => undefined),
    });
  });
});
