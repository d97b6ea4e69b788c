/**
 * Reading a build's inputs from disk: the kustomization files from a directory down through its
 * resources and components, and every file they load. Remote references are refused here, before
 * kustomize ever runs: a URL (kustomize GETs it) or a git repository spec (kustomize clones it).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isRemoteRef, KUSTOMIZATION_FILE_NAMES, parseKustomization } from '../../engine/kustomize/kustomization';
import type { BuildNode, BuildTree } from '../../engine/kustomize/patches';
import type { Span } from '../../engine/types';

const MAX_FILES = 2000;
const MAX_SIZE = 5 * 1024 * 1024;

/** Something in a kustomization that stops the build, at its place. */
export interface TreeProblem {
  readonly file: string;
  readonly span: Span;
  readonly message: string;
}

export interface ReadTree {
  readonly tree: BuildTree;
  /** Remote references: the build is refused. */
  readonly refused: readonly TreeProblem[];
}

/** The kustomization file of a directory, if it has exactly one. */
export function kustomizationFileIn(dir: string): string | undefined {
  for (const name of KUSTOMIZATION_FILE_NAMES) {
    const file = path.join(dir, name);
    try {
      if (fs.statSync(file).isFile()) return file;
    } catch {
      // next name
    }
  }
  return undefined;
}

/** Reads a build rooted at `dir`; `override` supplies unsaved editor text for a file. */
export function readBuildTree(dir: string, override: (file: string) => string | undefined = () => undefined): ReadTree | undefined {
  const nodes = new Map<string, BuildNode>();
  const files = new Map<string, string>();
  const refused: TreeProblem[] = [];
  const read = (file: string): string | undefined => {
    const open = override(file);
    if (open !== undefined) return open;
    try {
      const stat = fs.statSync(file);
      return stat.isFile() && stat.size <= MAX_SIZE ? fs.readFileSync(file, 'utf8') : undefined;
    } catch {
      return undefined;
    }
  };
  const isDir = (p: string) => { try { return fs.statSync(p).isDirectory(); } catch { return false; } };
  const visit = (root: string): boolean => {
    if (nodes.has(root)) return true;
    const file = kustomizationFileIn(root);
    const text = file && read(file);
    if (!file || text === undefined) return false;
    files.set(file, text);
    const kustomization = parseKustomization(text);
    const children: { dir: string; component: boolean }[] = [];
    nodes.set(root, { dir: root, file, text, kustomization, children });
    for (const ref of kustomization.refs) {
      if (files.size > MAX_FILES) break;
      if (isRemoteRef(ref.value)) {
        refused.push({ file, span: ref.span, message: `Remote ${ref.field} entry ${ref.value}: secctx never fetches remote bases or files, so it does not build this kustomization. Vendor it into the repository to have the build judged.` });
        continue;
      }
      const abs = path.resolve(root, ref.value);
      if (ref.kind !== 'file' && isDir(abs)) {
        if (visit(abs)) children.push({ dir: abs, component: ref.kind === 'component' });
        continue;
      }
      // A missing local path is kustomize's error to report (it tries as a repository only what parses as one: isRemoteRef).
      const content = read(abs);
      if (content !== undefined) files.set(abs, content);
    }
    return true;
  };
  if (!visit(path.resolve(dir))) return undefined;
  return { tree: { root: path.resolve(dir), nodes, files }, refused };
}
