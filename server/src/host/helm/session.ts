/**
 * Charts as the server and the CLI use them: each chart's files are read from disk once, then kept;
 * an edited buffer replaces just its file, the model is rebuilt from cached parses, and the chart is
 * re-judged (rendered documents whose text did not change keep their analyses). One analysis per chart
 * state serves every open file of the chart.
 */
import * as path from 'node:path';
import * as fs from 'node:fs';
import type { FileAnalysis } from '../../engine/analyze';
import { buildChart, isChartRoot } from '../../engine/helm/chart';
import { ChartAnalyzer, type ChartAnalysis, type ValuesFile } from '../../engine/helm/analyze';
import { helmFileAnalysis } from '../../engine/helm/view';
import type { AnalysisOptions } from '../../engine/options';
import { findChartRoot, readChartFiles } from './charts';

interface ChartState {
  files: Map<string, string>;
  generation: number;
  analyzer: ChartAnalyzer;
  last?: { key: string; analysis: ChartAnalysis };
}

const slash = (p: string) => p.replace(/\\/g, '/');

export class HelmCharts {
  private readonly charts = new Map<string, ChartState>();
  /** Override values files read from disk (when not open), by path. */
  private readonly external = new Map<string, string>();

  /** The chart root of a file that belongs to a chart as a values file or template; undefined otherwise. */
  rootOf(file: string): string | undefined {
    if (!/\.(ya?ml|tpl)$/.test(file)) return undefined;
    const key = slash(path.resolve(file));
    if (!this.roots.has(key)) this.roots.set(key, findChartRoot(key));
    return this.roots.get(key);
  }

  private readonly roots = new Map<string, string | undefined>();

  private state(root: string): ChartState {
    let s = this.charts.get(root);
    if (!s) {
      s = { files: readChartFiles(root), generation: 0, analyzer: new ChartAnalyzer() };
      this.charts.set(root, s);
    }
    return s;
  }

  /** A buffer's text replaces the file's (the editor has it open). */
  update(root: string, file: string, text: string): void {
    const s = this.state(root);
    const key = slash(file);
    if (s.files.get(key) === text) return;
    s.files.set(key, text);
    s.generation++;
  }

  /** A file changed on disk: its chart is read again on next use. */
  invalidate(file: string): void {
    const f = slash(path.resolve(file));
    this.external.delete(f);
    this.roots.clear();
    for (const root of this.charts.keys()) if (f.startsWith(root + '/')) this.charts.delete(root);
  }

  private valuesFile(file: string, s: ChartState): ValuesFile | undefined {
    const key = slash(path.resolve(file));
    const own = s.files.get(key);
    if (own !== undefined) return { path: key, text: own };
    let text = this.external.get(key);
    if (text === undefined) {
      try { text = fs.readFileSync(key, 'utf8'); } catch { return undefined; }
      this.external.set(key, text);
    }
    return { path: key, text };
  }

  /** The chart analysis with `valuesFiles` (absolute paths) merged over the defaults, cached per chart state. */
  analyze(root: string, valuesFiles: readonly string[], options: AnalysisOptions): ChartAnalysis | undefined {
    const s = this.state(root);
    if (!isChartRoot(root, s.files)) return undefined;
    const key = `${s.generation}\0${valuesFiles.join('\0')}`;
    if (s.last?.key === key && s.last.analysis && this.lastOptions.get(root) === options) return s.last.analysis;
    const chart = buildChart(root, s.files);
    const overrides = valuesFiles.map((f) => this.valuesFile(f, s)).filter((f): f is ValuesFile => !!f);
    const analysis = s.analyzer.analyze(chart, overrides, options);
    s.last = { key, analysis };
    this.lastOptions.set(root, options);
    return analysis;
  }

  private readonly lastOptions = new Map<string, AnalysisOptions>();

  /**
   * The analysis of a chart file (values file or template), or undefined when the file is not part of a
   * chart. A values file other than values.yaml is judged as an override over the defaults.
   */
  fileAnalysis(file: string, text: string, options: AnalysisOptions, configuredValues: readonly string[] = []): FileAnalysis | undefined {
    const root = this.rootOf(file);
    if (!root) return undefined;
    const key = slash(path.resolve(file));
    this.update(root, key, text);
    const base = path.basename(key);
    const valuesFiles = [...configuredValues.map((f) => slash(path.resolve(f)))];
    if (/^values.+\.ya?ml$/.test(base) && path.dirname(key) === root && !valuesFiles.includes(key)) valuesFiles.push(key);
    const analysis = this.analyze(root, valuesFiles, options);
    if (!analysis) return undefined;
    return helmFileAnalysis(file, text, analysis, key, options);
  }
}
