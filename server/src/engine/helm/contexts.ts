/**
 * The chart's effective contexts as one file of the chart sees them: provenance spans mapped from the
 * rendered text to this file (or to a line of another file of the chart), and, in a values file, one
 * context per container at each values block that becomes it (its `nameSpan` is the block's key).
 */
import type { EffectiveContext, FileLine } from '../effective';
import { LineIndex } from '../lines';
import type { Span } from '../types';
import { mapSpan, type ChartAnalysis, type ChartContainer, type Placement } from './analyze';
import { chartScopes } from './chart';
import { valueAt, type Src, type VNode } from './values';

function lineOf(chart: ChartAnalysis, src: Src, cache: Map<string, LineIndex>): number {
  let index = cache.get(src.file);
  if (!index) { index = new LineIndex(chart.texts.get(src.file) ?? ''); cache.set(src.file, index); }
  return index.position(src.start).line;
}

/** Deep copy of a context with each provenance span moved to `file` or to a line elsewhere. */
export function mapContext(chart: ChartAnalysis, c: ChartContainer, file: string, lines = new Map<string, LineIndex>()): EffectiveContext {
  const rendered = chart.rendered.find((r) => r.path === c.template);
  const segs = rendered?.segs ?? [];
  const move = (span: Span): { span?: Span; elsewhere?: FileLine } => {
    const m = mapSpan(segs, { start: span.start + c.offset, end: span.end + c.offset });
    if (!m) return {};
    if (m.file === file) return { span: { start: m.start, end: m.end } };
    return { elsewhere: { path: m.file, line: lineOf(chart, m, lines) } };
  };
  const walk = (v: unknown, key?: string): unknown => {
    if (!v || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.map((x) => walk(x));
    const rec = v as Record<string, unknown>;
    if ('source' in rec && 'span' in rec && rec.span && typeof rec.span === 'object') {
      const { span, ...rest } = rec;
      const moved = move(span as Span);
      return { ...(walkRecord(rest)), ...(moved.span ? { span: moved.span } : {}), ...(moved.elsewhere && !rest.elsewhere ? { elsewhere: moved.elsewhere } : {}) };
    }
    void key;
    return walkRecord(rec);
  };
  const walkRecord = (rec: Record<string, unknown>): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const k in rec) out[k] = k === 'span' || k === 'nameSpan' ? rec[k] : walk(rec[k], k);
    return out;
  };
  const ctx = walk(c.context) as EffectiveContext;
  const name = move(c.context.nameSpan).span ?? { start: 0, end: 0 };
  const whole = move({ start: c.context.span.start, end: c.context.span.start }).span;
  const wholeEnd = move({ start: Math.max(c.context.span.start, c.context.span.end - 1), end: c.context.span.end }).span;
  return { ...ctx, nameSpan: name, span: whole && wholeEnd && wholeEnd.end >= whole.start ? { start: whole.start, end: wholeEnd.end } : name };
}

/** The values node of a placement's block, when its key is in `file`. */
export function blockNode(chart: ChartAnalysis, p: Placement): VNode | undefined {
  if (!p.block) return undefined;
  return valueAt(chart.values, p.block.split('.')) ?? subValue(chart, p);
}

/** A block only a subchart's own values.yaml sets: found in its defaults under the key path below its scope. */
function subValue(chart: ChartAnalysis, p: Placement): VNode | undefined {
  const block = (p.block ?? '').split('.');
  for (const v of p.values) {
    for (const { model, prefix } of chartScopes(chart.chart)) {
      if (v.src.file !== model.valuesPath || !prefix.length || !prefix.every((k, i) => block[i] === k)) continue;
      return valueAt(model.defaults, block.slice(prefix.length));
    }
  }
  return undefined;
}

/** The containers a placement reaches: its container, or every container of its pod. */
export function containersOf(chart: ChartAnalysis, p: Placement): ChartContainer[] {
  return chart.containers.filter((c) => c.template === p.template && c.workload === p.workload && (p.level === 'pod' || c.context.name === p.container));
}

/** Contexts for a file: in templates where their containers are written; in values files at each block that becomes them. */
export function contextsForFile(chart: ChartAnalysis, file: string, role: 'values' | 'template'): EffectiveContext[] {
  const lines = new Map<string, LineIndex>();
  if (role === 'template') {
    const out: EffectiveContext[] = [];
    for (const c of chart.containers) {
      const ctx = mapContext(chart, c, file, lines);
      if (ctx.nameSpan.end > 0 && (c.template === file || ctx.nameSpan.start > 0)) out.push(ctx);
    }
    return out;
  }
  const out: EffectiveContext[] = [];
  const seen = new Set<string>();
  for (const p of chart.placements) {
    const node = blockNode(chart, p);
    const key = node?.keySrc;
    if (!node || !key || key.file !== file) continue;
    for (const c of containersOf(chart, p)) {
      const id = `${key.start}\0${c.workload}\0${c.context.name}`;
      if (seen.has(id)) continue;
      seen.add(id);
      const ctx = mapContext(chart, c, file, lines);
      out.push({ ...ctx, nameSpan: { start: key.start, end: key.end }, span: { start: key.start, end: node.src?.end ?? key.end } });
    }
  }
  return out;
}

/** The templates that render the chart container a file's context stands for (same workload, kind and name). */
export function templatesOfContainer(chart: ChartAnalysis, c: EffectiveContext): string[] {
  return chart.containers.filter((x) => x.workload === c.workload && x.context.kind === c.kind && x.context.name === c.name).map((x) => x.template);
}
