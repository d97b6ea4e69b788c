/**
 * `--fix-dry-run` prints patches that apply: over copies of the examples and the shared corpus
 * (plus a file without a newline at its end and one with a space in its name), every patch passes
 * real `git apply --check`, and applying it gives exactly the files `--fix` writes.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, describe, test } from 'node:test';
import { runCliCaptured } from '../support/cli';

const ROOT = join(__dirname, '..', '..');
/** ../shared/corpus beside the repository (or beside a parent, from a git worktree). */
const CORPUS = [join(ROOT, '..', 'shared', 'corpus'), join(ROOT, '..', '..', 'shared', 'corpus')].find(existsSync) ?? join(ROOT, '..', 'shared', 'corpus');
const work = mkdtempSync(join(tmpdir(), 'secctx-patch-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** A fresh copy of the inputs in `<work>/<name>`. */
function copy(name: string): string {
  const dir = join(work, name);
  cpSync(join(ROOT, 'examples'), join(dir, 'examples'), { recursive: true });
  if (existsSync(CORPUS)) cpSync(CORPUS, join(dir, 'corpus'), { recursive: true });
  // A CAP_ prefix in drop: its fix is safe (in add it would grant the capability containerd ignores today).
  writeFileSync(join(dir, 'no newline.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers:\n    - name: x\n      image: x\n      securityContext:\n        capabilities:\n          drop: ["CAP_SYS_TIME"]');
  return dir;
}

function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[relative(dir, p)] = readFileSync(p, 'latin1');
    }
  };
  walk(dir);
  return out;
}

const runIn = (cwd: string, argv: string[]) => runCliCaptured(argv, { cwd });

describe('--fix-dry-run patches apply with git and equal --fix', () => {
  for (const unsafe of [false, true]) {
    test(unsafe ? 'with --fix-unsafe' : 'safe fixes', async () => {
      const flags = unsafe ? ['--fix-unsafe'] : [];
      const dry = copy(`dry${unsafe ? '-unsafe' : ''}`);
      const fixed = copy(`fixed${unsafe ? '-unsafe' : ''}`);
      const inputs = ['examples', ...(existsSync(join(dry, 'corpus')) ? ['corpus'] : []), 'no newline.yaml'];
      const patch = (await runIn(dry, ['check', '--no-color', ...flags, '--fix-dry-run', ...inputs])).stdout;
      await runIn(fixed, ['check', '--no-color', ...flags, '--fix', ...inputs]);
      const before = tree(dry);
      const check = spawnSync('git', ['apply', '--check', '-v', '-'], { cwd: dry, input: patch, encoding: 'utf8' });
      const apply = spawnSync('git', ['apply', '-'], { cwd: dry, input: patch, encoding: 'utf8' });
      const patched = tree(dry);
      const changed = Object.keys(patched).filter((f) => patched[f] !== before[f]);
      assert.deepStrictEqual(
        { check: { status: check.status, stderr: check.stderr.split('\n').filter((l) => /error|warning|corrupt/i.test(l)) }, apply: apply.status, patched: patch.split('\n').filter((l) => l.startsWith('+++ ')).length > 1, noNewline: changed.includes('no newline.yaml'), same: patched },
        { check: { status: 0, stderr: [] }, apply: 0, patched: true, noNewline: true, same: tree(fixed) },
      );
    });
  }
});
