/**
 * Fixes in a values file. `capabilities` in a values block that a template places at pod level moves
 * to the block the same workload's containers use (`podSecurityContext` → `securityContext`, or
 * `containerSecurityContext`): minimal edits that keep comments and the file's indentation. Moving an
 * `add` grants it (unsafe): only `--fix-unsafe` and a person's quick fix apply that.
 */
import { isMap, isPair, isScalar, type Node, type Pair, type YAMLMap } from 'yaml';
import { parseValuesCached } from './chart';
import type { Fix, Span, TextEdit } from '../types';
import { decoded, safetyFor } from '../fixes/grants';
import type { Placement } from './analyze';

interface Located {
  readonly pair: Pair<unknown, unknown>;
  readonly parent: YAMLMap<unknown, unknown>;
  readonly path: readonly string[];
  readonly parentPair?: Pair<unknown, unknown>;
}

const rangeOf = (n: unknown): [number, number, number] | undefined => (n as Node | null | undefined)?.range ?? undefined;

/** The pair whose key or value holds an offset, deepest first, with its key path. */
export function pairAt(map: unknown, offset: number, path: string[] = [], parentPair?: Pair<unknown, unknown>): Located | undefined {
  if (!isMap(map)) return undefined;
  for (const item of map.items) {
    if (!isPair(item)) continue;
    const k = rangeOf(item.key), v = rangeOf(item.value);
    const start = k?.[0] ?? v?.[0];
    const end = v?.[2] ?? k?.[1];
    if (start === undefined || end === undefined || offset < start || offset > end) continue;
    const key = isScalar(item.key) ? String(item.key.value) : '';
    const deeper = pairAt(item.value, offset, [...path, key], item);
    return deeper ?? { pair: item, parent: map, path: [...path, key], parentPair };
  }
  return undefined;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function lineEndAfter(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl < 0 ? text.length : nl + 1;
}

function mapAtPath(root: unknown, path: readonly string[]): { map?: YAMLMap<unknown, unknown>; pair?: Pair<unknown, unknown> } {
  let cur: unknown = root;
  let pair: Pair<unknown, unknown> | undefined;
  for (const k of path) {
    if (!isMap(cur)) return {};
    pair = cur.items.find((p): p is Pair<unknown, unknown> => isPair(p) && isScalar(p.key) && String(p.key.value) === k);
    cur = pair?.value;
  }
  return { map: isMap(cur) ? cur : undefined, pair };
}

/**
 * The fix for `capabilities` at span (its key in a values file): move it into the values block that the
 * containers of the same template use. Undefined when that block is not in this file or already has
 * capabilities (a person decides how to merge).
 */
export function capabilitiesToContainerFix(text: string, file: string, span: Span, placements: readonly Placement[], template: string): Fix | undefined {
  const doc = parseValuesCached(file, text).doc;
  const caps = pairAt(doc.contents, span.start);
  if (!caps || caps.path[caps.path.length - 1] !== 'capabilities') return undefined;
  const podPath = caps.path.slice(0, -1);
  // The containers' block: a values node placed at container level by the same template, at the pod block's depth.
  let target: readonly string[] | undefined;
  for (const p of placements) {
    if (p.template !== template || p.level === 'pod' || p.field !== 'securityContext') continue;
    for (const v of p.values) {
      if (v.src.file !== file) continue;
      const at = pairAt(doc.contents, v.src.start);
      if (at && at.path.length >= podPath.length) { target = at.path.slice(0, podPath.length); break; }
    }
    if (target) break;
  }
  if (!target || target.join('.') === podPath.join('.')) return undefined;
  const { map: targetMap, pair: targetPair } = mapAtPath(doc.contents, target);
  if (!targetPair) return undefined;
  if (targetMap && targetMap.items.some((p) => isPair(p) && isScalar(p.key) && p.key.value === 'capabilities')) return undefined;

  const k = rangeOf(caps.pair.key), v = rangeOf(caps.pair.value);
  if (!k) return undefined;
  const from = lineStart(text, k[0]);
  const to = lineEndAfter(text, Math.max(k[0], (v?.[1] ?? k[1]) - 1));
  const block = text.slice(from, to);
  const oldIndent = k[0] - from;
  const edits: TextEdit[] = [];
  const onlyKey = caps.parent.items.length === 1;
  const parentKey = rangeOf(caps.parentPair?.key);
  if (onlyKey && parentKey) {
    // podSecurityContext had only capabilities: it becomes `{}`.
    const colon = text.indexOf(':', parentKey[1]);
    edits.push({ start: colon + 1, end: to, newText: ' {}\n' });
  } else edits.push({ start: from, end: to, newText: '' });

  const tk = rangeOf(targetPair.key);
  if (!tk) return undefined;
  const targetKeyIndent = tk[0] - lineStart(text, tk[0]);
  if (targetMap && targetMap.items.length && !targetMap.flow) {
    const first = rangeOf((targetMap.items[0] as Pair<unknown, unknown>).key);
    const last = targetMap.items[targetMap.items.length - 1] as Pair<unknown, unknown>;
    const lastEnd = rangeOf(last.value)?.[1] ?? rangeOf(last.key)?.[1];
    if (!first || lastEnd === undefined) return undefined;
    const newIndent = first[0] - lineStart(text, first[0]);
    const at = lineEndAfter(text, Math.max(first[0], lastEnd - 1));
    edits.push({ start: at, end: at, newText: reindent(block, oldIndent, newIndent) });
  } else {
    // `securityContext: {}` or `securityContext:` with nothing: a block of its own.
    const valueRange = rangeOf(targetPair.value);
    const colon = text.indexOf(':', tk[1]);
    const end = valueRange ? valueRange[1] : colon + 1;
    edits.push({ start: colon + 1, end, newText: '\n' + reindent(block, oldIndent, targetKeyIndent + 2).replace(/\n$/, '') });
  }
  edits.sort((a, b) => a.start - b.start);
  for (let i = 1; i < edits.length; i++) if (edits[i].start < edits[i - 1].end) return undefined;
  // Today no container has the pod-level capabilities: moving an `add` grants them (unsafe, still preferred).
  return { title: `Move capabilities to \`${target.join('.')}\` (the containers' block)`, safety: safetyFor('capabilities', decoded(caps.pair.value)), preferred: true, edits };
}

function reindent(block: string, from: number, to: number): string {
  const lines = block.split('\n');
  return lines.map((l) => (l.length ? ' '.repeat(to) + l.slice(Math.min(from, l.length - l.trimStart().length)) : l)).join('\n');
}
