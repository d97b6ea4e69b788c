/**
 * `secctx check`: findings in the chosen format, a one-line summary, and an exit status that
 * follows --severity-threshold and --max-warnings. Where things go:
 * - the report goes to stdout, or to --output-file;
 * - with --fix-dry-run and text, stdout carries the unified diff alone and the report goes to
 *   stderr (or --output-file), so `secctx check --fix-dry-run k8s | git apply` works; with json
 *   the diff is the report's `patch` field; with sarif it is the results' `fixes`;
 * - problems with inputs (missing files, bad config) are one line each on stderr.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Severity } from '../engine/types';
import { formatCheckstyle, formatCodeClimate, formatGithub, formatJunit, relativePath } from './ciFormats';
import type { FindingFormat } from './commands';
import { formatStylish, toJsonFindings, type JsonFinding } from './format';
import { analyzeInputs, KIND_NAMES, problemLine, type AnalyzedInputs } from './inputs';
import { unlistedChartFindings } from './helm';
import type { CliIo } from './io';
import { resolveColor, type CliOptions, type Threshold } from './options';
import { formatSarif } from './sarif';
import { VERSION } from './version';

export interface CheckReport {
  /** The findings shown (errors only with --quiet). */
  readonly findings: JsonFinding[];
  readonly inputs: AnalyzedInputs;
  readonly exitCode: number;
  readonly patch: string;
  readonly color: boolean;
  readonly absoluteOf: (display: string) => string;
  readonly argv: readonly string[];
}

const RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1, hint: 1 };
const THRESHOLD_RANK: Record<Threshold, number> = { error: 3, warning: 2, info: 1 };
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** `3 files checked (2 Kubernetes, 1 Compose)` and `; 2 skipped (1 binary, 1 ignored by .gitignore)`. */
function filesSummary(inputs: AnalyzedInputs): { checked: string; skipped: string } {
  const kinds = new Map<string, number>();
  for (const f of inputs.files) kinds.set(KIND_NAMES[f.analysis.kind], (kinds.get(KIND_NAMES[f.analysis.kind]) ?? 0) + 1);
  const checked = `${plural(inputs.files.length, 'file')} checked${kinds.size ? ` (${[...kinds].map(([k, n]) => `${n} ${k}`).join(', ')})` : ''}`;
  const skippedCount = [...inputs.skipped.values()].reduce((a, b) => a + b, 0);
  const skipped = skippedCount ? `; ${skippedCount} skipped (${[...inputs.skipped].map(([why, n]) => `${n} ${why}`).join(', ')})` : '';
  return { checked, skipped };
}

/** The closing line of a text report. */
export function summaryLine(r: CheckReport, quiet: boolean): string {
  const c = (code: string, s: string) => (r.color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const counts = { error: 0, warning: 0, info: 0 };
  for (const f of r.findings) counts[f.severity === 'hint' ? 'info' : f.severity]++;
  if (r.findings.length) {
    const files = filesSummary(r.inputs);
    const line = `✖ ${plural(r.findings.length, 'problem')} (${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${counts.info} info) in ${files.checked}${files.skipped}`;
    return c(counts.error ? '31;1' : '33;1', line);
  }
  if (!r.inputs.files.length && r.inputs.empty.length && !r.inputs.skipped.size) {
    return c('32', `✔ nothing to check in ${r.inputs.empty.join(', ')} (no Kubernetes, Compose, Dockerfile or shell files)`);
  }
  const files = filesSummary(r.inputs);
  return c('32', `✔ ${files.checked}, ${quiet ? 'no errors' : 'no problems'}${files.skipped}`);
}

function text(r: CheckReport, o: CliOptions): string {
  const body = formatStylish(r.findings, r.color);
  return `${body ? `${body}\n\n` : ''}${summaryLine(r, o.quiet)}`;
}

/** How each format writes a report. */
const WRITERS: Record<FindingFormat, (r: CheckReport, o: CliOptions) => string> = {
  text,
  json: (r, o) => JSON.stringify({ findings: r.findings, ...(o.fixDryRun ? { patch: r.patch } : {}) }, null, 2),
  sarif: (r) => JSON.stringify(formatSarif({ findings: r.findings, absoluteOf: r.absoluteOf, problems: r.inputs.problems, exitCode: r.exitCode, version: VERSION, cwd: process.cwd(), commandLine: r.argv }), null, 2),
  junit: (r) => formatJunit(r.findings, r.inputs.files.map((f) => f.file.display)),
  checkstyle: (r) => formatCheckstyle(r.findings, r.inputs.files.map((f) => f.file.display)),
  codeclimate: (r) => formatCodeClimate(r.findings, (d) => relativePath(r.absoluteOf(d), process.cwd())),
  github: (r) => formatGithub(r.findings, (d) => relativePath(r.absoluteOf(d), process.cwd())),
};

export function exitStatus(all: readonly JsonFinding[], inputs: AnalyzedInputs, o: CliOptions): { code: number; message?: string } {
  if (inputs.problems.some((p) => p.fatal)) return { code: 2 };
  if (all.some((f) => RANK[f.severity] >= THRESHOLD_RANK[o.severityThreshold])) return { code: 1 };
  const warnings = all.filter((f) => f.severity === 'warning').length;
  if (o.maxWarnings !== undefined && warnings > o.maxWarnings) return { code: 1, message: `too many warnings (${warnings}, maximum ${o.maxWarnings})` };
  return { code: 0 };
}

export async function runCheck(o: CliOptions, io: CliIo): Promise<number> {
  const inputs = await analyzeInputs(o, io);
  for (const p of inputs.problems) io.stderr(problemLine(p));
  const read = inputs.files.map((f) => ({ file: f.file.display, text: f.text, findings: f.analysis.findings }));
  // Findings builds put in files no given path reached (a base outside the folder given).
  const given = new Set(inputs.files.map((f) => f.file.absolute));
  // …and findings charts put in files the walk does not list (templates/_helpers.tpl).
  const charted = unlistedChartFindings(inputs.charts, new Set([...given].map((f) => f.replace(/\\/g, '/'))), (f) => path.relative(process.cwd(), f));
  const all = toJsonFindings([...read, ...inputs.builds.otherFiles(given), ...charted]);
  const findings = o.quiet ? all.filter((f) => f.severity === 'error') : all;
  const status = exitStatus(all, inputs, o);
  const byDisplay = new Map(inputs.files.map((f) => [f.file.display, f.file.absolute]));
  const toTerminal = o.outputFile === undefined && !!(o.fixDryRun && o.format === 'text' ? process.stderr.isTTY : process.stdout.isTTY);
  const report: CheckReport = {
    findings, inputs, exitCode: status.code, argv: o.argv,
    patch: inputs.files.map((f) => f.patch).join(''),
    color: o.format === 'text' && resolveColor(o, process.env, toTerminal),
    absoluteOf: (d) => byDisplay.get(d) ?? path.resolve(d),
  };
  if (o.fix && inputs.unsafeLeft) {
    io.stderr(`secctx: ${inputs.fixesApplied ? '' : 'no safe fix to apply: '}${plural(inputs.unsafeLeft, 'finding')} ${inputs.unsafeLeft === 1 ? 'has' : 'have'} only an unsafe fix (apply with --fix-unsafe${o.fixDryRun ? ' --fix-dry-run' : ''})\n`);
  }
  // The command table lets check take only finding formats.
  const out = WRITERS[o.format as FindingFormat](report, o);
  const diffOnStdout = o.fixDryRun && o.format === 'text';
  if (diffOnStdout) io.stdout(report.patch);
  // A text report after a fatal problem with nothing checked would only say "0 files checked".
  const skipText = o.format === 'text' && status.code === 2 && !inputs.files.length;
  if (o.outputFile !== undefined) {
    fs.mkdirSync(path.dirname(path.resolve(o.outputFile)), { recursive: true });
    fs.writeFileSync(o.outputFile, out ? `${out}\n` : '');
  } else if (!skipText && out) {
    (diffOnStdout ? io.stderr : io.stdout)(`${out}\n`);
  }
  if (status.message) io.stderr(`secctx: ${status.message}\n`);
  return status.code;
}
