/**
 * Keeps the engine's ImageIndex current from the workspace on disk: an initial scan off the typing
 * path (yielding to the event loop between batches), then file-watch events. Reads only files under
 * the workspace roots and never executes anything.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isComposeFileName, isDockerfileName } from '../engine/analyze';
import { ImageIndex } from '../engine/images/index';

const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', 'out', 'vendor', '.code-server', 'target']);
const MAX_FILES = 20000;
const MAX_SIZE = 1024 * 1024;

export function isIndexedFile(file: string): boolean {
  const b = path.basename(file);
  return isDockerfileName(file) || isComposeFileName(file) || /^skaffold\.ya?ml$/i.test(b) || /^\.secctx\.ya?ml$/.test(b);
}

export class WorkspaceIndex {
  readonly index: ImageIndex;
  constructor(readonly roots: readonly string[], trusted: boolean) {
    this.index = new ImageIndex({ roots, followConfigPaths: trusted });
  }

  /** True when `file` is inside a workspace root (the server reads nothing else). */
  contains(file: string): boolean {
    const abs = path.resolve(file);
    return this.roots.some((r) => { const rel = path.relative(r, abs); return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel)); });
  }

  /** Reads one file into the index (or removes it when gone). Returns whether anything changed. */
  refresh(file: string): boolean {
    if (!isIndexedFile(file) || !this.contains(file)) return false;
    let text: string | undefined;
    try {
      const stat = fs.statSync(file);
      if (stat.isFile() && stat.size <= MAX_SIZE) text = fs.readFileSync(file, 'utf8');
    } catch {
      text = undefined;
    }
    if (text === undefined) this.index.remove(file);
    else this.index.update(file, text);
    if (!isDockerfileName(file)) this.checkMissing();
    return true;
  }

  /**
   * Looks for the Dockerfiles that links name but the index was never given (outside the scan's reach, or
   * not there): reads those that exist, marks the others missing so `.secctx.yaml` flags its entry.
   */
  checkMissing(): boolean {
    let changed = false;
    for (const file of this.index.missingDockerfiles()) {
      let exists = false;
      try {
        exists = fs.statSync(file).isFile();
      } catch {
        exists = false;
      }
      if (!exists) changed = this.index.markMissing(file) || changed;
      else if (this.contains(file) && isDockerfileName(file)) changed = this.refresh(file) || changed;
    }
    return changed;
  }

  /** The initial scan, in batches so requests are served in between. */
  async scan(onBatch?: () => void): Promise<number> {
    let seen = 0;
    const stack = [...this.roots];
    while (stack.length && seen < MAX_FILES) {
      const dir = stack.pop()!;
      let entries: fs.Dirent[];
      try {
        entries = await fs.promises.readdir(dir, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const e of entries) {
        const p = path.join(dir, e.name);
        if (e.isDirectory() && !SKIP_DIRS.has(e.name) && !e.isSymbolicLink()) stack.push(p);
        else if (e.isFile() && isIndexedFile(p)) {
          this.refresh(p);
          seen++;
        }
      }
      await new Promise((resolve) => setImmediate(resolve));
      onBatch?.();
    }
    this.checkMissing();
    return seen;
  }
}
