/**
 * Navigation between a chart's templates and its values, as helm-ls offers it: from a template's
 * `.Values.a.b` to where `a.b` is set (an override file, the chart's values.yaml, or a subchart's
 * own defaults), and from a values key to every template expression that reads it or a key inside it
 * (subcharts read their parent's values under their name or alias, and `global` everywhere).
 * Expressions reached only through `with`/`range` scopes (`.b` inside `with .Values.a`) or `index` are
 * not followed.
 */
import { chartScopes, parseValuesCached, type ChartScope } from './chart';
import type { ChartAnalysis } from './analyze';
import type { HelmFileView } from './view';
import { pairAt } from './fixes';
import { valueAt, type Src } from './values';

/** `$.Values.a.b` / `.Values.a.b`: the key path after `.Values`. Unambiguous (each step starts with a dot). */
const VALUES_REF = /\$?\.Values((?:\.[A-Za-z_][\w-]*)+)/g;

export interface ValuesRef {
  /** The key path (`a.b` → ['a', 'b']). */
  readonly path: readonly string[];
  readonly start: number;
  readonly end: number;
}

/** Every `.Values.…` expression of a template's text. */
export function valuesRefs(text: string): ValuesRef[] {
  const out: ValuesRef[] = [];
  VALUES_REF.lastIndex = 0;
  for (let m = VALUES_REF.exec(text); m; m = VALUES_REF.exec(text)) out.push({ path: m[1].slice(1).split('.'), start: m.index, end: m.index + m[0].length });
  return out;
}

/** The `.Values.…` expression around `offset` of a template (on its line). */
export function valuesRefAt(text: string, offset: number): ValuesRef | undefined {
  const from = text.lastIndexOf('\n', Math.max(0, offset - 1)) + 1;
  const lineEnd = text.indexOf('\n', offset);
  const line = text.slice(from, lineEnd < 0 ? text.length : lineEnd);
  const hit = valuesRefs(line).find((r) => offset >= from + r.start && offset <= from + r.end);
  return hit && { ...hit, start: hit.start + from, end: hit.end + from };
}

/** The chart a file lies in: the deepest chart root that holds it. */
function scopeOf(all: readonly ChartScope[], file: string): ChartScope {
  let best = all[0]!;
  for (const s of all) if (file.startsWith(s.model.root + '/') && s.model.root.length > best.model.root.length) best = s;
  return best;
}

/** Where the value a template's `.Values.<path>` reads is set: the key of the winning file, parent over subchart defaults. */
export function valuesDefinition(chart: ChartAnalysis, file: string, offset: number): Src[] {
  const text = chart.texts.get(file);
  const ref = text === undefined ? undefined : valuesRefAt(text, offset);
  if (!ref) return [];
  const scope = scopeOf(chartScopes(chart.chart), file);
  const global = ref.path[0] === 'global';
  // The merged values hold overrides and the root's defaults; a subchart's own defaults come after them.
  const node = valueAt(chart.values, global ? [...ref.path] : [...scope.prefix, ...ref.path]) ?? (scope.prefix.length ? valueAt(scope.model.defaults, [...ref.path]) : undefined);
  const src = node?.keySrc ?? node?.src;
  return src ? [src] : [];
}

/** Every template expression that reads the values key at `offset` of a values file, or something inside it. */
export function valuesReferences(chart: ChartAnalysis, file: string, offset: number): Src[] {
  const text = chart.texts.get(file);
  if (text === undefined) return [];
  const at = pairAt(parseValuesCached(file, text).doc.contents, offset);
  if (!at) return [];
  const all = chartScopes(chart.chart);
  // A subchart's own values.yaml speaks in its keys; the root's (and override files) in the root's.
  const own = all.find((s) => s.model.valuesPath === file);
  const key = [...(own?.prefix ?? []), ...at.path];
  const out: Src[] = [];
  for (const scope of all) {
    // What this chart's templates call the key: relative to its prefix, or through global.
    const inScope = key[0] === 'global' ? key : key.slice(0, scope.prefix.length).every((k, i) => k === scope.prefix[i]) ? key.slice(scope.prefix.length) : undefined;
    if (!inScope) continue;
    for (const t of scope.model.templates) {
      for (const r of valuesRefs(t.text)) {
        const n = Math.min(r.path.length, inScope.length);
        // `.Values.a.b` reads `a.b` and everything in it; `.Values.a` (a whole block) reads `a.b` too.
        if (r.path.slice(0, n).every((k, i) => k === inScope[i]) && (r.path.length >= inScope.length || n === r.path.length)) out.push({ file: t.path, start: r.start, end: r.end });
      }
    }
  }
  return out;
}

/** Definition targets at `offset` of a chart file: for a template's `.Values.x`, where x is set. */
export function helmDefinition(view: HelmFileView, offset: number): Src[] {
  return view.role === 'template' ? valuesDefinition(view.chart, view.file, offset) : [];
}

/** Reference targets at `offset` of a chart file: for a values key, the templates that read it. */
export function helmReferences(view: HelmFileView, offset: number): Src[] {
  return view.role === 'values' ? valuesReferences(view.chart, view.file, offset) : [];
}
