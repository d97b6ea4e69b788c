/**
 * Hovers in a chart. On a values block: which workloads and containers it becomes (with links to the
 * template lines that place it) and their effective contexts; if none, whether a condition disabled
 * it (and by which key) or no template uses it. On a template's `.Values.x`: the value, where it is
 * set, and what it becomes.
 */
import { isMap } from 'yaml';
import { parseValuesCached, valuesPrefixOf } from './chart';
import type { FileAnalysis } from '../analyze';
import { LineIndex } from '../lines';
import { containerCard, podTable, type SpanLink } from '../present/markdown';
import type { Runtime } from '../capabilities';
import { relative, type ChartAnalysis, type Placement } from './analyze';
import { containersOf, contextsForFile, mapContext } from './contexts';
import { pairAt } from './fixes';
import { valuesRefAt } from './navigate';
import { toYaml } from './toYaml';
import { plain, valueAt, type Src, type VNode } from './values';

const LEVEL: Record<Placement['level'], string> = {
  pod: 'pod `spec.securityContext`',
  container: 'container',
  initContainer: 'init container',
  ephemeralContainer: 'ephemeral container',
};


function lineOf(chart: ChartAnalysis, src: Src): number {
  return new LineIndex(chart.texts.get(src.file) ?? '').position(src.start).line;
}

function where(chart: ChartAnalysis, src: Src, link?: SpanLink): string {
  const label = `${relative(src.file, chart.chart.root + '/templates/x')}:${lineOf(chart, src)}`;
  const target = link?.({ path: src.file, line: lineOf(chart, src) });
  return target ? `[${label}](${target})` : label;
}

/** Placements fed by the values key path (the block itself, a key inside it, or a block inside it). */
export function placementsOfPath(chart: ChartAnalysis, path: string): Placement[] {
  return chart.placements.filter((p) => p.block === path || (p.block && path.startsWith(p.block + '.')) || (p.block && p.block.startsWith(path + '.')) || p.values.some((v) => v.path === path || v.path.startsWith(path + '.')));
}

function describePlacements(chart: ChartAnalysis, placements: readonly Placement[], file: string, runtime: Runtime, link?: SpanLink): string {
  const parts: string[] = [];
  for (const p of placements) {
    const target = p.level === 'pod' ? `${p.field === 'securityContext' ? LEVEL.pod : `pod \`spec.${p.field}\``} of \`${p.workload}\`` : `${LEVEL[p.level]} \`${p.container}\` of \`${p.workload}\``;
    const by = p.via ? ` — placed by ${where(chart, p.via, link)}` : ` — in ${where(chart, { file: p.template, start: 0, end: 0 }, link)}`;
    parts.push(`**Becomes** ${target}${by}`);
    const contexts = containersOf(chart, p).map((c) => mapContext(chart, c, file));
    if (p.level === 'pod') parts.push('', podTable(contexts), '');
    else for (const c of contexts) parts.push('', containerCard(c, runtime, link), '');
  }
  return parts.join('\n');
}

/** Why the block at `path` renders nowhere when a false condition skipped the template text using it. */
export function disabledBy(chart: ChartAnalysis, path: string): string | undefined {
  const key = path.split('.');
  const last = key[key.length - 1];
  for (const s of chart.skipped) {
    const text = (chart.texts.get(s.src.file) ?? '').slice(s.src.start, s.src.end);
    if (text.includes(`.Values.${path}`) || new RegExp(`\\.${last}\\b`).test(text)) {
      const keys = s.keys.length ? s.keys.map((k) => `\`${k}\``).join(', ') : `\`${s.condition}\``;
      return `**Not rendered**: ${relative(s.src.file, chart.chart.root + '/templates/x')}:${lineOf(chart, s.src)} is disabled by ${keys} (\`${s.condition}\` is false).`;
    }
  }
  return undefined;
}

/** True when no template read the node at `path` nor anything inside it. */
export function unused(chart: ChartAnalysis, path: string): boolean {
  for (const p of chart.used) if (p === path || p.startsWith(path + '.')) return false;
  return true;
}

function valuesHover(view: { chart: ChartAnalysis; file: string }, text: string, offset: number, runtime: Runtime, link?: SpanLink): string | undefined {
  const at = pairAt(parseValuesCached(view.file, text).doc.contents, offset);
  if (!at) return undefined;
  const { chart } = view;
  // A subchart's values.yaml speaks in its own keys: placements and reads use the root's key paths.
  const path = [...valuesPrefixOf(chart.chart, view.file), ...at.path].join('.');
  const placements = placementsOfPath(chart, path);
  if (placements.length) return `\`${path}\`\n\n${describePlacements(chart, placements, view.file, runtime, link)}`;
  if (!isMap(at.pair.value)) return undefined;
  return disabledBy(chart, path) ?? (unused(chart, path) ? `\`${path}\` is **not used by any template** of this chart.` : undefined);
}

function templateHover(view: { chart: ChartAnalysis; file: string }, text: string, offset: number, runtime: Runtime, link?: SpanLink): string | undefined {
  const { chart } = view;
  const path = valuesRefAt(text, offset)?.path.join('.');
  if (path) {
    const node: VNode | undefined = valueAt(chart.values, path.split('.'));
    const parts = [`\`.Values.${path}\``];
    if (!node) parts.push('', 'Not set in the values (renders empty).');
    else {
      const src = node.keySrc ?? node.src;
      if (src) parts.push('', `Set in ${where(chart, src, link)}:`);
      parts.push('', '```yaml', node.t === 'scalar' ? String(plain(node)) : toYaml(node).text, '```');
    }
    const placements = placementsOfPath(chart, path).filter((p) => p.template === view.file || p.via?.file === view.file);
    if (placements.length) parts.push('', describePlacements(chart, placements, view.file, runtime, link));
    else { const off = disabledBy(chart, path); if (off) parts.push('', off); }
    return parts.join('\n');
  }
  const contexts = contextsForFile(chart, view.file, 'template');
  const hit = contexts.find((c) => offset >= c.span.start && offset <= c.span.end);
  return hit ? containerCard(hit, runtime, link) : undefined;
}

/** Hover Markdown for a chart file. */
export function helmHover(analysis: FileAnalysis, offset: number, link?: SpanLink): string | undefined {
  const view = analysis.helm;
  if (!view) return undefined;
  const text = view.chart.texts.get(view.file) ?? '';
  return view.role === 'values' ? valuesHover(view, text, offset, analysis.options.runtime, link) : templateHover(view, text, offset, analysis.options.runtime, link);
}
