/**
 * Chart values with provenance: every map, list and scalar read from a values file keeps the file and
 * the span it came from, so what a template renders from it maps back to the line to edit. Merging
 * follows Helm: user values files merge in order (cli/values `mergeMaps`: later maps deep-merged, other
 * values replaced), then coalesce over the chart's defaults (chartutil `CoalesceValues`: a `null` user
 * value deletes the default key), and a subchart sees its parent's values under its own name plus
 * `global` (chartutil `CoalesceValues` → `coalesceDeps`/`coalesceGlobals`).
 */
import { isMap, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import type { Span } from '../types';
import { keyName } from '../yaml/nodes';

/** A place in a file of the chart: values files and templates. */
export interface Src {
  readonly file: string;
  readonly start: number;
  readonly end: number;
}

interface Origin {
  /** The span of the value in its values file. */
  readonly src?: Src;
  /** The span of the key holding it. */
  readonly keySrc?: Src;
  /** The key path from the values root (`controller.containerSecurityContext`). */
  readonly path?: readonly string[];
}

export type VMap = Origin & { readonly t: 'map'; readonly entries: Map<string, VNode> };
export type VSeq = Origin & { readonly t: 'seq'; readonly items: readonly VNode[] };
export type VScalar = Origin & { readonly t: 'scalar'; readonly v: string | number | boolean | null; readonly raw?: string };
/** A string produced by a template: its text and where each piece came from. */
export interface VStr { readonly t: 'str'; readonly text: string; readonly segs: readonly Seg[] }
/** Something not followed (`tpl`, `lookup`, an undefined template…): never guessed. */
export interface VUnknown { readonly t: 'unknown'; readonly why: string; readonly expr: string; readonly span: Src; readonly block?: boolean }

export type VNode = VMap | VSeq | VScalar;
export type Val = VNode | VStr | VUnknown;

/** Rendered text [at, at+len) came from `src` (exactly, when both have the same length). */
export interface Seg {
  readonly at: number;
  readonly len: number;
  readonly src?: Src;
  /** Set when the text stands for something not followed. */
  readonly unknown?: string;
  /** The template action that wrote it (for values written through `toYaml`/`{{ .Values.x }}`). */
  readonly via?: Src;
  /** The key path of the values block a `toYaml` wrote whole. */
  readonly block?: string;
}

export interface ValuesProblem {
  readonly file: string;
  readonly span: Span;
  readonly message: string;
}

export const emptyMap = (): VMap => ({ t: 'map', entries: new Map() });

export function scalar(v: string | number | boolean | null): VScalar {
  return { t: 'scalar', v };
}

function fromYamlNode(node: unknown, file: string, text: string, path: readonly string[], keySrc?: Src, offset = 0): VNode {
  const n = node as Node | null | undefined;
  const src = n?.range ? { file, start: offset + n.range[0], end: offset + n.range[1] } : undefined;
  if (isMap(node)) {
    const entries = new Map<string, VNode>();
    for (const pair of node.items) {
      const key = keyName(pair);
      if (key === undefined) continue;
      const k = pair.key as Node | null;
      const ks = k?.range ? { file, start: offset + k.range[0], end: offset + k.range[1] } : undefined;
      entries.set(key, fromYamlNode(pair.value, file, text, [...path, key], ks, offset));
    }
    return { t: 'map', entries, src, keySrc, path };
  }
  if (isSeq(node)) return { t: 'seq', items: node.items.map((item, i) => fromYamlNode(item, file, text, [...path, String(i)], undefined, offset)), src, keySrc, path };
  if (isScalar(node)) {
    const v = node.value;
    const value = typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : typeof v === 'bigint' ? Number(v) : null;
    const raw = src ? text.slice(src.start, src.end) : undefined;
    return { t: 'scalar', v: value, src, keySrc, path, raw: raw && !raw.includes('\n') ? raw : undefined };
  }
  // `key:` with nothing: null at the key's end.
  return { t: 'scalar', v: null, src: src ?? (keySrc ? { file, start: keySrc.end, end: keySrc.end } : undefined), keySrc, path };
}

/** A values file read: its values, its first syntax problem, and its YAML document (parsed when first asked for). */
export interface ParsedValues {
  readonly values: VMap;
  readonly problems: ValuesProblem[];
  /** For fixes, hovers, hints and completion; an edit's diagnostics never need it. */
  readonly doc: Document.Parsed;
}

const YAML_OPTIONS = { uniqueKeys: false, prettyErrors: false, strict: false } as const;

/** Parses one values file whole. A syntax error gives the problem and an empty map (Helm refuses the chart). */
export function parseValuesWhole(text: string, file: string): ParsedValues {
  const doc = parseDocument(text, YAML_OPTIONS);
  const problems: ValuesProblem[] = doc.errors.slice(0, 1).map((e) => ({ file, span: { start: e.pos[0], end: Math.max(e.pos[1], e.pos[0] + 1) }, message: `YAML syntax error: ${e.message.split('\n')[0]}` }));
  const root = fromYamlNode(doc.contents, file, text, []);
  return { values: root.t === 'map' ? root : emptyMap(), problems, doc };
}

/**
 * Each top-level section's parse, by its text: an edit re-parses only the section it falls in. Its
 * values are kept too, for the file and offset they were placed at: a section before the edit keeps its
 * very nodes (so what was derived from them stays cached), one after it gets them moved.
 */
interface Section {
  readonly doc: Document.Parsed;
  placed?: { readonly file: string; readonly from: number; readonly entries: readonly (readonly [string, VNode])[] };
}
const sections = new Map<string, Section>();
const MAX_SECTIONS = 20_000;

const moved = (src: Src | undefined, delta: number): Src | undefined => (src ? { file: src.file, start: src.start + delta, end: src.end + delta } : undefined);

/** The same values `delta` characters further on (paths, raw text and a known fingerprint shared). */
function shiftNode(node: VNode, delta: number): VNode {
  const src = moved(node.src, delta), keySrc = moved(node.keySrc, delta);
  const out: VNode = node.t === 'map' ? { ...node, src, keySrc, entries: new Map([...node.entries].map(([k, v]) => [k, shiftNode(v, delta)])) }
    : node.t === 'seq' ? { ...node, src, keySrc, items: node.items.map((v) => shiftNode(v, delta)) }
    : { ...node, src, keySrc };
  const known = fingerprints.get(node);
  if (known !== undefined) fingerprints.set(out, known);
  return out;
}

const fingerprints = new WeakMap<VNode, string>();

const prefixed = new WeakMap<VMap, { key: string; map: VMap }>();

/**
 * A subchart's defaults with every key path from the root chart's values (`redis.securityContext` for
 * its `securityContext` when the parent holds it under `redis`), so that blocks, reads and placements
 * of every chart speak of one tree. One copy per defaults and prefix.
 */
export function withPathPrefix(defaults: VMap, prefix: readonly string[]): VMap {
  if (!prefix.length) return defaults;
  const key = prefix.join('\0');
  const hit = prefixed.get(defaults);
  if (hit?.key === key) return hit.map;
  const walk = (node: VNode): VNode => {
    const path = node.path ? [...prefix, ...node.path] : undefined;
    const out: VNode = node.t === 'map' ? { ...node, path, entries: new Map([...node.entries].map(([k, v]) => [k, walk(v)])) }
      : node.t === 'seq' ? { ...node, path, items: node.items.map(walk) }
      : { ...node, path };
    const known = fingerprints.get(node);
    if (known !== undefined) fingerprints.set(out, known);
    return out;
  };
  const map = walk(defaults) as VMap;
  prefixed.set(defaults, { key, map });
  return map;
}

/** A values node's JSON (what a template reading it depends on; not where it is), computed once per node. */
export function fingerprintOf(node: VNode | undefined): string {
  if (!node) return '';
  let f = fingerprints.get(node);
  if (f === undefined) fingerprints.set(node, (f = JSON.stringify(plain(node)) ?? ''));
  return f;
}

/** A character that may begin a plain or quoted top-level key (anything else at column 0 sends the file to the whole parse). */
function keyStart(c: string): boolean {
  return !'{[?!&*|>%@`]},#'.includes(c);
}

/**
 * The offsets where top-level keys begin (column 0), or undefined when the file is not a plain block
 * mapping that splits safely there (directives, document markers, flow or explicit keys, tags or
 * anchors at column 0). `- item` lines at column 0 belong to the key above (a compact sequence).
 */
function sectionStarts(text: string): number[] | undefined {
  const starts: number[] = [];
  for (let pos = 0; pos < text.length;) {
    const c = text[pos];
    if (c === '-' && (text.startsWith('---', pos) || pos + 1 >= text.length || ' \t\r\n'.includes(text[pos + 1]))) {
      if (text.startsWith('---', pos)) return undefined;
    } else if (c === '.' && text.startsWith('...', pos)) {
      return undefined;
    } else if (!' \t\r\n#'.includes(c)) {
      if (!keyStart(c)) return undefined;
      starts.push(pos);
    }
    const nl = text.indexOf('\n', pos);
    if (nl < 0) break;
    pos = nl + 1;
  }
  return starts;
}

/**
 * The values of a plain block mapping, parsed per top-level section (each from its own cached parse,
 * placed at its offset): the same values, keys, spans and raw text as the whole parse. Undefined
 * where that cannot be promised (a section that does not parse alone as one mapping).
 */
function parseBySections(text: string, file: string): VMap | undefined {
  const starts = sectionStarts(text);
  if (!starts || starts.length < 2) return undefined;
  const entries = new Map<string, VNode>();
  let end = 0;
  for (let i = 0; i < starts.length; i++) {
    const from = i === 0 ? 0 : starts[i];
    const section = text.slice(from, i + 1 < starts.length ? starts[i + 1] : text.length);
    let cached = sections.get(section);
    if (!cached) {
      cached = { doc: parseDocument(section, YAML_OPTIONS) };
      if (sections.size >= MAX_SECTIONS) sections.clear();
      sections.set(section, cached);
    }
    const map = cached.doc.contents;
    if (cached.doc.errors.length || !isMap(map) || !map.range) return undefined;
    const placed = cached.placed;
    if (placed?.file === file && placed.from === from) {
      for (const [key, node] of placed.entries) entries.set(key, node);
    } else if (placed?.file === file) {
      const shifted = placed.entries.map(([key, node]) => [key, shiftNode(node, from - placed.from)] as const);
      for (const [key, node] of shifted) entries.set(key, node);
      cached.placed = { file, from, entries: shifted };
    } else {
      const own: [string, VNode][] = [];
      for (const pair of map.items) {
        const key = keyName(pair);
        if (key === undefined) continue;
        const k = pair.key as Node | null;
        const ks = k?.range ? { file, start: from + k.range[0], end: from + k.range[1] } : undefined;
        own.push([key, fromYamlNode(pair.value, file, text, [key], ks, from)]);
      }
      for (const [key, node] of own) entries.set(key, node);
      cached.placed = { file, from, entries: own };
    }
    end = from + map.range[1];
  }
  return { t: 'map', entries, src: { file, start: starts[0], end }, keySrc: undefined, path: [] };
}

/**
 * Parses one values file. A syntax error gives the problem and an empty map (Helm refuses the chart).
 * A plain block mapping is read section by section (see parseBySections); its document is parsed whole
 * only when something asks for it.
 */
export function parseValues(text: string, file: string): ParsedValues {
  const values = parseBySections(text, file);
  if (!values) return parseValuesWhole(text, file);
  let doc: Document.Parsed | undefined;
  return { values, problems: [], get doc() { return (doc ??= parseDocument(text, YAML_OPTIONS)); } };
}

/** cli/values `mergeMaps`: `over` wins; maps merge key by key; a `null` is kept (it deletes at coalesce). */
export function mergeValues(base: VMap, over: VMap): VMap {
  const entries = new Map(base.entries);
  for (const [k, v] of over.entries) {
    const b = entries.get(k);
    entries.set(k, b?.t === 'map' && v.t === 'map' ? mergeValues(b, v) : v);
  }
  return { ...over, entries, src: over.src ?? base.src };
}

const isNull = (v: VNode | undefined): boolean => v?.t === 'scalar' && v.v === null;

/**
 * chartutil `coalesceValues`/`coalesceTablesFullKey`: user values over the chart's defaults. A user
 * `null` removes the default key; maps merge; any other user value replaces the default.
 */
export function coalesceValues(user: VMap, defaults: VMap): VMap {
  const entries = new Map<string, VNode>();
  for (const [k, d] of defaults.entries) {
    const u = user.entries.get(k);
    if (!user.entries.has(k)) entries.set(k, stripNulls(d));
    else if (isNull(u)) continue;
    else if (u?.t === 'map' && d.t === 'map') entries.set(k, coalesceValues(u, d));
    else if (u) entries.set(k, u);
  }
  for (const [k, u] of user.entries) if (!defaults.entries.has(k) && !isNull(u)) entries.set(k, u.t === 'map' ? stripNulls(u) : u);
  // The user's spelling names the block when it has one (the parent chart's key for a subchart's values).
  return user.src ? { ...user, entries } : { ...defaults, entries };
}

/** Defaults keep their own nulls except where they would delete (a `key: ~` default stays a null value). */
function stripNulls(v: VNode): VNode {
  return v;
}

/** The node at a key path, or undefined. */
export function valueAt(root: VNode | undefined, path: readonly string[]): VNode | undefined {
  let cur: VNode | undefined = root;
  for (const k of path) {
    if (cur?.t === 'map') cur = cur.entries.get(k);
    else if (cur?.t === 'seq' && /^\d+$/.test(k)) cur = cur.items[Number(k)];
    else return undefined;
  }
  return cur;
}

/** Plain JSON of a values node (for hovers and conditions in messages). */
export function plain(v: Val | undefined): unknown {
  if (!v) return undefined;
  switch (v.t) {
    case 'map': return Object.fromEntries([...v.entries].map(([k, x]) => [k, plain(x)]));
    case 'seq': return v.items.map(plain);
    case 'scalar': return v.v;
    case 'str': return v.text;
    case 'unknown': return undefined;
  }
}

/** A plain JS value as a node without provenance. */
export function fromPlain(x: unknown): VNode {
  if (Array.isArray(x)) return { t: 'seq', items: x.map(fromPlain) };
  if (x && typeof x === 'object') return { t: 'map', entries: new Map(Object.entries(x as Record<string, unknown>).map(([k, v]) => [k, fromPlain(v)])) };
  return scalar(typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean' ? x : null);
}
