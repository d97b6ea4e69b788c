/**
 * Edits to a multi-document manifest over stdio: the server reuses each unchanged YAML document's diagnostics, and
 * what it publishes after every edit (inside a document, lines above others, documents added, removed, joined) and
 * after every change of what the findings depend on beside the text (settings, .secctx.yaml) is what the same text
 * opened afresh gets.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Diagnostic, Position } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import { LspClient } from '../support/lsp-client';

const SERVER = join(__dirname, '..', '..', 'dist', 'server.js');

const pod = (name: string, securityContext: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n    - name: ${name}\n      image: app:1\n      securityContext:\n${securityContext}`;
const STREAM = [
  pod('a', '        runAsUser: 0\n'),
  pod('b', '        capabilities:\n          add: [NET_RAW, CAP_KILL]\n'),
  pod('c', '        privileged: true\n'),
  pod('d', '        allowPrivilegeEscalation: true\n'),
].join('---\n');

function positionOf(text: string, offset: number): Position {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

describe('editing a multi-document manifest over stdio', () => {
  const dir = mkdtempSync(join(tmpdir(), 'secctx-stream-'));
  const uri = URI.file(join(dir, 'stream.yaml')).toString();
  let settings: unknown = { images: { lookup: 'off' } };
  let client: LspClient;
  let text = STREAM;
  let version = 1;
  let fresh = 0;

  /** What the server publishes for `content` opened under a new name in the same folder. */
  async function freshDiagnostics(content: string): Promise<Diagnostic[]> {
    const other = URI.file(join(dir, `fresh-${++fresh}.yaml`)).toString();
    await client.open(other, content, 1);
    const { params } = await client.waitForDiagnostics(other, 1, 20_000);
    await client.close(other);
    return params.diagnostics;
  }

  /** Replaces `from`–`to` (offsets in the current text) and returns the publication of the new version. */
  async function edit(from: number, to: number, insert: string): Promise<Diagnostic[]> {
    const range = { start: positionOf(text, from), end: positionOf(text, to) };
    text = text.slice(0, from) + insert + text.slice(to);
    await client.change(uri, ++version, [{ range, text: insert }]);
    return (await client.waitForDiagnostics(uri, version, 20_000)).params.diagnostics;
  }

  before(async () => {
    client = await LspClient.start({ command: process.execPath, args: [SERVER, '--stdio'] }, { rootUri: URI.file(dir).toString(), configuration: (section) => (section === 'secctx' ? settings : null) });
    await client.open(uri, text, 1);
    await client.waitForDiagnostics(uri, 1, 20_000);
  });
  after(async () => {
    if (client) assert.equal(await client.shutdown(), 0, client.stderr);
    rmSync(dir, { recursive: true, force: true });
  });

  test('edits inside and between documents publish what a fresh open publishes', async () => {
    const steps: [string, () => [number, number, string]][] = [
      ['a value in the second document, longer', () => { const at = text.indexOf('NET_RAW'); return [at, at + 'NET_RAW'.length, 'NET_RAW, SYS_ADMIN']; }],
      ['lines inserted at the top', () => [0, 0, '# one\n# two\n']],
      ['a document inserted in the middle', () => { const at = text.indexOf('---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: c'); return [at, at, `---\n${pod('new', '        runAsUser: 0\n')}`]; }],
      ['a separator removed (two documents joined)', () => { const at = text.indexOf('---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: c'); return [at, at + 4, '']; }],
      ['the first document deleted', () => { const at = text.indexOf('---'); return [0, at + 4, '']; }],
      ['a line removed above the last document', () => { const at = text.indexOf('        allowPrivilegeEscalation'); return [text.lastIndexOf('\n', at - 2) + 1, at, '']; }],
    ];
    for (const [name, step] of steps) {
      const [from, to, insert] = step();
      const published = await edit(from, to, insert);
      assert.deepStrictEqual(published, await freshDiagnostics(text), name);
    }
  });

  test('new settings and a new .secctx.yaml re-judge every document', async () => {
    /** The next publication that differs from `previous` (settings reach the server in steps: window, then folder). */
    async function changedFrom(previous: readonly Diagnostic[], mark: number): Promise<Diagnostic[]> {
      for (;;) {
        const { params } = await client.waitForDiagnostics(uri, undefined, 20_000, mark);
        mark = client.mark();
        if (JSON.stringify(params.diagnostics) !== JSON.stringify(previous)) return params.diagnostics;
      }
    }
    const initial = client.diagnostics(uri)?.params.diagnostics ?? [];
    settings = { images: { lookup: 'off' }, rules: { 'privilege-escalation': 'error' } };
    let mark = client.mark();
    await client.notify('workspace/didChangeConfiguration', { settings: {} });
    const afterSettings = await changedFrom(initial, mark);
    assert.ok(afterSettings.some((d) => d.code === 'privilege-escalation' && d.severity === 1));
    assert.deepStrictEqual(afterSettings, await freshDiagnostics(text));

    // CRI-O's default capabilities lack NET_RAW and have KILL: which added capability is redundant changes.
    writeFileSync(join(dir, '.secctx.yaml'), 'runtime: cri-o\n');
    mark = client.mark();
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: URI.file(join(dir, '.secctx.yaml')).toString(), type: 1 }] });
    const afterConfig = await changedFrom(afterSettings, mark);
    const redundant = (ds: Diagnostic[]) => ds.filter((d) => d.code === 'redundant-capability').map((d) => d.message);
    assert.deepStrictEqual([redundant(afterSettings), redundant(afterConfig)], [["NET_RAW is already in containerd's default capability set: adding it changes nothing."], ["KILL is already in cri-o's default capability set: adding it changes nothing."]]);
    assert.deepStrictEqual(afterConfig, await freshDiagnostics(text));
  });
});
