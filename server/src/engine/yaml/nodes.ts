/**
 * Typed access to parsed YAML nodes. The only place that walks `yaml` nodes generically;
 * model builders use these helpers instead of `any`.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, visit, type Alias, type Document, type Node, type Pair, type YAMLMap, type YAMLSeq, type Scalar } from 'yaml';
import type { Span } from '../types';

/**
 * Aliases and merge keys, resolved as the API server reads them: kubectl and the API server decode
 * manifests with sigs.k8s.io/yaml, i.e. go-yaml v2 (`yamlToJSON` → `yaml.Unmarshal`), which follows every
 * alias (`securityContext: *sc`, `privileged: *yes`) and applies `<<` merge keys in place (decode.go
 * `mapping`/`merge`: entries are set in order, a `<<` sets the merged map's keys where it stands, so
 * whatever comes later wins; in a `<<: [*a, *b]` sequence the earlier map wins).
 */
const aliasTargets = new WeakMap<Alias, Node>();

/**
 * Resolves every alias of a parsed document to the node of the most recent anchor of that name before it,
 * in one walk (yaml's `Alias.resolve` walks the whole document for each alias: quadratic).
 */
export function indexAliases(doc: Document, text: string): void {
  if (!text.includes('*')) return;
  const anchors = new Map<string, Node>();
  visit(doc, {
    Node(_key, node) {
      if (isAlias(node)) {
        const target = anchors.get(node.source);
        if (target) aliasTargets.set(node, target);
      } else if (node.anchor) anchors.set(node.anchor, node);
    },
  });
}

/** The node an alias stands for (the anchor's node), or the node itself. */
export function resolveAlias(node: unknown): unknown {
  return isAlias(node) ? aliasTargets.get(node) : node;
}

/** `*name` when the value is written as an alias. */
export function aliasName(node: unknown): string | undefined {
  return isAlias(node) ? `*${node.source}` : undefined;
}

/** A `<<` merge key: YAML 1.1 (the `yaml` 1.1 schema reads it as a merge symbol), or a plain `<<` (yaml.v3 merges those too). */
export function isMergeKey(key: unknown): boolean {
  return isScalar(key) && (typeof key.value === 'symbol' || (key.value === '<<' && key.type === 'PLAIN'));
}

/** Merge chains are followed this deep and through this many maps per lookup (go-yaml rejects excessive aliasing). */
const MAX_MERGE_DEPTH = 16;
const MAX_MERGE_VISITS = 1000;

/** The maps a merge value brings in, in precedence order (the first wins). */
function mergedMaps(value: unknown): YAMLMap<unknown, unknown>[] {
  const v = resolveAlias(value);
  if (isMap(v)) return [v];
  if (!isSeq(v)) return [];
  const out: YAMLMap<unknown, unknown>[] = [];
  for (const item of v.items) {
    const m = resolveAlias(item);
    if (isMap(m)) out.push(m);
  }
  return out;
}

export type YamlPath = readonly (string | number)[];

export function spanOf(node: Node | null | undefined): Span | undefined {
  const r = node?.range;
  return r ? { start: r[0], end: r[1] } : undefined;
}

export function asMap(node: unknown): YAMLMap<unknown, unknown> | undefined {
  const n = resolveAlias(node);
  return isMap(n) ? n : undefined;
}

export function asSeq(node: unknown): YAMLSeq<unknown> | undefined {
  const n = resolveAlias(node);
  return isSeq(n) ? n : undefined;
}

export function asScalar(node: unknown): Scalar | undefined {
  const n = resolveAlias(node);
  return isScalar(n) ? n : undefined;
}

export function keyName(pair: Pair<unknown, unknown>): string | undefined {
  const k = pair.key;
  if (isScalar(k)) return String(k.value);
  return typeof k === 'string' ? k : undefined;
}

export function pairOf(map: YAMLMap<unknown, unknown> | undefined, key: string): Pair<unknown, unknown> | undefined {
  return map ? findPair(map, key, 0, { visits: 0 }) : undefined;
}

function findPair(map: YAMLMap<unknown, unknown>, key: string, depth: number, budget: { visits: number }): Pair<unknown, unknown> | undefined {
  // The last one wins, as the API server decodes: searched from the end; a `<<` counts where it stands.
  // Every lookup of every rule comes here, so keyName is inlined: a string key compares without String().
  const items = map.items;
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i];
    if (!isPair(item)) continue;
    const k = item.key;
    if (isScalar(k)) {
      if (k.value === key) return item;
      if (typeof k.value === 'symbol' || (k.value === '<<' && k.type === 'PLAIN')) {
        if (depth >= MAX_MERGE_DEPTH) continue;
        for (const merged of mergedMaps(item.value)) {
          if (++budget.visits > MAX_MERGE_VISITS) return undefined;
          const found = findPair(merged, key, depth + 1, budget);
          if (found) return found;
        }
      } else if (typeof k.value !== 'string' && String(k.value) === key) return item;
    } else if (k === key) return item;
  }
  return undefined;
}

export function valueNode(map: YAMLMap<unknown, unknown> | undefined, key: string): Node | undefined {
  const v = resolveAlias(pairOf(map, key)?.value);
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

/**
 * A mapping's entries in order, merge keys expanded where they stand (a merged map's entries carry the
 * anchor's spans) and alias values resolved; a later entry of the same key wins, as in `pairOf`.
 */
export function entries(map: YAMLMap<unknown, unknown> | undefined): Entry[] {
  const out: Entry[] = [];
  if (map) collectEntries(map, out, 0, { visits: 0 });
  return out;
}

function collectEntries(map: YAMLMap<unknown, unknown>, out: Entry[], depth: number, budget: { visits: number }): void {
  for (const item of map.items) {
    if (!isPair(item)) continue;
    if (isMergeKey(item.key)) {
      if (depth >= MAX_MERGE_DEPTH) continue;
      // Earlier maps of a `<<` sequence win: listed last.
      for (const merged of mergedMaps(item.value).reverse()) {
        if (++budget.visits > MAX_MERGE_VISITS) return;
        collectEntries(merged, out, depth + 1, budget);
      }
      continue;
    }
    const key = keyName(item);
    const keySpan = spanOf(item.key as Node);
    if (key === undefined || !keySpan) continue;
    const v = resolveAlias(item.value);
    out.push({ key, pair: item, keySpan, value: v && typeof v === 'object' ? (v as Node) : undefined });
  }
}

/** Nodes converted per `plainOf` call at most: go-yaml v2 rejects a document with excessive aliasing. */
const MAX_PLAIN_NODES = 1_000_000;

/**
 * A node as plain JS, as go-yaml v2 decodes it into `interface{}` (aliases followed, merge keys applied in
 * place, keys as strings the way sigs.k8s.io/yaml's `convertToJSONableObject` writes them). A node reached
 * twice through aliases is converted once and shared; an alias cycle reads as null. Objects have no
 * prototype, so a `__proto__` key is just a key.
 */
export function plainOf(node: unknown): unknown {
  const done = new Map<unknown, unknown>();
  const inProgress = new Set<unknown>();
  let count = 0;
  const convert = (raw: unknown, depth: number): unknown => {
    const n = resolveAlias(raw);
    if (n === undefined || n === null) return null;
    if (isScalar(n)) return typeof n.value === 'symbol' ? '<<' : n.value ?? null;
    if (!isMap(n) && !isSeq(n)) return null;
    if (done.has(n)) return done.get(n);
    if (inProgress.has(n) || ++count > MAX_PLAIN_NODES || depth > 1000) return null;
    inProgress.add(n);
    let result: unknown;
    if (isSeq(n)) result = n.items.map((item) => convert(item, depth + 1));
    else {
      const obj: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
      const apply = (map: YAMLMap<unknown, unknown>, mergeDepth: number): void => {
        for (const item of map.items) {
          if (!isPair(item)) continue;
          if (isMergeKey(item.key)) {
            if (mergeDepth >= MAX_MERGE_DEPTH) continue;
            for (const merged of mergedMaps(item.value).reverse()) {
              if (inProgress.has(merged) || ++count > MAX_PLAIN_NODES) continue;
              inProgress.add(merged);
              apply(merged, mergeDepth + 1);
              inProgress.delete(merged);
            }
            continue;
          }
          const k = resolveAlias(item.key);
          const key = isScalar(k) ? String(k.value) : typeof k === 'string' ? k : undefined;
          if (key !== undefined) obj[key] = convert(item.value, depth + 1);
        }
      };
      apply(n, 0);
      result = obj;
    }
    inProgress.delete(n);
    done.set(n, result);
    return result;
  };
  return convert(node, 0);
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
