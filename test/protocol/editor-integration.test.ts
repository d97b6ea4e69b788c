/**
 * What the server gives editors beyond features: per-folder settings (it asks workspace/configuration
 * with each document's scopeUri, so a multi-root workspace gets each folder's profile), the language
 * status (profile, runtime, config file in force) and pull diagnostics (textDocument/diagnostic)
 * where the client supports them.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import { PROBLEM_LINE } from '../../server/src/engine/present/problemLines';
import { LspClient, NO_IMAGE_LOOKUP, type ReceivedDiagnostics } from '../support/lsp-client';

const SERVER = join(__dirname, '..', '..', 'dist', 'server.js');
/** Privileged with a host namespace: errors under every profile, plus restricted-only findings. */
const POD = `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  hostPID: true
  containers:
    - name: app
      image: registry.example/app:1.0
      securityContext: {privileged: true, allowPrivilegeEscalation: false}
`;

const rules = (diagnostics: readonly Diagnostic[]) => [...new Set(diagnostics.map((d) => String(d.code)))].sort();

/** Waits until the latest diagnostics published for `uri` satisfy `accept`. */
async function until(client: LspClient, uri: string, accept: (d: ReceivedDiagnostics) => boolean): Promise<ReceivedDiagnostics> {
  for (;;) {
    const mark = client.mark();
    const latest = client.diagnostics(uri);
    if (latest && accept(latest)) return latest;
    await client.waitForDiagnostics(uri, undefined, 15_000, mark);
  }
}

describe('per-folder settings and language status (multi-root)', () => {
  const root = mkdtempSync(join(tmpdir(), 'secctx-multiroot-'));
  const folders = { lenient: join(root, 'lenient'), strict: join(root, 'strict') };
  const uris = { lenient: URI.file(join(folders.lenient, 'pod.yaml')).toString(), strict: URI.file(join(folders.strict, 'pod.yaml')).toString() };
  const asked: (string | undefined)[] = [];
  let client: LspClient;

  before(async () => {
    for (const dir of Object.values(folders)) mkdirSync(dir);
    writeFileSync(join(folders.strict, '.secctx.yaml'), 'runtime: cri-o\n');
    client = await LspClient.start({ command: process.execPath, args: [SERVER, '--stdio'] }, {
      workspaceFolders: [{ uri: URI.file(folders.lenient).toString(), name: 'lenient' }, { uri: URI.file(folders.strict).toString(), name: 'strict' }],
      configuration: (section, scopeUri) => {
        if (section !== 'secctx') return null;
        asked.push(scopeUri);
        // The `resource` setting profile: privileged in the lenient folder only.
        // Image lookups off: tests talk to loopback only.
        return scopeUri?.startsWith(URI.file(folders.lenient).toString()) ? { ...NO_IMAGE_LOOKUP, profile: 'privileged' } : NO_IMAGE_LOOKUP;
      },
    });
    await client.open(uris.lenient, POD, 1);
    await client.open(uris.strict, POD, 1);
  });
  after(async () => {
    if (client) assert.equal(await client.shutdown(), 0, client.stderr);
    rmSync(root, { recursive: true, force: true });
  });

  test('each folder is judged with its own settings, asked with the document as scopeUri', async () => {
    const lenient = await until(client, uris.lenient, (d) => d.params.diagnostics.every((x) => x.severity === 1));
    const strict = await until(client, uris.strict, (d) => d.params.diagnostics.some((x) => x.severity !== 1));
    assert.ok(lenient.params.diagnostics.length > 0 && rules(lenient.params.diagnostics).length < rules(strict.params.diagnostics).length);
    assert.ok(asked.includes(uris.lenient) && asked.includes(uris.strict), JSON.stringify(asked));
  });

  test('language status: profile, runtime and config file in force, and where each comes from', async () => {
    const [lenient, strict] = await Promise.all([uris.lenient, uris.strict].map((uri) => client.request<unknown>('secctx/status', { uri })));
    assert.deepStrictEqual(lenient, {
      text: 'privileged · containerd',
      detail: 'privileged profile (from settings), containerd (default), newest Kubernetes; no .secctx.yaml',
      profile: { value: 'privileged', source: 'setting' },
      runtime: { value: 'containerd', source: 'default' },
      kubernetesVersion: { source: 'default' },
    });
    assert.deepStrictEqual(strict, {
      text: 'restricted · cri-o',
      detail: 'restricted profile (default), cri-o (from .secctx.yaml), newest Kubernetes; config .secctx.yaml',
      profile: { value: 'restricted', source: 'default' },
      runtime: { value: 'cri-o', source: 'config' },
      kubernetesVersion: { source: 'default' },
      configFile: '.secctx.yaml',
      configUri: URI.file(join(folders.strict, '.secctx.yaml')).toString(),
    });
  });
});

describe('pull diagnostics', () => {
  const dir = mkdtempSync(join(tmpdir(), 'secctx-pull-'));
  const uri = URI.file(join(dir, 'pod.yaml')).toString();
  let pulling: LspClient;
  let pushing: LspClient;

  before(async () => {
    pulling = await LspClient.start({ command: process.execPath, args: [SERVER, '--stdio'] }, {
      rootUri: URI.file(dir).toString(),
      capabilities: { textDocument: { diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false } }, workspace: { configuration: true, diagnostics: { refreshSupport: true } } },
    });
    pushing = await LspClient.start({ command: process.execPath, args: [SERVER, '--stdio'] }, { rootUri: URI.file(dir).toString() });
  });
  after(async () => {
    for (const c of [pulling, pushing]) if (c) assert.equal(await c.shutdown(), 0, c.stderr);
    rmSync(dir, { recursive: true, force: true });
  });

  test('announced only to clients that pull; they get the same diagnostics the others are pushed, and no push', async () => {
    assert.deepStrictEqual(
      [pulling.initializeResult?.capabilities.diagnosticProvider, pushing.initializeResult?.capabilities.diagnosticProvider],
      [{ identifier: 'secctx', interFileDependencies: true, workspaceDiagnostics: false }, undefined],
    );
    await pulling.open(uri, POD, 1);
    await pushing.open(uri, POD, 1);
    const pulled = await pulling.request<{ kind: string; items: Diagnostic[] }>('textDocument/diagnostic', { textDocument: { uri } });
    const pushed = await pushing.waitForDiagnostics(uri, 1);
    await pulling.request('secctx/status', { uri }); // a round trip after the open: any push would have arrived
    assert.deepStrictEqual({ kind: pulled.kind, items: pulled.items, pushedToPuller: pulling.diagnostics(uri) }, { kind: 'full', items: pushed.params.diagnostics, pushedToPuller: undefined });
    assert.ok(pulled.items.length > 0);
  });
});

describe('check workspace', () => {
  const dir = mkdtempSync(join(tmpdir(), 'secctx-check-workspace-'));
  let client: LspClient;

  before(async () => {
    mkdirSync(join(dir, 'k8s'));
    mkdirSync(join(dir, 'node_modules', 'dep'), { recursive: true });
    mkdirSync(join(dir, 'generated'));
    writeFileSync(join(dir, 'k8s', 'pod.yaml'), POD);
    writeFileSync(join(dir, 'node_modules', 'dep', 'pod.yaml'), POD);
    writeFileSync(join(dir, 'generated', 'pod.yaml'), POD);
    writeFileSync(join(dir, 'notes.txt'), 'docker run --privileged alpine\n');
    writeFileSync(join(dir, '.secctx.yaml'), 'ignore: ["generated/**"]\nprofile: privileged\n');
    client = await LspClient.start({ command: process.execPath, args: [SERVER, '--stdio'] }, { rootUri: URI.file(dir).toString() });
  });
  after(async () => {
    if (client) assert.equal(await client.shutdown(), 0, client.stderr);
    rmSync(dir, { recursive: true, force: true });
  });

  test('every file secctx reads, not dependencies or ignored ones, as problem lines; open documents as edited', async () => {
    const closed = await client.request<{ lines: string[]; files: number; errors: number; warnings: number; summary: string }>('secctx/checkWorkspace', {});
    assert.ok(closed.lines.length > 0 && closed.lines.every((l) => l.startsWith(join(dir, 'k8s', 'pod.yaml') + ':')), closed.lines.join('\n'));
    assert.match(closed.lines[0], new RegExp(PROBLEM_LINE));
    assert.deepStrictEqual({ files: closed.files, errors: closed.errors, summary: closed.summary }, { files: 1, errors: closed.lines.length, summary: `1 file checked: ${closed.errors} error${closed.errors === 1 ? '' : 's'}, 0 warnings, 0 other findings` });
    // Unsaved edits count: the open document no longer has the problems.
    const uri = URI.file(join(dir, 'k8s', 'pod.yaml')).toString();
    await client.open(uri, POD.replace('hostPID: true', 'hostPID: false').replace('privileged: true', 'privileged: false'), 1);
    const edited = await client.request<{ lines: string[] }>('secctx/checkWorkspace', {});
    assert.deepStrictEqual(edited.lines, []);
  });
});
