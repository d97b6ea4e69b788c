/**
 * A test run never modifies tracked files. The runner snapshots `git diff HEAD` (names and content
 * hashes of tracked files that differ from HEAD) before and after the run and reports any change as
 * a failed test. Outside a git checkout (a tarball) there is nothing to compare.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import type { TestOutcome } from './results';

export type TrackedSnapshot = ReadonlyMap<string, string> | undefined;

/** Tracked files that differ from HEAD, each with the hash of its diff. */
export function snapshotTracked(repoRoot: string): TrackedSnapshot {
  const git = (args: string[]) => spawnSync('git', args, { cwd: repoRoot, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const names = git(['diff', 'HEAD', '--name-only', '-z']);
  if (names.status !== 0) return undefined;
  const snapshot = new Map<string, string>();
  for (const file of names.stdout.split('\0').filter(Boolean)) {
    const diff = git(['diff', 'HEAD', '--no-ext-diff', '--binary', '--', file]);
    snapshot.set(file, createHash('sha256').update(diff.stdout).digest('hex'));
  }
  return snapshot;
}

/** Files whose state relative to HEAD changed between the two snapshots. */
export function changedTracked(before: TrackedSnapshot, after: TrackedSnapshot): string[] {
  if (!before || !after) return [];
  const files = new Set([...before.keys(), ...after.keys()]);
  return [...files].filter((f) => before.get(f) !== after.get(f)).sort();
}

export function trackedOutcome(before: TrackedSnapshot, after: TrackedSnapshot, durationMs: number): TestOutcome {
  const title = 'the run leaves tracked files as they were';
  const changed = changedTracked(before, after);
  if (!before || !after) return { suitePath: ['repository'], title, state: 'pending', durationMs };
  return changed.length
    ? { suitePath: ['repository'], title, state: 'failed', durationMs, error: `modified by the run: ${changed.join(', ')} (screenshots go to docs/images only with SECCTX_UPDATE_SCREENSHOTS=1)` }
    : { suitePath: ['repository'], title, state: 'passed', durationMs };
}
