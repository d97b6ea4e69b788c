/**
 * Opening a long manifest stream over stdio (lsp/progressive.ts): its documents are analysed a slice at a time, so the
 * server answers meanwhile, publishes the top of the file first and every finding at the end — the same ones the
 * engine finds in one go. An edit or a close during the open takes over from it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { after, before, describe, test } from 'node:test';
import type { DocumentDiagnosticReport, Hover, InlayHint, MarkupContent, Position } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import { Analyzer } from '../../server/src/engine/analyze';
import { DEFAULT_OPTIONS } from '../../server/src/engine/options';
import { POD } from '../support/largeInputs';
import { LspClient, withTimeout } from '../support/lsp-client';

const SERVER = join(__dirname, '..', '..', 'dist', 'server.js');
/** About 1.2 MB: seconds of analysis on a slow machine, hundreds of milliseconds on a fast one — many slices either way. */
const COUNT = 3000;

const stream = (count: number) => Array.from({ length: count }, (_, i) => POD.replace(/name: web/g, `name: web-${i}`)).join('---\n');
const findingsOf = (text: string) => new Analyzer().analyze('/s.yaml', text, { ...DEFAULT_OPTIONS, imageFacts: undefined }).findings.length;

function positionOf(text: string, offset: number): Position {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

describe('opening a long manifest stream over stdio', () => {
  const dir = mkdtempSync(join(tmpdir(), 'secctx-long-'));
  const text = stream(COUNT);
  const all = findingsOf(text);
  let client: LspClient;
  let opened = 0;

  const fileUri = () => URI.file(join(dir, `stream-${++opened}.yaml`)).toString();

  /** `$/progress` notifications, in order. */
  const progress: { token: string | number; value: { kind: string; title?: string; message?: string } }[] = [];
  let progressed = () => {};

  before(async () => {
    client = await LspClient.start({ command: process.execPath, args: [SERVER, '--stdio'] }, {
      rootUri: URI.file(dir).toString(),
      timeoutMs: 60_000,
      capabilities: {
        window: { workDoneProgress: true },
        textDocument: { synchronization: { dynamicRegistration: false, didSave: true }, publishDiagnostics: { versionSupport: true, codeDescriptionSupport: true, dataSupport: true }, hover: { contentFormat: ['markdown', 'plaintext'] }, inlayHint: {} },
      },
    });
    client.onNotification<(typeof progress)[number]>('$/progress', (p) => {
      progress.push(p);
      progressed();
    });
  });
  after(async () => {
    await client.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the top of the file is published first, every finding last, and a hover on the last document is answered before that', async () => {
    const uri = fileUri();
    const mark = client.mark();
    await client.open(uri, text, 1);
    const last = text.lastIndexOf('name: web-') + 'name: '.length;
    const hovered = client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: positionOf(text, last) }, 60_000).then((h) => ({ h, at: performance.now() }));
    // What an editor asks for the top of the file it shows.
    const hinted = client.request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 60, character: 0 } } }, 60_000).then((h) => ({ h, at: performance.now() }));
    const first = await client.waitForDiagnostics(uri, 1, 60_000, mark);
    const complete = await client.waitForDiagnosticsMatching(uri, (d) => d.version === 1 && d.diagnostics.length === all, 60_000, mark);
    const hover = await hovered;
    assert.ok(first.params.diagnostics.length > 0 && first.params.diagnostics.length < all, `first publication: ${first.params.diagnostics.length} of ${all}`);
    // The first publication is the complete one's beginning: the documents at the top, in order.
    assert.deepStrictEqual(complete.params.diagnostics.slice(0, first.params.diagnostics.length), first.params.diagnostics);
    assert.match((hover.h?.contents as MarkupContent).value, new RegExp(`web-${COUNT - 1}`));
    assert.ok(hover.at < complete.receivedAt, 'the hover waited for the whole analysis');
    const hints = await hinted;
    assert.ok(hints.at < complete.receivedAt, 'the inlay hints waited for the whole analysis');
    assert.equal(hints.h.length, 4);
    // Shown as work-done progress: begun with the file's name and the documents so far, ended after the last publication.
    const begin = progress.find((p) => p.value.kind === 'begin' && p.value.title === `secctx: analysing ${uri.split('/').pop()}`);
    assert.ok(begin, JSON.stringify(progress));
    assert.match(begin.value.message ?? '', new RegExp(`^[\\d,]+ of ${COUNT.toLocaleString('en')} documents$`));
    await withTimeout(new Promise<void>((resolve) => {
      progressed = () => { if (progress.some((p) => p.token === begin.token && p.value.kind === 'end')) resolve(); };
      progressed();
    }), 60_000, 'the end of the analysis progress');
  });

  test('a client that pulls (right after didOpen, as VS Code does): the top first, then asked to pull again until every finding is there', async () => {
    const pulling = await LspClient.start({ command: process.execPath, args: [SERVER, '--stdio'] }, {
      rootUri: URI.file(dir).toString(),
      timeoutMs: 60_000,
      capabilities: { textDocument: { diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false } }, workspace: { configuration: true, diagnostics: { refreshSupport: true } } },
    });
    try {
      const uri = fileUri();
      await pulling.open(uri, text, 1);
      const pull = () => pulling.request<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri } }, 60_000);
      const counts: number[] = [];
      for (;;) {
        // Waited for from before the pull: a refresh sent while its answer travels is not missed.
        const refreshed = pulling.waitForDiagnosticRefresh(60_000);
        const report = await pull();
        assert.equal(report.kind, 'full');
        counts.push(report.kind === 'full' ? report.items.length : NaN);
        if (counts[counts.length - 1] === all) {
          refreshed.catch(() => undefined);
          break;
        }
        await refreshed;
      }
      assert.ok(counts.length > 1 && counts[0] > 0 && counts.every((n, i) => i === 0 || n >= counts[i - 1]), `pulled ${counts.join(', ')} of ${all}`);
    } finally {
      await pulling.shutdown();
    }
  });

  test('an edit during the open: the new version ends with exactly the findings of its text', async () => {
    const uri = fileUri();
    await client.open(uri, text, 1);
    await client.waitForDiagnostics(uri, 1, 60_000);
    // The last document is no longer privileged.
    const at = text.lastIndexOf('privileged: true') + 'privileged: '.length;
    const edited = text.slice(0, at) + 'false' + text.slice(at + 'true'.length);
    await client.change(uri, 2, [{ range: { start: positionOf(text, at), end: positionOf(text, at + 4) }, text: 'false' }]);
    const expected = findingsOf(edited);
    assert.ok(expected < all);
    const complete = await client.waitForDiagnosticsMatching(uri, (d) => d.version === 2 && d.diagnostics.length === expected, 60_000);
    // Nothing of version 1 comes after: a small file opened next is answered, and the stream's last publication is still this one.
    const small = fileUri();
    await client.open(small, POD, 1);
    await client.waitForDiagnostics(small, 1, 60_000);
    assert.equal(client.diagnostics(uri), complete);
  });

  test('a close during the open: its empty publication is the last', async () => {
    const uri = fileUri();
    await client.open(uri, text, 1);
    await client.waitForDiagnostics(uri, 1, 60_000);
    const mark = client.mark();
    await client.close(uri);
    const closed = await client.waitForDiagnostics(uri, undefined, 60_000, mark);
    const small = fileUri();
    await client.open(small, POD, 1);
    await client.waitForDiagnostics(small, 1, 60_000);
    assert.deepStrictEqual({ closed: closed.params.diagnostics, last: client.diagnostics(uri) }, { closed: [], last: closed });
  });
});
