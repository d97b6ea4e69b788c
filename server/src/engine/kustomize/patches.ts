/**
 * Which inputs of a build set which field of a resource: every patch (strategic merge or JSON 6902, in a
 * file or inline in kustomization.yaml) and replacement, in the order kustomize applies them, with the
 * fields it mentions and where. The last input that mentions a field is the one that set it.
 */
import { isMap, isPair, isSeq, parseAllDocuments, type Node } from 'yaml';
import type { Span } from '../types';
import { asMap, asSeq, keyName, pairOf, spanOf, stringAt, valueNode } from '../yaml/nodes';
import { isKeyedList, nodeAt, type FieldPath, type FieldSpans, type FieldStep } from './fieldPath';
import { parseReplacementTargets, type Kustomization, type PatchEntry, type ReplacementTarget, type Selector } from './kustomization';

/** One kustomization of a build, its paths resolved by the host. */
export interface BuildNode {
  readonly dir: string;
  /** The kustomization file. */
  readonly file: string;
  readonly text: string;
  readonly kustomization: Kustomization;
  /** Its `resources`/`bases` entries that are directories, then its `components`, in file order. */
  readonly children: readonly { readonly dir: string; readonly component: boolean }[];
}

/** Everything a build reads: its kustomizations by directory and the text of every file it loads, by absolute path. */
export interface BuildTree {
  readonly root: string;
  readonly nodes: ReadonlyMap<string, BuildNode>;
  readonly files: ReadonlyMap<string, string>;
}

/** A resource as built, for matching patch targets and turning list indices into container names. */
export interface BuiltResource {
  readonly kind: string;
  readonly name: string;
  readonly root: Node | null | undefined;
}

export interface Mention extends FieldSpans {
  readonly path: FieldPath;
  readonly file: string;
  /** The same patch's node at a parent path of `path` (a finding on `securityContext` when the patch sets a field in it). */
  readonly parent?: (path: FieldPath) => FieldSpans | undefined;
}

export interface PatchSource {
  readonly file: string;
  readonly field: PatchEntry['field'] | 'replacements';
  /** The kustomizations from the build's root down to the one holding this input (their name prefixes and suffixes come after it). */
  readonly chain: readonly BuildNode[];
  readonly target?: Selector;
  /** What the patch document names itself (strategic merge patches without a target). */
  readonly own?: Selector;
  readonly mentions: (resource: BuiltResource) => readonly Mention[];
}

export function joinPath(dir: string, rel: string): string {
  if (rel.startsWith('/')) return normalize(rel);
  return normalize(`${dir}/${rel}`);
}

function normalize(p: string): string {
  const out: string[] = [];
  for (const part of p.replace(/\\/g, '/').split('/')) {
    if (part === '..') out.pop();
    else if (part !== '.' && part !== '') out.push(part);
  }
  return (/^[a-zA-Z]:/.test(out[0] ?? '') ? '' : '/') + out.join('/');
}

/** The name a resource had when this kustomization's patches ran: the prefixes and suffixes of it and its parents come later. */
export function nameAtLevel(builtName: string, chain: readonly BuildNode[]): string {
  let name = builtName;
  for (const node of chain) {
    const { namePrefix, nameSuffix } = node.kustomization;
    if (namePrefix && name.startsWith(namePrefix)) name = name.slice(namePrefix.length);
    if (nameSuffix && name.endsWith(nameSuffix)) name = name.slice(0, name.length - nameSuffix.length);
  }
  return name;
}

function matches(sel: Selector, kind: string, name: string): boolean {
  if (sel.kind && sel.kind !== kind) return false;
  if (sel.name && !sel.bySelector) {
    try {
      if (!new RegExp(`^(?:${sel.name})$`).test(name)) return false;
    } catch {
      if (sel.name !== name) return false;
    }
  }
  return true;
}

export function appliesTo(source: PatchSource, resource: BuiltResource): boolean {
  const name = nameAtLevel(resource.name, source.chain);
  if (source.target) return matches(source.target, resource.kind, name);
  if (source.own) return matches(source.own, resource.kind, name);
  return true;
}

type Spans = (span: Span | undefined) => Span | undefined;

/** The leaves a strategic merge patch writes under `node`; list items with a merge key are addressed by it, which is not itself a change. */
function smpLeaves(node: unknown, path: FieldStep[], file: string, at: Spans, out: Mention[], keySpan?: Span): void {
  if (isMap(node) && node.items.length) {
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = keyName(pair);
      if (key === undefined) continue;
      if (path.length === 0 && (key === 'apiVersion' || key === 'kind')) continue;
      if (path.length === 1 && path[0] === 'metadata' && (key === 'name' || key === 'namespace')) continue;
      if (typeof path[path.length - 1] === 'object' && key === 'name') continue;
      smpLeaves(pair.value, [...path, key], file, at, out, spanOf(pair.key as Node));
    }
    return;
  }
  if (isSeq(node) && isKeyedList(path[path.length - 1])) {
    for (const item of node.items) {
      const name = isMap(item) ? stringAt(item, 'name') : undefined;
      if (name === undefined) continue;
      smpLeaves(item, [...path, { name }], file, at, out);
    }
    return;
  }
  if (path.length) out.push({ path, file, keySpan: at(keySpan), valueSpan: at(spanOf(node as Node)) });
}

/** JSON pointer → steps, list indices of keyed lists turned into names as the built resource has them. */
function pointerSteps(pointer: string, built: Node | null | undefined): FieldStep[] {
  const steps: FieldStep[] = [];
  let node: unknown = built;
  for (const raw of pointer.split('/').slice(1)) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (isSeq(node)) {
      const index = part === '-' ? node.items.length - 1 : Number(part);
      const item = node.items[index];
      const name = isKeyedList(steps[steps.length - 1]) && isMap(item) ? stringAt(item, 'name') : undefined;
      steps.push(name !== undefined ? { name } : Number.isInteger(index) ? index : part);
      node = item;
    } else {
      steps.push(part);
      node = isMap(node) ? pairOf(node, part)?.value : undefined;
    }
  }
  return steps;
}

function jsonPatchMentions(root: unknown, file: string, at: Spans, built: BuiltResource): Mention[] {
  const out: Mention[] = [];
  for (const op of asSeq(root)?.items ?? []) {
    const map = asMap(op);
    const pointer = stringAt(map, 'path');
    if (pointer === undefined) continue;
    const path = pointerSteps(pointer, built.root);
    const value = valueNode(map, 'value');
    const pathSpan = at(spanOf(valueNode(map, 'path')));
    if (value && (isMap(value) || isSeq(value))) {
      const leaves: Mention[] = [];
      smpLeaves(value, path, file, at, leaves);
      out.push({ path, file, keySpan: pathSpan, valueSpan: at(spanOf(value)) }, ...leaves);
    } else out.push({ path, file, keySpan: pathSpan, valueSpan: at(spanOf(value)) ?? pathSpan });
  }
  return out;
}

function replacementMentions(targets: readonly ReplacementTarget[], file: string, at: Spans): (resource: BuiltResource, name: string) => Mention[] {
  return (resource, name) => targets.filter((t) => matches(t.select, resource.kind, name)).flatMap((t) => t.fieldPaths.map((f) => ({ path: f.path, file, keySpan: at(f.span), valueSpan: at(f.span) })));
}

/** Every patch and replacement of the build, in application order: a kustomization's resources and components first, then its own. */
export function patchSources(tree: BuildTree): PatchSource[] {
  const out: PatchSource[] = [];
  const visit = (dir: string, chain: readonly BuildNode[], seen: ReadonlySet<string>) => {
    const node = tree.nodes.get(dir);
    if (!node || seen.has(dir)) return;
    const here = [...chain, node];
    const inside = new Set(seen).add(dir);
    for (const child of node.children) if (!child.component) visit(child.dir, here, inside);
    // A component's transformations run inside its parent, before the parent's own: it shares the parent's names.
    for (const child of node.children) if (child.component) visit(child.dir, here, inside);
    for (const patch of node.kustomization.patches) {
      const file = patch.path !== undefined ? joinPath(node.dir, patch.path) : node.file;
      const text = patch.inline ? patch.inline.text : tree.files.get(file);
      if (text === undefined) continue;
      const toFile = patch.inline?.toFile;
      const at: Spans = (s) => (s && toFile ? { start: toFile(s.start), end: toFile(s.end) } : s);
      const docs = parseAllDocuments(text, { uniqueKeys: false, prettyErrors: false, strict: false });
      for (const doc of Array.isArray(docs) ? docs : [docs]) {
        const root = doc.contents;
        if (patch.field === 'patchesJson6902' || isSeq(root)) {
          out.push({ file, field: patch.field, chain: here, ...(patch.target ? { target: patch.target } : {}), mentions: (r) => jsonPatchMentions(root, file, at, r) });
          continue;
        }
        const meta = asMap(valueNode(asMap(root), 'metadata'));
        const own: Selector = { kind: stringAt(asMap(root), 'kind'), name: stringAt(meta, 'name') };
        const leaves: Mention[] = [];
        smpLeaves(root, [], file, at, leaves);
        const parent = (p: FieldPath): FieldSpans | undefined => {
          const n = nodeAt(root, p);
          return n.depth === p.length ? { keySpan: at(n.keySpan), valueSpan: at(n.valueSpan) } : undefined;
        };
        for (let i = 0; i < leaves.length; i++) leaves[i] = { ...leaves[i], parent };
        out.push({ file, field: patch.field, chain: here, ...(patch.target ? { target: patch.target } : {}), own, mentions: () => leaves });
      }
    }
    for (const r of node.kustomization.replacements) {
      let targets = r.targets;
      let file = node.file;
      if (r.path !== undefined) {
        file = joinPath(node.dir, r.path);
        const text = tree.files.get(file);
        if (text === undefined) continue;
        const docs = parseAllDocuments(text, { uniqueKeys: false, prettyErrors: false, strict: false });
        targets = (Array.isArray(docs) ? docs : [docs]).flatMap((d) => {
          const root = d.contents;
          return isSeq(root) ? root.items.flatMap((i) => parseReplacementTargets(valueNode(asMap(i), 'targets'))) : parseReplacementTargets(valueNode(asMap(root), 'targets'));
        });
      }
      const mentionsOf = replacementMentions(targets, file, (s) => s);
      out.push({ file, field: 'replacements', chain: here, mentions: (res) => mentionsOf(res, nameAtLevel(res.name, here)) });
    }
  };
  visit(tree.root, [], new Set());
  return out;
}

