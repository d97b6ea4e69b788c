/**
 * Typed access to parsed YAML nodes. The only place that walks `yaml` nodes generically;
 * model builders use these helpers instead of `any`.
 */
import { isMap, isPair, isScalar, isSeq, type Node, type Pair, type YAMLMap, type YAMLSeq, type Scalar } from 'yaml';
import type { Span } from '../types';

export type YamlPath = readonly (string | number)[];

export function spanOf(node: Node | null | undefined): Span | undefined {
  const r = node?.range;
  return r ? { start: r[0], end: r[1] } : undefined;
}

export function asMap(node: unknown): YAMLMap<unknown, unknown> | undefined {
  return isMap(node) ? node : undefined;
}

export function asSeq(node: unknown): YAMLSeq<unknown> | undefined {
  return isSeq(node) ? node : undefined;
}

export function asScalar(node: unknown): Scalar | undefined {
  return isScalar(node) ? node : undefined;
}

export function keyName(pair: Pair<unknown, unknown>): string | undefined {
  const k = pair.key;
  if (isScalar(k)) return String(k.value);
  return typeof k === 'string' ? k : undefined;
}

export function pairOf(map: YAMLMap<unknown, unknown> | undefined, key: string): Pair<unknown, unknown> | undefined {
  if (!map) return undefined;
  // The last one wins, as the API server decodes: searched from the end. Every lookup of every rule comes
  // here, so keyName is inlined: a string key compares without String().
  const items = map.items;
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i];
    if (!isPair(item)) continue;
    const k = item.key;
    if (isScalar(k) ? k.value === key || (typeof k.value !== 'string' && String(k.value) === key) : k === key) return item;
  }
  return undefined;
}

export function valueNode(map: YAMLMap<unknown, unknown> | undefined, key: string): Node | undefined {
  const v = pairOf(map, key)?.value;
  return v && typeof v === 'object' ? (v as Node) : undefined;
}

export function mapAt(map: YAMLMap<unknown, unknown> | undefined, key: string): YAMLMap<unknown, unknown> | undefined {
  return asMap(valueNode(map, key));
}

export function seqAt(map: YAMLMap<unknown, unknown> | undefined, key: string): YAMLSeq<unknown> | undefined {
  return asSeq(valueNode(map, key));
}

export function scalarAt(map: YAMLMap<unknown, unknown> | undefined, key: string): Scalar | undefined {
  return asScalar(valueNode(map, key));
}

export function stringAt(map: YAMLMap<unknown, unknown> | undefined, key: string): string | undefined {
  const s = scalarAt(map, key)?.value;
  return typeof s === 'string' ? s : typeof s === 'number' || typeof s === 'boolean' ? String(s) : undefined;
}

/** A scalar that was written as a plain (unquoted) token, so its type is what YAML resolved. */
export function isQuoted(s: Scalar): boolean {
  return s.type === 'QUOTE_DOUBLE' || s.type === 'QUOTE_SINGLE';
}

export interface Entry {
  readonly key: string;
  readonly pair: Pair<unknown, unknown>;
  readonly keySpan: Span;
  readonly value: Node | undefined;
}

export function entries(map: YAMLMap<unknown, unknown> | undefined): Entry[] {
  const out: Entry[] = [];
  for (const item of map?.items ?? []) {
    if (!isPair(item)) continue;
    const key = keyName(item);
    const keySpan = spanOf(item.key as Node);
    if (key === undefined || !keySpan) continue;
    const v = item.value;
    out.push({ key, pair: item, keySpan, value: v && typeof v === 'object' ? (v as Node) : undefined });
  }
  return out;
}

/** The deepest existing node along a path (for findings about a field that is missing). */
export function deepestNode(root: Node | undefined, path: YamlPath): { node: Node | undefined; keySpan?: Span; depth: number } {
  let node: Node | undefined = root;
  let keyPair: Pair<unknown, unknown> | undefined;
  let depth = 0;
  for (const step of path) {
    if (typeof step === 'number') {
      const seq = asSeq(node);
      const item = seq?.items[step];
      if (!item || typeof item !== 'object') break;
      node = item as Node;
      keyPair = undefined;
    } else {
      const map = asMap(node);
      const pair = pairOf(map, step);
      if (!pair) break;
      keyPair = pair;
      node = pair.value && typeof pair.value === 'object' ? (pair.value as Node) : undefined;
      if (!node) { depth++; break; }
    }
    depth++;
  }
  return { node, keySpan: keyPair && spanOf(keyPair.key as Node), depth };
}
