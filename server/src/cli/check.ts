/** `secctx check`: findings in the chosen format; exit 1 when any is an error. */
import { formatSarif, formatStylish, toJsonFindings, type JsonFinding } from './format';
import { analyzeInputs, reportProblems } from './inputs';
import type { CliIo } from './io';
import type { CliOptions } from './options';
import { VERSION } from './version';

/** How each format writes the findings (text: '' when there are none). */
const WRITERS: Record<string, (findings: JsonFinding[], o: CliOptions) => string> = {
  text: (findings, o) => formatStylish(findings, o.color),
  json: (findings) => JSON.stringify({ findings }, null, 2),
  sarif: (findings) => JSON.stringify(formatSarif(findings, VERSION), null, 2),
};

export async function runCheck(o: CliOptions, io: CliIo): Promise<number> {
  const inputs = await analyzeInputs(o, io);
  if (!reportProblems(inputs, io)) return 2;
  const read = inputs.files.map((f) => ({ file: f.file.display, text: f.text, findings: f.analysis.findings }));
  // Findings builds put in files no given path reached (a base outside the folder given).
  const findings = toJsonFindings([...read, ...inputs.builds.otherFiles(new Set(inputs.files.map((f) => f.file.absolute)))]);
  const out = WRITERS[o.format](findings, o);
  if (out) io.stdout(out + '\n');
  return findings.some((f) => f.severity === 'error') ? 1 : 0;
}
