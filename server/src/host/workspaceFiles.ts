/**
 * The files of a workspace that secctx analyses (manifests, Compose files, Dockerfiles, scripts,
 * Makefiles, Markdown), read off the typing path for the "Security contexts" tree and "Check
 * workspace": the shared workspace walk (host/walk.ts), then each regular file up to a size.
 */
import * as fs from 'node:fs';
import { detectFileKind } from '../engine/analyze';
import { walkFiles } from './walk';

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

const analysed = (file: string) => { const kind = detectFileKind(file); return kind !== 'unknown' && kind !== 'config'; };

export async function* workspaceFiles(roots: readonly string[], options: WalkOptions): AsyncGenerator<WorkspaceFile> {
  for await (const file of walkFiles(roots, { wants: analysed, maxEntries: options.maxEntries, cancelled: options.cancelled })) {
    try {
      const stat = await fs.promises.stat(file);
      if (!stat.isFile() || stat.size > options.maxFileSize) continue;
      yield { path: file, text: await fs.promises.readFile(file, 'utf8') };
    } catch {
      continue;
    }
  }
}
