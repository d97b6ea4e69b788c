/**
 * The files "Check workspace" analyses: every file under the workspace roots that secctx reads
 * (the engine's file-name rules), skipping dependency, build and VCS folders. Asynchronous, bounded,
 * reads nothing outside the roots and follows no symbolic link.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { detectFileKind } from '../engine/analyze';

const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', 'out', 'vendor', '.code-server', 'target', '.test-results', '.vscode-test']);
export const MAX_WORKSPACE_FILES = 20_000;

export async function workspaceFiles(roots: readonly string[], limit = MAX_WORKSPACE_FILES): Promise<{ files: string[]; truncated: boolean }> {
  const files: string[] = [];
  let truncated = false;
  const walk = async (dir: string): Promise<void> => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (files.length >= limit) { truncated = true; return; }
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name)) await walk(full);
      } else if (entry.isFile()) {
        const kind = detectFileKind(entry.name);
        if (kind !== 'unknown' && kind !== 'config') files.push(full);
      }
    }
  };
  for (const root of roots) await walk(root);
  return { files, truncated };
}
