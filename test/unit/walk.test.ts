/**
 * The one workspace walk (host/walk.ts) shared by the image index, the kustomize scan, the Security
 * contexts tree and Check workspace: order, skipped folders, `.gitignore` as git reads it, links,
 * and the entry budget.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { walkFiles, type WalkStats } from '../../server/src/host/walk';
import { workspaceFiles } from '../../server/src/host/workspaceFiles';
import { WorkspaceIndex } from '../../server/src/host/workspaceIndex';

function tree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'secctx-walk-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

async function walked(root: string, options: { gitignore?: boolean; maxEntries?: number } = {}, stats?: WalkStats): Promise<string[]> {
  const out: string[] = [];
  for await (const f of walkFiles([root], { wants: (p) => p.endsWith('.yaml'), ...options }, stats)) out.push(path.relative(root, f));
  return out;
}

test('walks depth first in name order and skips dependency and build folders', async () => {
  const root = tree({ 'b.yaml': '', 'a/z.yaml': '', 'a/b/c.yaml': '', 'node_modules/x/p.yaml': '', '.terraform/m.yaml': '', 'c.txt': '' });
  // A directory's files come before its subdirectories.
  assert.deepEqual(await walked(root), ['b.yaml', 'a/z.yaml', 'a/b/c.yaml']);
});

test('leaves out what .gitignore ignores, nested files and negations included, as git does', async () => {
  const root = tree({
    '.git/HEAD': 'ref: refs/heads/main\n',
    '.gitignore': 'rendered/\n*.generated.yaml\n',
    'deploy/app.yaml': '',
    'deploy/app.generated.yaml': '',
    'rendered/all.yaml': '',
    'deploy/.gitignore': '!keep.generated.yaml\nlocal/\n',
    'deploy/keep.generated.yaml': '',
    'deploy/local/dev.yaml': '',
  });
  assert.deepEqual(await walked(root), ['deploy/app.yaml', 'deploy/keep.generated.yaml']);
  assert.deepEqual((await walked(root, { gitignore: false })).sort(), ['deploy/app.generated.yaml', 'deploy/app.yaml', 'deploy/keep.generated.yaml', 'deploy/local/dev.yaml', 'rendered/all.yaml']);
});

test('a workspace folder inside a repository follows the .gitignore files above it', async () => {
  const repo = tree({ '.git/HEAD': '', '.gitignore': 'tmp/\n', 'svc/app.yaml': '', 'svc/tmp/scratch.yaml': '' });
  assert.deepEqual(await walked(path.join(repo, 'svc')), ['app.yaml']);
});

test('never enters a directory link (a loop or a way out of the workspace)', async () => {
  const outside = tree({ 'secret.yaml': '' });
  const root = tree({ 'a.yaml': '' });
  fs.symlinkSync(outside, path.join(root, 'out-link'));
  fs.symlinkSync(root, path.join(root, 'loop'));
  assert.deepEqual(await walked(root), ['a.yaml']);
});

test('stops after maxEntries entries, wanted or not, and says it stopped', async () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 50; i++) files[`n${String(i).padStart(2, '0')}.txt`] = '';
  files['z.yaml'] = '';
  const root = tree(files);
  const stats: WalkStats = { entries: 0, truncated: false };
  assert.deepEqual(await walked(root, { maxEntries: 20 }, stats), []);
  assert.deepEqual(stats, { entries: 21, truncated: true });
  const full: WalkStats = { entries: 0, truncated: false };
  assert.deepEqual(await walked(root, {}, full), ['z.yaml']);
  assert.deepEqual(full, { entries: 51, truncated: false });
});

test('the Security contexts walk and the image index leave out the same ignored folder (one walk)', async () => {
  const root = tree({
    '.gitignore': 'build/\n',
    'Dockerfile': 'FROM debian\nUSER 1000\n',
    'build/Dockerfile': 'FROM debian\n',
    'k8s/pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: x}]}\n',
    'build/pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: q}\nspec: {containers: [{name: c, image: x}]}\n',
  });
  const seen: string[] = [];
  for await (const f of workspaceFiles([root], { maxFileSize: 1 << 20 })) seen.push(path.relative(root, f.path));
  assert.deepEqual(seen, ['Dockerfile', 'k8s/pod.yaml']);
  const index = new WorkspaceIndex([root], true);
  assert.equal(await index.scan(), 1);
});
