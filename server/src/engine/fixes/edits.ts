/**
 * Minimal YAML text edits at node spans: everything they do not touch stays byte-identical
 * (comments, quoting, flow/block style, indentation). Offsets are into the YAML document chunk
 * the nodes were parsed from.
 *
 * Conventions:
 * - New keys go after the last entry of their map, at its column; nested maps that have to be
 *   created use the indentation step of the nearest nested map (else the file's, else 2).
 * - A flow map or sequence stays flow (`{a: 1}` → `{a: 1, b: 2}`); an empty `{}` that is the value of a
 *   block-map key becomes a block map when something is put in it (`securityContext: {}` → `securityContext:`
 *   with the new keys below), since that is how the rest of such a file is written.
 * - A new list is written in flow style (`drop: ["ALL"]`) unless the caller passes a style (moving a
 *   list keeps the style it had).
 * - Removing the last entry of a map leaves `{}` (the last item of a list, `[]`): the only change that
 *   needs nothing but the map. Fixes that know the map's parents (`removePath`) remove the emptied
 *   parent key instead, up to their root (a container, the pod spec).
 * - Lines keep their line ending (CRLF stays CRLF); a file without a final newline keeps having none.
 */
import { isMap, isPair, isScalar, isSeq, type Node, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import type { Span, TextEdit } from '../types';
import { pairOf } from '../yaml/nodes';

type Collection = YAMLMap<unknown, unknown> | YAMLSeq<unknown>;

// ---------------------------------------------------------------------------------------------
// Text geometry

/** The line break the text uses (that of its first line). */
export function lineBreakOf(text: string): string {
  const nl = text.indexOf('\n');
  return nl > 0 && text[nl - 1] === '\r' ? '\r\n' : '\n';
}

function lineStartAt(text: string, pos: number): number {
  return text.lastIndexOf('\n', pos - 1) + 1;
}

/** The end of the line holding `pos`, before its line break. */
function lineEndAt(text: string, pos: number): number {
  const nl = text.indexOf('\n', pos);
  if (nl < 0) return text.length;
  return nl > 0 && text[nl - 1] === '\r' ? nl - 1 : nl;
}

/** The start of the line after the one holding `pos`, or the text's end when that line is the last. */
function nextLineStart(text: string, pos: number): number {
  const nl = text.indexOf('\n', pos);
  return nl < 0 ? text.length : nl + 1;
}

function columnOf(text: string, pos: number): number {
  return pos - lineStartAt(text, pos);
}

function isBlank(s: string): boolean {
  return /^[ \t]*$/.test(s);
}

function spaces(n: number): string {
  return ' '.repeat(Math.max(0, n));
}

// ---------------------------------------------------------------------------------------------
// Node geometry

type YamlNode = Scalar | YAMLMap<unknown, unknown> | YAMLSeq<unknown>;

function isNode(value: unknown): value is YamlNode {
  return isMap(value) || isSeq(value) || isScalar(value);
}

function rangeOf(node: Node): [number, number] {
  const r = node.range;
  return r ? [r[0], r[1]] : [0, 0];
}

/** A node with text of its own (not the empty value of `key:`). */
function hasSource(node: unknown): node is Node {
  if (!isNode(node) || !node.range) return false;
  return node.range[1] > node.range[0];
}

function isBlockScalar(node: Node): boolean {
  return isScalar(node) && (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED');
}

/** `key:` with nothing, `~` or `null` (an alias is not empty: it stands for a node elsewhere). */
function isEmptyValue(node: unknown): boolean {
  return node === null || node === undefined || (isScalar(node) && node.value === null);
}

/** The node whose text ends a node's content (the last key or value of the last entry, recursively). */
function lastNode(node: Node): Node {
  if ((isMap(node) || isSeq(node)) && !node.flow) {
    const last: unknown = node.items[node.items.length - 1];
    if (isPair(last)) {
      if (hasSource(last.value)) return lastNode(last.value);
      return isNode(last.key) ? last.key : node;
    }
    return hasSource(last) ? lastNode(last) : node;
  }
  return node;
}

/** The last offset of a node's content, trailing whitespace excluded. */
function contentEnd(text: string, node: Node): number {
  const [start, end] = rangeOf(lastNode(node));
  let e = end;
  while (e > start && /[ \t\r\n]/.test(text[e - 1])) e--;
  return e;
}

/**
 * Where lines go that follow a node: the start of the line after its last content line (comments on
 * that line stay with it), or the text's end when that line is the last one and has no line break.
 */
function afterNode(text: string, node: Node): number {
  const last = lastNode(node);
  if (isBlockScalar(last)) return rangeOf(last)[1];
  return nextLineStart(text, contentEnd(text, node));
}

/** The end of the last line a node's content is on (before its line break). */
function contentLineEnd(text: string, node: Node): number {
  const after = afterNode(text, node);
  if (after > 0 && text[after - 1] === '\n') return after - (after > 1 && text[after - 2] === '\r' ? 2 : 1);
  return lineEndAt(text, contentEnd(text, node));
}

function afterPair(text: string, pair: Pair<unknown, unknown>): number {
  if (hasSource(pair.value)) return afterNode(text, pair.value);
  return isNode(pair.key) ? afterNode(text, pair.key) : 0;
}

/** Where a pair's text ends on its last line (value, or key when the value is empty). */
function pairEnd(pair: Pair<unknown, unknown>): number {
  if (hasSource(pair.value)) return rangeOf(pair.value)[1];
  return isNode(pair.key) ? rangeOf(pair.key)[1] : 0;
}

function pairStart(pair: Pair<unknown, unknown>): number {
  return isNode(pair.key) ? rangeOf(pair.key)[0] : 0;
}

/** The `:` after a key, or -1. */
function colonAfter(text: string, pair: Pair<unknown, unknown>): number {
  if (!isNode(pair.key)) return -1;
  let i = rangeOf(pair.key)[1];
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  return text[i] === ':' ? i : -1;
}

/** The `-` indicator before a block sequence item, or -1. */
function dashBefore(text: string, itemStart: number): number {
  let i = itemStart - 1;
  while (i >= 0 && (text[i] === ' ' || text[i] === '\t')) i--;
  return i >= 0 && text[i] === '-' ? i : -1;
}

/** Where an item of a collection starts: a pair's key, a block sequence item's `-`. */
function itemStart(text: string, coll: Collection, index: number): number {
  const item: unknown = coll.items[index];
  if (isPair(item)) return pairStart(item);
  const start = isNode(item) ? rangeOf(item)[0] : 0;
  if (coll.flow) return start;
  const dash = dashBefore(text, start);
  return dash >= 0 ? dash : start;
}

/** Where the node of an item starts (after a sequence's `-`). */
function itemNodeStart(coll: Collection, index: number): number {
  const item: unknown = coll.items[index];
  if (isPair(item)) return pairStart(item);
  return isNode(item) ? rangeOf(item)[0] : 0;
}

function itemEnd(coll: Collection, index: number): number {
  const item: unknown = coll.items[index];
  if (isPair(item)) return pairEnd(item);
  return isNode(item) ? rangeOf(item)[1] : 0;
}

function afterItem(text: string, coll: Collection, index: number): number {
  const item: unknown = coll.items[index];
  if (isPair(item)) return afterPair(text, item);
  return isNode(item) ? afterNode(text, item) : 0;
}

/** Lines inserted at a line start (or, at the end of a text without a final newline, after a line break). */
function insertLines(text: string, at: number, lines: readonly string[], eol: string): TextEdit {
  const body = lines.join(eol);
  if (at === 0 || text[at - 1] === '\n') return { start: at, end: at, newText: body + eol };
  return { start: at, end: at, newText: eol + body };
}

// ---------------------------------------------------------------------------------------------
// Indentation

const unitCache = new Map<string, number>();

/** The indentation step of a file: the most common step from a `key:` line to the first key below it. */
export function fileIndentUnit(text: string): number {
  const hit = unitCache.get(text);
  if (hit !== undefined) return hit;
  const lines = text.split('\n');
  const counts = new Map<number, number>();
  let previous: { col: number; opens: boolean } | undefined;
  for (const raw of lines) {
    const line = raw.replace(/\r$/, '');
    if (isBlank(line) || /^\s*#/.test(line)) continue;
    const indent = /^ */.exec(line)?.[0].length ?? 0;
    const isItem = line[indent] === '-';
    if (previous?.opens && !isItem && indent > previous.col) counts.set(indent - previous.col, (counts.get(indent - previous.col) ?? 0) + 1);
    const keyCol = /^[ ]*(?:-[ ]+)*/.exec(line)?.[0].length ?? 0;
    previous = { col: keyCol, opens: /^[^#'"]*:\s*(#.*)?$/.test(line.slice(keyCol)) };
  }
  let unit = 2;
  let best = 0;
  for (const [step, n] of counts) if (n > best || (n === best && step < unit)) [unit, best] = [step, n];
  if (unitCache.size > 64) unitCache.clear();
  unitCache.set(text, unit);
  return unit;
}

/** The indentation step for new maps under `map`: that of a nested block map in it, else the file's. */
function indentUnitNear(text: string, map: YAMLMap<unknown, unknown>): number {
  if (!map.flow && map.items.length > 0) {
    const col = columnOf(text, pairStart(map.items[0] as Pair<unknown, unknown>));
    for (const item of map.items) {
      if (!isPair(item) || !isMap(item.value) || item.value.flow || item.value.items.length === 0) continue;
      const childCol = columnOf(text, pairStart(item.value.items[0] as Pair<unknown, unknown>));
      if (childCol > col) return childCol - col;
    }
  }
  return fileIndentUnit(text);
}

// ---------------------------------------------------------------------------------------------
// Scalars

export type Quote = '"' | "'" | '';

const PLAIN_SAFE = /^[A-Za-z_/][A-Za-z0-9_./-]*$/;
const PLAIN_KEYWORD = /^(true|false|null|yes|no|on|off|y|n)$/i;

/** A string as a YAML scalar in the given quotes; plain when asked and safe, else double-quoted. */
export function scalarText(value: string, quote: Quote): string {
  if (quote === "'") return `'${value.replace(/'/g, "''")}'`;
  if (quote === '' && PLAIN_SAFE.test(value) && !PLAIN_KEYWORD.test(value)) return value;
  return JSON.stringify(value);
}

export function quoteOf(node: unknown): Quote {
  if (!isScalar(node)) return '';
  return node.type === 'QUOTE_DOUBLE' ? '"' : node.type === 'QUOTE_SINGLE' ? "'" : '';
}

// ---------------------------------------------------------------------------------------------
// Values to write

/** How a new list is written: flow (`[a, b]`) or block, with `-` at `dashOffset` columns right of its key. */
export interface ListStyle {
  readonly flow: boolean;
  readonly quote: Quote;
  /** Block style: 0 = flush (`- x` at the key's column), 2 = indented by two. */
  readonly dashOffset?: number;
}

export const FLOW_LIST: ListStyle = { flow: true, quote: '"' };

/**
 * What goes at the end of a path: a one-line YAML value (`true`, `RuntimeDefault`, `[1, 2]`), a list to merge
 * into (union, order kept), or a block value copied from elsewhere (its lines, indented relative to its key).
 */
export type Leaf =
  | { readonly kind: 'value'; readonly text: string }
  | { readonly kind: 'list'; readonly items: readonly string[]; readonly style?: ListStyle }
  | { readonly kind: 'block'; readonly lines: readonly string[] };

export interface Change {
  /** Keys from the owner map. */
  readonly path: readonly string[];
  readonly leaf: Leaf;
}

type Tree = Map<string, Tree | Leaf>;

function isLeaf(x: Tree | Leaf): x is Leaf {
  return !(x instanceof Map);
}

function treeOf(changes: readonly Change[]): Tree | undefined {
  const root: Tree = new Map();
  for (const { path, leaf } of changes) {
    if (path.length === 0) return undefined;
    let node = root;
    for (let i = 0; i < path.length - 1; i++) {
      const next = node.get(path[i]) ?? new Map();
      if (isLeaf(next)) return undefined;
      node.set(path[i], next);
      node = next;
    }
    if (node.has(path[path.length - 1])) return undefined;
    node.set(path[path.length - 1], leaf);
  }
  return root;
}

function uniqueItems(items: readonly string[], existing: readonly string[] = []): string[] {
  const out: string[] = [];
  for (const item of items) if (!existing.includes(item) && !out.includes(item)) out.push(item);
  return out;
}

function flowList(items: readonly string[], quote: Quote): string {
  return `[${items.map((i) => scalarText(i, quote)).join(', ')}]`;
}

/** The value in flow style, or undefined when it cannot be (a copied block value). */
function renderFlow(sub: Tree | Leaf): string | undefined {
  if (isLeaf(sub)) {
    if (sub.kind === 'value') return sub.text;
    if (sub.kind === 'list') return flowList(uniqueItems(sub.items), sub.style?.quote ?? FLOW_LIST.quote);
    return undefined;
  }
  const parts: string[] = [];
  for (const [key, child] of sub) {
    const value = renderFlow(child);
    if (value === undefined) return undefined;
    parts.push(`${key}: ${value}`);
  }
  return `{${parts.join(', ')}}`;
}

/** Lines of the value under a key at column `col` (the key's own line not included). */
function renderBelow(sub: Tree | Leaf, col: number, unit: number): string[] | undefined {
  if (isLeaf(sub)) {
    if (sub.kind === 'block') return sub.lines.map((l) => (isBlank(l) ? '' : spaces(col) + l));
    if (sub.kind === 'list' && sub.style && !sub.style.flow) {
      const quote = sub.style.quote;
      return uniqueItems(sub.items).map((i) => `${spaces(col + (sub.style?.dashOffset ?? unit))}- ${scalarText(i, quote)}`);
    }
    return undefined;
  }
  const lines: string[] = [];
  for (const [key, child] of sub) {
    const entry = renderEntry(key, child, col + unit, unit);
    if (!entry) return undefined;
    lines.push(...entry);
  }
  return lines;
}

/** `key: value` lines at column `col`. */
function renderEntry(key: string, sub: Tree | Leaf, col: number, unit: number): string[] | undefined {
  const below = renderBelow(sub, col, unit);
  if (below) return [`${spaces(col)}${key}:`, ...below];
  const inline = renderFlow(sub);
  return inline === undefined ? undefined : [`${spaces(col)}${key}: ${inline}`];
}

// ---------------------------------------------------------------------------------------------
// The writer

class Writer {
  readonly edits: TextEdit[] = [];
  failed = false;
  readonly eol: string;
  constructor(readonly text: string) {
    this.eol = lineBreakOf(text);
  }

  edit(start: number, end: number, newText: string): void {
    this.edits.push({ start, end, newText });
  }

  /** Applies a tree of changes below a map. */
  map(map: YAMLMap<unknown, unknown>, tree: Tree): void {
    const missing: [string, Tree | Leaf][] = [];
    for (const [key, sub] of tree) {
      const pair = pairOf(map, key);
      if (!pair) {
        missing.push([key, sub]);
        continue;
      }
      if (isLeaf(sub)) this.leaf(map, pair, sub);
      else if (isMap(pair.value) && (pair.value.items.length > 0 || map.flow)) this.map(pair.value, sub);
      else if (isEmptyValue(pair.value) || (isMap(pair.value) && pair.value.items.length === 0)) this.fill(map, pair, sub);
      else this.failed = true;
    }
    if (missing.length > 0) this.insertEntries(map, missing);
  }

  private insertEntries(map: YAMLMap<unknown, unknown>, entries: readonly [string, Tree | Leaf][]): void {
    const { text } = this;
    if (map.flow) {
      const parts: string[] = [];
      for (const [key, sub] of entries) {
        const value = renderFlow(sub);
        if (value === undefined) return void (this.failed = true);
        parts.push(`${key}: ${value}`);
      }
      if (map.items.length === 0) this.edit(rangeOf(map)[0] + 1, rangeOf(map)[0] + 1, parts.join(', '));
      else {
        const end = itemEnd(map, map.items.length - 1);
        this.edit(end, end, `, ${parts.join(', ')}`);
      }
      return;
    }
    const first = map.items[0];
    if (!isPair(first)) return void (this.failed = true);
    const col = columnOf(text, pairStart(first));
    const unit = indentUnitNear(text, map);
    const lines: string[] = [];
    for (const [key, sub] of entries) {
      const entry = renderEntry(key, sub, col, unit);
      if (!entry) return void (this.failed = true);
      lines.push(...entry);
    }
    this.edits.push(insertLines(text, afterNode(text, map), lines, this.eol));
  }

  /** Puts a value where a key has none (`key:`, `key: ~`, `key: {}`). */
  private fill(map: YAMLMap<unknown, unknown>, pair: Pair<unknown, unknown>, sub: Tree | Leaf): void {
    const { text } = this;
    const colon = colonAfter(text, pair);
    if (colon < 0) return void (this.failed = true);
    const token = hasSource(pair.value) ? rangeOf(pair.value) : undefined;
    const unit = indentUnitNear(text, map);
    const keyCol = isNode(pair.key) ? columnOf(text, rangeOf(pair.key)[0]) : 0;
    const below = map.flow ? undefined : renderBelow(sub, keyCol, unit);
    if (below) {
      const lineEnd = lineEndAt(text, token ? token[1] : colon + 1);
      // Whatever followed the colon or the replaced `~`/`{}` on that line (a comment) stays on it.
      const rest = text.slice(token ? token[1] : colon + 1, lineEnd);
      this.edit(colon + 1, lineEnd, rest + this.eol + below.join(this.eol));
      return;
    }
    const inline = renderFlow(sub);
    if (inline === undefined) return void (this.failed = true);
    if (token) this.edit(token[0], token[1], inline);
    else this.edit(colon + 1, colon + 1, ` ${inline}`);
  }

  private leaf(map: YAMLMap<unknown, unknown>, pair: Pair<unknown, unknown>, leaf: Leaf): void {
    const { text } = this;
    const value = pair.value;
    if (leaf.kind === 'list' && isSeq(value)) return this.appendItems(value, leaf.items, leaf.style);
    if (isEmptyValue(value)) return this.fill(map, pair, leaf);
    if (leaf.kind === 'list') {
      // A single name where a list belongs (`drop: ALL`): keep it as the list's first item.
      if (!isScalar(value) || isBlockScalar(value) || typeof value.value !== 'string') return void (this.failed = true);
      const items = uniqueItems(leaf.items, [value.value]);
      const quote = quoteOf(value);
      if (items.length === 0) return this.edit(rangeOf(value)[0], rangeOf(value)[1], `[${text.slice(...rangeOf(value))}]`);
      return this.edit(rangeOf(value)[0], rangeOf(value)[1], `[${[text.slice(...rangeOf(value)), ...items.map((i) => scalarText(i, quote))].join(', ')}]`);
    }
    if (!isNode(value)) return void (this.failed = true);
    if (leaf.kind === 'value' && !isBlockScalar(value) && (isScalar(value) || value.flow)) {
      const [start, end] = rangeOf(value);
      if (text.slice(start, end) !== leaf.text) this.edit(start, end, leaf.text);
      return;
    }
    // A block value replaced: from after the colon to the end of its last line.
    const colon = colonAfter(text, pair);
    if (colon < 0 || map.flow) return void (this.failed = true);
    const end = contentLineEnd(text, value);
    if (leaf.kind === 'value') return this.edit(colon + 1, end, ` ${leaf.text}`);
    const keyCol = isNode(pair.key) ? columnOf(text, rangeOf(pair.key)[0]) : 0;
    const below = renderBelow(leaf, keyCol, indentUnitNear(text, map));
    if (!below) return void (this.failed = true);
    this.edit(colon + 1, end, this.eol + below.join(this.eol));
  }

  /** Adds the items a sequence lacks, in its style (flow or block, its quoting, its `-` column). */
  appendItems(seq: YAMLSeq<unknown>, items: readonly string[], style?: ListStyle): void {
    const { text } = this;
    const existing = seq.items.filter(isScalar).map((s) => String(s.value));
    const add = uniqueItems(items, existing);
    if (add.length === 0) return;
    const firstScalar = seq.items.find(isScalar);
    const quote = firstScalar ? quoteOf(firstScalar) : style?.quote ?? FLOW_LIST.quote;
    const rendered = add.map((i) => scalarText(i, quote));
    if (seq.flow) {
      if (seq.items.length === 0) this.edit(rangeOf(seq)[0] + 1, rangeOf(seq)[0] + 1, rendered.join(', '));
      else {
        const end = itemEnd(seq, seq.items.length - 1);
        this.edit(end, end, `, ${rendered.join(', ')}`);
      }
      return;
    }
    const lastIndex = seq.items.length - 1;
    const start = itemNodeStart(seq, lastIndex);
    const dash = dashBefore(text, start);
    if (dash < 0) return void (this.failed = true);
    const gap = text.slice(dash + 1, start);
    const lines = rendered.map((r) => `${spaces(columnOf(text, dash))}-${/^[ \t]+$/.test(gap) ? gap : ' '}${r}`);
    this.edits.push(insertLines(text, afterNode(text, seq), lines, this.eol));
  }
}

/** Sorts edits (stably) and merges insertions at the same offset, in the order they were made. */
export function normalizeEdits(edits: readonly TextEdit[]): TextEdit[] {
  if (edits.length < 2) return [...edits];
  const sorted = edits.map((e, i) => ({ e, i })).sort((a, b) => a.e.start - b.e.start || a.e.end - b.e.end || a.i - b.i).map((x) => x.e);
  const out: TextEdit[] = [];
  for (const e of sorted) {
    const prev = out[out.length - 1];
    if (prev && prev.start === prev.end && e.start === e.end && prev.start === e.start) out[out.length - 1] = { start: e.start, end: e.end, newText: prev.newText + e.newText };
    else out.push(e);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Public builders

/**
 * Writes several values below `owner` in one set of edits (keys created once, even when two values
 * share a new parent). No edits when a path runs into a value that is not a map, or when nothing changes.
 */
export function writeChanges(text: string, owner: YAMLMap<unknown, unknown>, changes: readonly Change[]): TextEdit[] {
  return tryWriteChanges(text, owner, changes) ?? [];
}

/** As writeChanges, but undefined when the changes cannot be written (a path through a scalar, a block value into flow). */
export function tryWriteChanges(text: string, owner: YAMLMap<unknown, unknown>, changes: readonly Change[]): TextEdit[] | undefined {
  const tree = treeOf(changes);
  if (!tree) return undefined;
  const writer = new Writer(text);
  writer.map(owner, tree);
  return writer.failed ? undefined : normalizeEdits(writer.edits);
}

/** Sets `owner.path[0].path[1]…` to the YAML text `valueYaml`, creating missing maps in the file's own indentation style; replaces an existing value. */
export function setField(text: string, owner: YAMLMap<unknown, unknown>, path: readonly string[], valueYaml: string): TextEdit[] {
  return writeChanges(text, owner, [{ path, leaf: { kind: 'value', text: valueYaml } }]);
}

/** Adds items (union, order kept, no duplicates) to the list at `owner.path`, keeping its flow/block style or creating it (in `style`, by default `["A", "B"]`). */
export function appendToList(text: string, owner: YAMLMap<unknown, unknown>, path: readonly string[], items: readonly string[], style: ListStyle = FLOW_LIST): TextEdit[] {
  return writeChanges(text, owner, [{ path, leaf: { kind: 'list', items, style } }]);
}

/**
 * Removes items of a map or sequence: whole lines in block style (a trailing comment on them goes too; comment
 * lines around them stay), `, item` in flow style. Removing every item leaves `{}` or `[]`.
 */
function removeItems(text: string, coll: Collection, indices: readonly number[]): TextEdit[] {
  const n = coll.items.length;
  const remove = indices.length === 1 ? indices.filter((i) => i >= 0 && i < n) : [...new Set(indices)].filter((i) => i >= 0 && i < n).sort((a, b) => a - b);
  if (remove.length === 0) return [];
  if (remove.length === n) return emptyCollection(text, coll);
  const runs: [number, number][] = [];
  for (const i of remove) {
    const last = runs[runs.length - 1];
    if (last && last[1] === i - 1) last[1] = i;
    else runs.push([i, i]);
  }
  const edits: TextEdit[] = [];
  for (const [a, b] of runs) {
    if (coll.flow) {
      if (b < n - 1) edits.push({ start: itemNodeStart(coll, a), end: itemNodeStart(coll, b + 1), newText: '' });
      else edits.push({ start: itemEnd(coll, a - 1), end: itemEnd(coll, b), newText: '' });
      continue;
    }
    const start = itemStart(text, coll, a);
    if (isBlank(text.slice(lineStartAt(text, start), start))) {
      let from = lineStartAt(text, start);
      const to = afterItem(text, coll, b);
      // The text's last line, without a line break: the line break before it goes instead, so none is added.
      if (to === text.length && !text.endsWith('\n') && from > 0) from -= from > 1 && text[from - 2] === '\r' ? 2 : 1;
      edits.push({ start: from, end: to, newText: '' });
    } else {
      // The first item shares its line with a parent's `-` (`- name: x`): the next item moves up.
      edits.push({ start: itemNodeStart(coll, a), end: itemNodeStart(coll, b + 1), newText: '' });
    }
  }
  return edits;
}

/** Replaces a collection's content by `{}` or `[]`. */
function emptyCollection(text: string, coll: Collection): TextEdit[] {
  const empty = isMap(coll) ? '{}' : '[]';
  const [start, end] = rangeOf(coll);
  if (coll.flow) return text.slice(start, end) === empty ? [] : [{ start, end, newText: empty }];
  const first = itemStart(text, coll, 0);
  const last = contentLineEnd(text, coll);
  if (isBlank(text.slice(lineStartAt(text, first), first))) {
    let i = lineStartAt(text, first) - 1;
    while (i >= 0 && /[ \t\r\n]/.test(text[i])) i--;
    const inComment = /(^|\s)#/.test(text.slice(lineStartAt(text, i), i + 1));
    if (i >= 0 && !inComment && (text[i] === ':' || text[i] === '-')) return [{ start: i + 1, end: last, newText: ` ${empty}` }];
  }
  return [{ start: first, end: last, newText: empty }];
}

/** Removes the `key: value` pair (its whole lines, with a trailing comment on them) from a block or flow map; the last one leaves `{}`. */
export function removeField(text: string, map: YAMLMap<unknown, unknown>, key: string): TextEdit[] {
  const indices: number[] = [];
  map.items.forEach((item, i) => {
    if (isPair(item) && keyOf(item) === key) indices.push(i);
  });
  return removeItems(text, map, indices);
}

function keyOf(pair: Pair<unknown, unknown>): string | undefined {
  return isScalar(pair.key) ? String(pair.key.value) : undefined;
}

/** Removes one item of a block or flow sequence; the last one leaves `[]`. */
export function removeListItem(text: string, seq: YAMLSeq<unknown>, index: number): TextEdit[] {
  return removeItems(text, seq, [index]);
}

/** Removes several items of a sequence at once. */
export function removeListItems(text: string, seq: YAMLSeq<unknown>, indices: readonly number[]): TextEdit[] {
  return removeItems(text, seq, indices);
}

/**
 * Removes `root.path[0]…path[n-1]`; when that empties its map, the map's own key goes instead, and so on up
 * to (never including) `root` itself: removing `capabilities` from a securityContext that holds nothing else
 * removes `securityContext:`.
 */
export function removePath(text: string, root: YAMLMap<unknown, unknown>, path: readonly string[]): TextEdit[] {
  const chain: { map: YAMLMap<unknown, unknown>; key: string }[] = [];
  let map: YAMLMap<unknown, unknown> | undefined = root;
  for (const key of path) {
    const pair = pairOf(map, key);
    if (!map || !pair) return [];
    chain.push({ map, key });
    map = isMap(pair.value) ? pair.value : undefined;
  }
  let level = chain.length - 1;
  while (level > 0 && chain[level].map.items.every((item) => isPair(item) && keyOf(item) === chain[level].key)) level--;
  return removeField(text, chain[level].map, chain[level].key);
}

/**
 * Replaces the entry `key` of a map by `newKey: <leaf>` in place (its lines, or its `key: value` in flow style),
 * e.g. the last `add:` of a `capabilities` map by `drop: ["ALL"]`.
 */
export function replaceEntry(text: string, map: YAMLMap<unknown, unknown>, key: string, newKey: string, leaf: Leaf): TextEdit[] {
  const pair = pairOf(map, key);
  if (!pair || !isNode(pair.key)) return [];
  const start = pairStart(pair);
  if (map.flow) {
    const value = renderFlow(leaf);
    return value === undefined ? [] : [{ start, end: pairEnd(pair), newText: `${newKey}: ${value}` }];
  }
  const col = columnOf(text, start);
  const lines = renderEntry(newKey, leaf, col, indentUnitNear(text, map));
  if (!lines) return [];
  const end = hasSource(pair.value) ? contentLineEnd(text, pair.value) : lineEndAt(text, pairEnd(pair));
  return [{ start, end, newText: lines.join(lineBreakOf(text)).slice(col) }];
}

/** The lines of a block value, indented relative to its key's column (for copying it under another key). */
export function blockLines(text: string, pair: Pair<unknown, unknown>): string[] | undefined {
  const value = pair.value;
  if (!isMap(value) && !isSeq(value)) return undefined;
  if (value.flow || !isNode(pair.key)) return undefined;
  const keyCol = columnOf(text, rangeOf(pair.key)[0]);
  const colon = colonAfter(text, pair);
  if (colon < 0) return undefined;
  const body = text.slice(nextLineStart(text, colon), contentLineEnd(text, value));
  const lines = body.split('\n').map((l) => l.replace(/\r$/, ''));
  return lines.map((l) => (isBlank(l) ? '' : l.slice(Math.min(keyCol, /^ */.exec(l)?.[0].length ?? 0))));
}

/** The YAML text of a one-line value, as written (`true`, `"1000"`, `[1, 2]`), or undefined when it spans lines. */
export function inlineText(text: string, node: unknown): string | undefined {
  if (!hasSource(node) || isBlockScalar(node)) return undefined;
  const s = text.slice(...rangeOf(node));
  return s.includes('\n') ? undefined : s;
}

/** How a sequence is written, to write a copy of it the same way. */
export function listStyleOf(text: string, seq: YAMLSeq<unknown>, key?: Pair<unknown, unknown>): ListStyle {
  const quote = quoteOf(seq.items.find(isScalar));
  if (seq.flow || seq.items.length === 0) return { flow: true, quote: seq.items.length ? quote : FLOW_LIST.quote };
  const dash = dashBefore(text, itemNodeStart(seq, 0));
  const keyCol = key && isNode(key.key) ? columnOf(text, rangeOf(key.key)[0]) : undefined;
  return { flow: false, quote, dashOffset: dash >= 0 && keyCol !== undefined ? Math.max(0, columnOf(text, dash) - keyCol) : undefined };
}

export function replaceSpan(span: Span, newText: string): TextEdit[] {
  return [{ start: span.start, end: span.end, newText }];
}

