/**
 * The one walk of a workspace the language server makes (the image index, the kustomize scan, the
 * "Security contexts" tree and "Check workspace"): depth first in name order, never through a
 * directory link, skipping dependency and build folders and what `.gitignore` ignores, and stopping
 * after `maxEntries` directory entries whatever the tree looks like (a root at `/` or a home folder).
 * It only lists: reading a file, and how much of it, is the caller's decision.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gitIgnored, levelsAtAsync, readGitignoreAsync, type IgnoreLevel } from './gitignore';

/** Folders no walk enters: dependencies, VCS data, build output, tool environments. */
export const SKIP_DIRS: ReadonlySet<string> = new Set(['node_modules', '.git', 'dist', 'out', 'vendor', '.code-server', 'target', '.venv', '__pycache__', '.terraform']);

/** Directory entries looked at, wanted or not, before a walk stops. */
export const MAX_WALK_ENTRIES = 200_000;

export interface WalkOptions {
  /** Which files to yield, by absolute path. */
  readonly wants: (file: string) => boolean;
  readonly maxEntries?: number;
  /** Checked between directories: a newer walk stops an older one. */
  readonly cancelled?: () => boolean;
  /** Leave out what `.gitignore` files ignore (the default), as git and VS Code's search do. */
  readonly gitignore?: boolean;
}

export interface WalkStats {
  /** Entries looked at. */
  entries: number;
  /** Stopped at `maxEntries` before the tree was done. */
  truncated: boolean;
}

/** Yields the wanted regular files under `roots`, in order. `stats` is filled in as the walk goes. */
export async function* walkFiles(roots: readonly string[], options: WalkOptions, stats: WalkStats = { entries: 0, truncated: false }): AsyncGenerator<string> {
  const max = options.maxEntries ?? MAX_WALK_ENTRIES;
  const useIgnore = options.gitignore !== false;
  const stack: { dir: string; levels: readonly IgnoreLevel[] | undefined }[] = [...roots].reverse().map((dir) => ({ dir, levels: undefined }));
  while (stack.length && !options.cancelled?.()) {
    const { dir, levels: given } = stack.pop()!;
    let list: fs.Dirent[];
    try {
      list = await fs.promises.readdir(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    let levels: readonly IgnoreLevel[] = [];
    if (useIgnore) {
      if (given === undefined) levels = await levelsAtAsync(dir);
      else if (list.some((e) => e.name === '.gitignore')) {
        const own = await readGitignoreAsync(dir);
        levels = own ? [...given, own] : given;
      } else levels = given;
    }
    list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subdirs: string[] = [];
    for (const e of list) {
      if (++stats.entries > max) {
        stats.truncated = true;
        return;
      }
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name) && !(useIgnore && gitIgnored(levels, p, true))) subdirs.push(p);
      } else if (e.isFile() && options.wants(p) && !(useIgnore && gitIgnored(levels, p, false))) {
        yield p;
      }
    }
    for (let i = subdirs.length - 1; i >= 0; i--) stack.push({ dir: subdirs[i]!, levels });
    // Lets requests in between directories even when every readdir is served from the cache.
    await new Promise((resolve) => setImmediate(resolve));
  }
}
