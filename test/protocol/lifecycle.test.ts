/**
 * Editor state over the protocol (the built dist/server.js over stdio): requests before `initialize` get
 * ServerNotInitialized (-32002); `initialize` without capabilities works; a repeated version number still
 * re-analyses; closing an edited, unsaved Dockerfile drops its unsaved text from the image index; an untrusted
 * workspace ignores .secctx.yaml as package.json says.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { createMessageConnection, ResponseError, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { URI } from 'vscode-uri';
import { LspClient, withTimeout } from '../support/lsp-client';

const ROOT = path.join(__dirname, '..', '..');
const SERVER = { command: process.execPath, args: [path.join(ROOT, 'dist', 'server.js'), '--stdio'] };
const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'secctx-lifecycle-')));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function rawServer() {
  const child = spawn(SERVER.command, SERVER.args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  connection.listen();
  return { child, connection, stop: () => { connection.dispose(); child.kill(); } };
}

const POD = (sc: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: c\n      image: app:1\n      securityContext:\n${sc}`;

describe('lifecycle', () => {
  test('a request before initialize is answered with ServerNotInitialized (-32002), then initialize works', async () => {
    const { connection, stop } = rawServer();
    try {
      const early = await withTimeout(connection.sendRequest('textDocument/hover', { textDocument: { uri: 'file:///x.yaml' }, position: { line: 0, character: 0 } }).then(
        () => 'answered', (e: unknown) => (e instanceof ResponseError ? e.code : String(e))), 10_000, 'early hover');
      assert.equal(early, -32002);
      const init = await withTimeout(connection.sendRequest<{ capabilities: { hoverProvider?: boolean } }>('initialize', { processId: null, rootUri: null }), 20_000, 'initialize');
      assert.equal(init.capabilities.hoverProvider, true);
    } finally {
      stop();
    }
  });
  test('initialize with empty capabilities and no workspace works, and so does analysis', async () => {
    const { connection, stop } = rawServer();
    try {
      const published = new Promise<unknown[]>((resolve) => connection.onNotification('textDocument/publishDiagnostics', (p: { diagnostics: unknown[] }) => resolve(p.diagnostics)));
      await withTimeout(connection.sendRequest('initialize', { processId: null, rootUri: null, capabilities: {} }), 20_000, 'initialize');
      await connection.sendNotification('initialized', {});
      await connection.sendNotification('textDocument/didOpen', { textDocument: { uri: 'file:///p.yaml', languageId: 'yaml', version: 1, text: POD('        privileged: true\n') } });
      const diagnostics = await withTimeout(published, 20_000, 'diagnostics');
      assert.ok(diagnostics.length > 0);
    } finally {
      stop();
    }
  });
});

describe('editor state', () => {
  test('a repeated version number still re-analyses the new text', async () => {
    const client = await LspClient.start(SERVER, { rootUri: null });
    try {
      const uri = 'file:///repeat.yaml';
      await client.open(uri, POD('        privileged: true\n'), 1);
      const first = await client.waitForDiagnostics(uri, 1, 20_000);
      assert.ok(first.params.diagnostics.some((d) => d.code === 'privileged'));
      const mark = client.mark();
      await client.change(uri, 1, [{ text: POD('        privileged: false\n') }]);
      // Publications after the change (a background re-publication of the old text may come first), until the new text's.
      let second = await client.waitForDiagnostics(uri, undefined, 20_000, mark);
      for (let i = 0; i < 20 && second.params.diagnostics.some((d) => d.code === 'privileged'); i++) second = await client.waitForDiagnostics(uri, undefined, 20_000, client.mark());
      assert.ok(!second.params.diagnostics.some((d) => d.code === 'privileged'), JSON.stringify(second.params.diagnostics.map((d) => d.code)));
    } finally {
      await client.shutdown();
    }
  });

  test('closing an edited, unsaved Dockerfile drops its text from the image index', async () => {
    const root = path.join(tmp, 'linked');
    fs.mkdirSync(root);
    fs.writeFileSync(path.join(root, '.secctx.yaml'), 'images:\n  app: ./Dockerfile\n');
    fs.writeFileSync(path.join(root, 'Dockerfile'), 'FROM scratch\nUSER 1000\n');
    const podPath = path.join(root, 'pod.yaml');
    fs.writeFileSync(podPath, POD('        runAsNonRoot: true\n'));
    const client = await LspClient.start(SERVER, { rootUri: URI.file(root).toString() });
    try {
      const pod = URI.file(podPath).toString();
      const dockerfile = URI.file(path.join(root, 'Dockerfile')).toString();
      const violates = (d: { params: { diagnostics: { code?: unknown }[] } }) => d.params.diagnostics.some((x) => x.code === 'run-as-non-root-violation');
      /** Publications for the pod from `mark` on, until one says `want` (re-publications follow index changes). */
      const until = async (want: boolean, mark: number): Promise<boolean> => {
        for (let i = 0; i < 20; i++) {
          const d = await client.waitForDiagnostics(pod, undefined, 20_000, mark);
          if (violates(d) === want) return want;
          mark = client.mark();
        }
        return !want;
      };
      await client.open(pod, fs.readFileSync(podPath, 'utf8'));
      await client.open(dockerfile, 'FROM scratch\nUSER 1000\n', 1, 'dockerfile');
      const mark = client.mark();
      await client.change(dockerfile, 2, [{ text: 'FROM scratch\nUSER 0\n' }]);
      assert.equal(await until(true, mark), true, 'the unsaved USER 0 decides while open');
      const closing = client.mark();
      await client.close(dockerfile);
      assert.equal(await until(false, closing), false, 'closed without saving: the file on disk (USER 1000) decides again');
    } finally {
      await client.shutdown();
    }
  });

  test('an untrusted workspace does not apply .secctx.yaml (package.json: its rules are ignored)', async () => {
    const root = path.join(tmp, 'untrusted');
    fs.mkdirSync(root);
    fs.writeFileSync(path.join(root, '.secctx.yaml'), 'rules:\n  privileged: off\n');
    const podPath = path.join(root, 'pod.yaml');
    const text = POD('        privileged: true\n');
    const codes = async (trusted: boolean) => {
      const client = await LspClient.start(SERVER, { rootUri: URI.file(root).toString(), initializationOptions: { trusted } });
      try {
        await client.open(URI.file(podPath).toString(), text);
        return (await client.waitForDiagnostics(URI.file(podPath).toString(), 1, 20_000)).params.diagnostics.some((d) => d.code === 'privileged');
      } finally {
        await client.shutdown();
      }
    };
    assert.deepStrictEqual({ trusted: await codes(true), untrusted: await codes(false) }, { trusted: false, untrusted: true });
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { capabilities: { untrustedWorkspaces: { description: string } } };
    assert.match(manifest.capabilities.untrustedWorkspaces.description, /does not apply any \.secctx\.yaml/);
  });
});
