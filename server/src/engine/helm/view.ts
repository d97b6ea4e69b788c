/**
 * One file of a chart as the adapters see it: its findings (values file or template), and the chart
 * analysis behind them for hovers, inlay hints and completion.
 */
import type { FileAnalysis } from '../analyze';
import type { AnalysisOptions } from '../options';
import { isSuppressed, parseSuppressions } from '../suppression';
import type { ChartAnalysis } from './analyze';
import { parseValuesCached, valuesPrefixOf } from './chart';
import type { VNode } from './values';
import type { EffectiveContext } from '../effective';
import type { Finding } from '../types';
import { contextsForFile } from './contexts';
import { disabledBy } from './hover';
import { finalSeverity } from '../rules/run';
import { valuesNotUsed } from '../rules/values-not-used';

export interface HelmFileView {
  readonly chart: ChartAnalysis;
  /** The file's path as the chart analysis names it (`/`-separated). */
  readonly file: string;
  readonly role: 'values' | 'template';
}

/** The FileAnalysis of one chart file, findings minus suppression comments in that file. */
export function helmFileAnalysis(path: string, text: string, chart: ChartAnalysis, file: string, options: AnalysisOptions): FileAnalysis {
  const role = /\/templates\//.test(file.slice(chart.chart.root.length)) ? 'template' : 'values';
  const suppressions = parseSuppressions(text);
  const own = chart.findings.get(file) ?? [];
  const all = role === 'values' ? [...own, ...unusedBlocks(chart, file, text, options)].sort((a, b) => a.span.start - b.span.start) : own;
  const findings = all.filter((f) => f.span.end <= text.length && !isSuppressed(f, text, suppressions));
  let contexts: readonly EffectiveContext[] | undefined;
  return {
    path, kind: 'kubernetes', findings, documents: [], options, helm: { chart, file, role },
    get contexts() { return (contexts ??= contextsForFile(chart, file, role)); },
  };
}

const SECURITY_BLOCK = /securitycontext$/i;

const reachedPaths = new WeakMap<ChartAnalysis, Set<string>>();

/** Every values path a template read or placed, with all its ancestors (one set per analysis). */
function reached(chart: ChartAnalysis): Set<string> {
  let set = reachedPaths.get(chart);
  if (set) return set;
  set = new Set<string>();
  const add = (p: string) => { for (let q = p; q && !set!.has(q); q = q.slice(0, Math.max(0, q.lastIndexOf('.')))) set!.add(q); };
  for (const p of chart.used) add(p);
  for (const pl of chart.placements) { if (pl.block) add(pl.block); for (const v of pl.values) add(v.path); }
  reachedPaths.set(chart, set);
  return set;
}

/** A condition on a sibling or parent key (`worker.enabled` for `worker.securityContext`) was false: disabled, not unused. */
function disabledParent(chart: ChartAnalysis, dotted: string): boolean {
  return chart.skipped.some((s) => s.keys.some((k) => {
    const parent = k.split('.').slice(0, -1).join('.');
    return parent !== '' && (dotted === parent || dotted.startsWith(parent + '.'));
  }));
}

/** A hint on each security-context-like values block (`…SecurityContext:` maps) that no template reads. */
function unusedBlocks(chart: ChartAnalysis, file: string, text: string, options: AnalysisOptions): Finding[] {
  const out: Finding[] = [];
  if (options.rules[valuesNotUsed.meta.id] === 'off') return out;
  // Without Chart.yaml the folder may be a partial copy of a chart: templates using a block may be missing.
  if (!chart.chart.hasChartYaml) return out;
  // The file's values (not its YAML document, which an edit would have to parse whole): maps by key path.
  // Reads and placements name keys from the root's values: a subchart's values.yaml sits under its key.
  const scope = valuesPrefixOf(chart.chart, file).join('.');
  const visit = (node: VNode, prefix: string, depth: number) => {
    if (node.t !== 'map' || depth > 6) return;
    for (const [key, value] of node.entries) {
      if (value.t !== 'map') continue;
      const dotted = prefix ? `${prefix}.${key}` : key;
      const rooted = scope ? `${scope}.${dotted}` : dotted;
      const k = value.keySrc;
      if (SECURITY_BLOCK.test(key) && k) {
        if (!reached(chart).has(rooted) && !disabledParent(chart, rooted) && !disabledBy(chart, rooted)) {
          const message = `\`${dotted}\` is not used by any template of this chart: nothing here reaches a container.`;
          const span = { start: k.start, end: k.end };
          const severity = finalSeverity(valuesNotUsed.meta, { span, message }, options);
          if (severity) out.push({ rule: 'values-not-used', severity, message, span, fixes: [] });
        }
      }
      visit(value, dotted, depth + 1);
    }
  };
  visit(parseValuesCached(file, text).values, '', 0);
  return out;
}
