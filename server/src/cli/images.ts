/**
 * The CLI's image index: the same Dockerfile links the language server follows (.secctx.yaml
 * `images:`, Compose build + image, Skaffold), read from the project on disk, so that `secctx check`
 * in CI judges runAsNonRoot and image users as the editor does.
 *
 * The project is the current directory, plus the directory of each `.secctx.yaml` that applies and
 * each input outside it: links never leave those roots (an `images:` path that does is refused).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { WorkspaceIndex } from '../host/workspaceIndex';
import type { InputFile } from './files';

function inside(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** The roots for these inputs: the working directory, then what lies outside it. */
export function projectRoots(cwd: string, inputs: readonly InputFile[], configFiles: readonly string[]): string[] {
  const roots = [path.resolve(cwd)];
  const add = (dir: string) => { if (!roots.some((r) => inside(r, dir))) roots.push(dir); };
  for (const config of configFiles) add(path.dirname(path.resolve(config)));
  for (const input of inputs) add(path.dirname(input.absolute));
  return roots;
}

/** Scans the roots for Dockerfiles, Compose, Skaffold and .secctx.yaml files (skipping node_modules, .git, …). */
export async function buildImageIndex(roots: readonly string[]): Promise<WorkspaceIndex> {
  const workspace = new WorkspaceIndex(roots.filter((r) => fs.existsSync(r)), true);
  await workspace.scan();
  return workspace;
}
