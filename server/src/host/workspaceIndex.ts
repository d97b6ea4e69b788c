/**
 * Keeps the engine's ImageIndex current from the workspace on disk: an initial scan off the typing
 * path (yielding to the event loop between batches), then file-watch events. Reads only files under
 * the workspace roots and never executes anything.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isComposeFileName, isDockerfileName } from '../engine/analyze';
import { ImageIndex } from '../engine/images/index';
import { readRegularFile, realPath } from './readFile';
import { MAX_WALK_ENTRIES, walkFiles } from './walk';

const MAX_FILES = 20000;
const MAX_SIZE = 1024 * 1024;

export function isIndexedFile(file: string): boolean {
  const b = path.basename(file);
  return isDockerfileName(file) || isComposeFileName(file) || /^skaffold\.ya?ml$/i.test(b) || /^\.secctx\.ya?ml$/.test(b);
}

function within(roots: readonly string[], abs: string): boolean {
  return roots.some((r) => { const rel = path.relative(r, abs); return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel)); });
}

export class WorkspaceIndex {
  readonly index: ImageIndex;
  /** The roots with their symlinks resolved: where a file really is decides whether it is read. */
  private readonly realRoots: readonly string[];
  constructor(readonly roots: readonly string[], trusted: boolean) {
    this.index = new ImageIndex({ roots, followConfigPaths: trusted });
    this.realRoots = roots.map((r) => realPath(r) ?? path.resolve(r));
  }

  /** True when `file` is inside a workspace root (the server reads nothing else). */
  contains(file: string): boolean {
    return within(this.roots, path.resolve(file));
  }

  /** Reads one file into the index (or removes it when gone). Returns whether anything changed. */
  refresh(file: string): boolean {
    if (!isIndexedFile(file) || !this.contains(file)) return false;
    // A symlink whose target leaves the workspace is not read (a watched-file event names the link).
    const real = realPath(file);
    const read = real !== undefined && within(this.realRoots, real) ? readRegularFile(real, MAX_SIZE) : undefined;
    if (!read || 'problem' in read) this.index.remove(file);
    else this.index.update(file, read.text);
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
      // Whether it exists (its real path, symlinks resolved); refresh reads it only inside the workspace.
      const exists = realPath(file) !== undefined;
      if (!exists) changed = this.index.markMissing(file) || changed;
      else if (this.contains(file) && isDockerfileName(file)) changed = this.refresh(file) || changed;
    }
    return changed;
  }

  /** The initial scan (the shared workspace walk), calling `onBatch` every few files so results can be re-published. */
  async scan(onBatch?: () => void, maxEntries = MAX_WALK_ENTRIES): Promise<number> {
    let seen = 0;
    for await (const file of walkFiles(this.roots, { wants: isIndexedFile, maxEntries })) {
      this.refresh(file);
      if (++seen % 50 === 0) onBatch?.();
      if (seen >= MAX_FILES) break;
    }
    onBatch?.();
    this.checkMissing();
    return seen;
  }
}
