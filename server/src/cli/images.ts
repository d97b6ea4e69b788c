/**
 * The CLI's image index: the same Dockerfile links the language server follows (.secctx.yaml
 * `images:`, Compose build + image, Skaffold), read from the project on disk, so that `secctx check`
 * in CI judges runAsNonRoot and image users as the editor does.
 *
 * The project of an input is the nearest directory above it holding a `.secctx.yaml` or a `.git` (else the
 * input's own directory), plus the directory of each `.secctx.yaml` that applies: links never leave those roots
 * (an `images:` path that does is refused), and checking one file from `/` does not walk `/`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONFIG_FILE_NAMES } from '../engine/config';
import { WorkspaceIndex } from '../host/workspaceIndex';
import type { InputFile } from './files';

function inside(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

const PROJECT_MARKERS = [...CONFIG_FILE_NAMES, '.git'];

/** The nearest directory from `dir` up that holds a project marker, or undefined. */
function markedRoot(dir: string, cache: Map<string, string | undefined>): string | undefined {
  const visited: string[] = [];
  let current = dir;
  let found: string | undefined;
  for (;;) {
    if (cache.has(current)) { found = cache.get(current); break; }
    visited.push(current);
    if (PROJECT_MARKERS.some((m) => fs.existsSync(path.join(current, m)))) { found = current; break; }
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const v of visited) cache.set(v, found);
  return found;
}

/** The roots for these inputs: each input's project (see above) and each applicable config's directory, outermost kept. */
export function projectRoots(inputs: readonly InputFile[], configFiles: readonly string[]): string[] {
  const cache = new Map<string, string | undefined>();
  const candidates = [
    ...configFiles.map((c) => path.dirname(path.resolve(c))),
    ...inputs.map((i) => { const dir = path.dirname(i.absolute); return markedRoot(dir, cache) ?? dir; }),
  ];
  const roots: string[] = [];
  for (const dir of [...new Set(candidates)].sort((a, b) => a.length - b.length)) {
    if (!roots.some((r) => inside(r, dir))) roots.push(dir);
  }
  return roots;
}

/** Scans the roots for Dockerfiles, Compose, Skaffold and .secctx.yaml files (skipping node_modules, .git, …). */
export async function buildImageIndex(roots: readonly string[]): Promise<WorkspaceIndex> {
  const workspace = new WorkspaceIndex(roots.filter((r) => fs.existsSync(r)), true);
  await workspace.scan();
  return workspace;
}
