/**
 * What secctx reports for a rule's documented example (docs pages and their tests): a file judged alone,
 * or a file of a Helm chart judged through the chart made of the example's other files.
 */
import { Analyzer, type FileAnalysis } from '../analyze';
import { ChartAnalyzer } from '../helm/analyze';
import { buildChart } from '../helm/chart';
import { helmFileAnalysis } from '../helm/view';
import type { AnalysisOptions } from '../options';
import type { DocExample } from './rule';

/** Where an example chart's files live (the pages show paths relative to it). */
const EXAMPLE_CHART_ROOT = '/example-chart';

/** The example's analysis; `text` replaces its code (the code with a fix applied, say). */
export function exampleAnalysis(example: DocExample, options: AnalysisOptions, text = example.code): FileAnalysis {
  if (!example.chart) return new Analyzer().analyze(example.file, text, options);
  const file = `${EXAMPLE_CHART_ROOT}/${example.file}`;
  const files = new Map(Object.entries(example.chart).map(([rel, code]) => [`${EXAMPLE_CHART_ROOT}/${rel}`, code]));
  files.set(file, text);
  const chart = new ChartAnalyzer().analyze(buildChart(EXAMPLE_CHART_ROOT, files), [], options);
  return helmFileAnalysis(file, text, chart, file, options);
}
