/**
 * The "Security contexts" tree over the protocol: `secctx/tree/scan` walks the workspace and streams
 * `secctx/tree/files` notifications (one entry per file with containers, skipping dependency folders);
 * an open document's entry follows its edits.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { URI } from 'vscode-uri';
import type { TreeFileMessage } from '../../server/src/lsp/tree';
import { LspClient } from '../support/lsp-client';

const ROOT = join(__dirname, '..', '..');
const SERVER = join(ROOT, 'dist', 'server.js');

const pod = (name: string, sc: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\nspec:\n  containers:\n    - name: ${name}\n      image: app:1\n      securityContext: ${sc}\n`;

describe('security contexts tree over stdio', () => {
  let client: LspClient;
  let dir: string;
  const received: TreeFileMessage[] = [];
  let waiter: { uri: string; count: number; resolve: () => void } | undefined;
  /** Resolves once `count` entries for `uri` have arrived (they follow the diagnostics, asynchronously). */
  const entriesFor = (uri: string, count: number) => new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${count} tree entries for ${uri} within 10 s`)), 10_000);
    waiter = { uri, count, resolve: () => { clearTimeout(timer); resolve(); } };
    check();
  });
  const check = () => { if (waiter && received.filter((m) => m.uri === waiter!.uri).length >= waiter.count) waiter.resolve(); };

  before(async () => {
    if (!existsSync(SERVER)) assert.equal(spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8' }).status, 0);
    dir = mkdtempSync(join(tmpdir(), 'secctx-tree-'));
    mkdirSync(join(dir, 'k8s'));
    mkdirSync(join(dir, 'node_modules', 'dep'), { recursive: true });
    writeFileSync(join(dir, 'k8s', 'root.yaml'), pod('web', '{runAsUser: 0}'));
    writeFileSync(join(dir, 'k8s', 'priv.yaml'), pod('agent', '{privileged: true}'));
    writeFileSync(join(dir, 'k8s', 'config.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}\n');
    writeFileSync(join(dir, 'compose.yaml'), 'services:\n  vpn:\n    image: vpn:1\n    user: "1000"\n    cap_add: [NET_ADMIN]\n');
    writeFileSync(join(dir, 'node_modules', 'dep', 'pod.yaml'), pod('ignored', '{}'));
    client = await LspClient.start({ command: process.execPath, args: [SERVER, '--stdio'], cwd: ROOT }, { rootUri: URI.file(dir).toString() });
    client.onNotification<{ files: TreeFileMessage[] }>('secctx/tree/files', (p) => { received.push(...p.files); check(); });
  });

  after(async () => {
    if (client) assert.equal(await client.shutdown(), 0, client.stderr);
    rmSync(dir, { recursive: true, force: true });
  });

  test('a scan streams each file with containers, its workloads, verdicts and summaries; dependency folders are skipped', async () => {
    const result = await client.request<{ files: number; withContainers: number }>('secctx/tree/scan', {});
    assert.deepStrictEqual(result, { files: 4, withContainers: 3 });
    const entries = received.map((m) => [m.uri.slice(URI.file(dir).toString().length), m.file?.verdict, m.file?.workloads.map((w) => [w.label, w.containers.map((c) => [c.name, c.line, c.verdict, c.summary])])]).sort();
    assert.deepStrictEqual(entries, [
      ['/compose.yaml', 'ok', [['compose/vpn', [['vpn', 2, 'ok', 'uid 1000 · +NET_ADMIN']]]]],
      ['/k8s/priv.yaml', 'privileged', [['Pod/agent', [['agent', 6, 'privileged', 'privileged · user unknown']]]]],
      ['/k8s/root.yaml', 'root', [['Pod/web', [['web', 6, 'root', 'root · 14 caps']]]]],
    ]);
  });

  test('an open document sends its entry again after each analysis', async () => {
    received.length = 0;
    const uri = URI.file(join(dir, 'k8s', 'root.yaml')).toString();
    const summaries = () => received.filter((m) => m.uri === uri).map((m) => m.file?.workloads[0].containers[0].summary);
    await client.open(uri, pod('web', '{runAsUser: 0}'));
    await entriesFor(uri, 1);
    // `runAsUser: 0` → `runAsUser: 1000` (line 8, `      securityContext: {runAsUser: 0}`).
    await client.change(uri, 2, [{ range: { start: { line: 7, character: 35 }, end: { line: 7, character: 36 } }, text: '1000' }]);
    // The same version may be analysed again meanwhile (the workspace scan ends and re-judges open files):
    // wait for the edit's entry itself, then compare the sequence without repeats.
    while (!summaries().includes('uid 1000 · gid 0')) await entriesFor(uri, summaries().length + 1);
    assert.deepStrictEqual(summaries().filter((s, i, all) => i === 0 || s !== all[i - 1]), ['root · 14 caps', 'uid 1000 · gid 0']);
  });
});
