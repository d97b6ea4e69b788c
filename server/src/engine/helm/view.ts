/**
 * One file of a chart as the adapters see it: its findings (values file or template), and the chart
 * analysis behind them for hovers, inlay hints and completion.
 */
import type { FileAnalysis } from '../analyze';
import type { AnalysisOptions } from '../options';
import { isSuppressed, parseSuppressions } from '../suppression';
import type { ChartAnalysis } from './analyze';

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
  const findings = (chart.findings.get(file) ?? []).filter((f) => f.span.end <= text.length && !isSuppressed(f, text, suppressions));
  return { path, kind: 'kubernetes', findings, contexts: [], documents: [], options, helm: { chart, file, role } };
}
