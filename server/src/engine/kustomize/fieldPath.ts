/**
 * Field paths through a Kubernetes object, the way kustomize's patches address them: map keys, and
 * list items by their merge key (`containers[name=web]`) where the strategic-merge schema has one, so
 * that a path written in a patch and the same field in the built resource compare equal.
 */
import { isMap, isPair, isScalar, isSeq, type Node } from 'yaml';
import type { Span } from '../types';
import { keyName, pairOf, spanOf } from '../yaml/nodes';

/** A map key, a list item by merge key, or a list item by index (lists without a merge key). */
export type FieldStep = string | { readonly name: string } | number;
export type FieldPath = readonly FieldStep[];

/** Lists whose items strategic merge patches merge by `name` (the Kubernetes API's patchMergeKey). */
const KEYED_BY_NAME = new Set(['containers', 'initContainers', 'ephemeralContainers', 'volumes', 'env', 'imagePullSecrets']);

export function isKeyedList(key: FieldStep | undefined): boolean {
  return typeof key === 'string' && KEYED_BY_NAME.has(key);
}

export function stepEquals(a: FieldStep, b: FieldStep): boolean {
  if (typeof a === 'object' && typeof b === 'object') return a.name === b.name;
  return a === b;
}

/** Whether `prefix` is a prefix of (or equal to) `path`. */
export function isPrefix(prefix: FieldPath, path: FieldPath): boolean {
  return prefix.length <= path.length && prefix.every((s, i) => stepEquals(s, path[i]));
}

export function formatPath(path: FieldPath): string {
  let out = '';
  for (const s of path) out += typeof s === 'object' ? `[name=${s.name}]` : typeof s === 'number' ? `[${s}]` : `${out ? '.' : ''}${s}`;
  return out;
}

function itemName(item: unknown): string | undefined {
  if (!isMap(item)) return undefined;
  const v = pairOf(item, 'name')?.value;
  return isScalar(v) && v.value !== null ? String(v.value) : undefined;
}

function contains(node: Node | null | undefined, offset: number): boolean {
  const r = node?.range;
  return !!r && offset >= r[0] && offset < Math.max(r[1], r[0] + 1);
}

/** The field path of the node at `offset` (a key counts as its field), from `root`. */
export function pathAt(root: Node | null | undefined, offset: number): FieldPath {
  const path: FieldStep[] = [];
  let node: Node | null | undefined = root;
  for (;;) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && (contains(p.key as Node, offset) || contains(p.value as Node, offset)));
      const key = pair && keyName(pair);
      if (!pair || key === undefined) return path;
      path.push(key);
      if (contains(pair.key as Node, offset)) return path;
      node = pair.value as Node;
    } else if (isSeq(node)) {
      const index = node.items.findIndex((i) => contains(i as Node, offset));
      if (index < 0) return path;
      const item = node.items[index];
      const name = isKeyedList(path[path.length - 1]) ? itemName(item) : undefined;
      path.push(name !== undefined ? { name } : index);
      node = item as Node;
    } else return path;
  }
}

/** Where a field sits in a file: its key (absent for list items) and its value. */
export interface FieldSpans {
  readonly keySpan?: Span;
  readonly valueSpan?: Span;
}

/** The node at `path` or, when the path does not exist there, its deepest existing ancestor (`depth` says how far it got). */
export function nodeAt(root: Node | null | undefined, path: FieldPath): FieldSpans & { readonly depth: number } {
  let node: Node | null | undefined = root;
  let keySpan: Span | undefined;
  let depth = 0;
  for (const step of path) {
    if (typeof step === 'string') {
      const pair = isMap(node) ? pairOf(node, step) : undefined;
      if (!pair) break;
      keySpan = spanOf(pair.key as Node);
      node = pair.value as Node;
    } else {
      if (!isSeq(node)) break;
      const item = typeof step === 'number' ? node.items[step] : node.items.find((i) => itemName(i) === step.name);
      if (!item) break;
      keySpan = undefined;
      node = item as Node;
    }
    depth++;
  }
  return { keySpan, valueSpan: spanOf(node), depth };
}

/**
 * The same part of a field in another file: a finding on the built resource's key lands on the source's
 * key, one on the value on its value, one over both on both.
 */
export function carrySpan(finding: Span, from: FieldSpans, to: FieldSpans): Span | undefined {
  const same = (a: Span | undefined) => !!a && a.start === finding.start && a.end === finding.end;
  if (same(from.keySpan) && to.keySpan) return to.keySpan;
  if (same(from.valueSpan) && to.valueSpan) return to.valueSpan;
  if (from.keySpan && from.valueSpan && finding.start <= from.keySpan.start && finding.end >= from.valueSpan.end && to.keySpan && to.valueSpan) {
    return { start: to.keySpan.start, end: to.valueSpan.end };
  }
  return to.keySpan ?? to.valueSpan;
}
