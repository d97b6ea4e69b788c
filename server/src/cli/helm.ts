/** The CLI's hook for Helm charts: chart files are judged through their chart (host/helm), once per chart. */
import * as path from 'node:path';
import type { FileAnalysis } from '../engine/analyze';
import type { AnalysisOptions } from '../engine/options';
import type { ChartAnalysis } from '../engine/helm/analyze';
import type { LoadedConfig } from '../host/config';
import { configuredValuesFiles } from '../host/helm/config';
import { HelmCharts } from '../host/helm/session';

export class CliCharts {
  private readonly charts = new HelmCharts();
  /** Chart analyses used, by root: their findings in files the walk did not list (`_helpers.tpl`) are reported too. */
  readonly used = new Map<string, ChartAnalysis>();

  constructor(private readonly extraValues: readonly string[] = []) {}

  private valuesFiles(config: LoadedConfig | undefined): string[] {
    return [...configuredValuesFiles(config), ...this.extraValues.map((f) => path.resolve(f))];
  }

  /** Reads the chart a file belongs to (once per chart) and the override values files. */
  async prepare(file: string, config: LoadedConfig | undefined): Promise<void> {
    await this.charts.prepare(file, this.valuesFiles(config));
  }

  /** The file judged through its chart (read by `prepare` first), or undefined when it is not a chart file. */
  analyze(file: string, text: string, options: AnalysisOptions, config: LoadedConfig | undefined): FileAnalysis | undefined {
    const values = this.valuesFiles(config);
    const analysis = this.charts.fileAnalysis(file, text, options, values);
    if (analysis?.helm) this.used.set(analysis.helm.chart.chart.root, analysis.helm.chart);
    return analysis;
  }
}

/** Findings of the charts used that fall in files the walk did not list (`templates/_helpers.tpl`), for the report. */
export function unlistedChartFindings(charts: CliCharts, listed: ReadonlySet<string>, display: (absolute: string) => string): { file: string; text: string; findings: FileAnalysis['findings'] }[] {
  const out: { file: string; text: string; findings: FileAnalysis['findings'] }[] = [];
  for (const chart of charts.used.values()) {
    for (const [file, findings] of chart.findings) {
      if (listed.has(file) || !findings.length) continue;
      out.push({ file: display(file), text: chart.texts.get(file) ?? '', findings });
    }
  }
  return out;
}
