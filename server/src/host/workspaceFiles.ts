/**
 * The files of a workspace that secctx analyses (manifests, Compose files, Dockerfiles, scripts,
 * Makefiles, Markdown), walked off the typing path for the "Security contexts" tree. Reads only regular
 * files under the roots, never follows directory links, skips dependency and build folders, and stops
 * after `maxEntries` directory entries whatever the tree looks like.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { detectFileKind } from '../engine/analyze';
import { SKIP_DIRS as INDEX_SKIP_DIRS } from './workspaceIndex';

/** The index's skipped folders, and tool environments no manifest lives in. */
const SKIP_DIRS = new Set([...INDEX_SKIP_DIRS, '.venv', '__pycache__', '.terraform']);

export interface WorkspaceFile {
  readonly path: string;
  readonly text: string;
}

export interface WalkOptions {
  readonly maxEntries?: number;
  readonly maxFileSize: number;
  /** Checked between directories: a newer scan stops an older one. */
  readonly cancelled?: () => boolean;
}

export async function* workspaceFiles(roots: readonly string[], options: WalkOptions): AsyncGenerator<WorkspaceFile> {
  let entries = 0;
  const max = options.maxEntries ?? 200_000;
  const stack = [...roots].reverse();
  while (stack.length && entries < max && !options.cancelled?.()) {
    const dir = stack.pop()!;
    let list: fs.Dirent[];
    try {
      list = await fs.promises.readdir(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    list.sort((a, b) => a.name.localeCompare(b.name));
    const subdirs: string[] = [];
    for (const e of list) {
      if (++entries > max) break;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) subdirs.push(p);
        continue;
      }
      if (!e.isFile() || detectFileKind(p) === 'unknown' || detectFileKind(p) === 'config') continue;
      try {
        const stat = await fs.promises.stat(p);
        if (!stat.isFile() || stat.size > options.maxFileSize) continue;
        yield { path: p, text: await fs.promises.readFile(p, 'utf8') };
      } catch {
        continue;
      }
    }
    stack.push(...subdirs.reverse());
  }
}
