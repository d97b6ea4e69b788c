/**
 * Findings as one line each, `file:line:column-endLine:endColumn: severity rule: message`: the output
 * of the "Check workspace" task, which the `$secctx` problem matcher (package.json) reads back.
 * Keep PROBLEM_LINE and the matcher's regexp in step (test/unit/extension-manifest.test.ts checks).
 */
import { LineIndex } from '../lines';
import type { Finding } from '../types';

/** What the `$secctx` problem matcher matches: file, line, column, endLine, endColumn, severity, code, message. */
export const PROBLEM_LINE = '^(.+?):(\\d+):(\\d+)-(\\d+):(\\d+): (error|warning|info) ([a-z0-9-]+): (.*)$';

export function problemLines(file: string, text: string, findings: readonly Finding[]): string[] {
  const lines = new LineIndex(text);
  return findings.map((f) => {
    const start = lines.position(f.span.start);
    const end = lines.position(f.span.end);
    const severity = f.severity === 'hint' ? 'info' : f.severity;
    return `${file}:${start.line}:${start.column}-${end.line}:${end.column}: ${severity} ${f.rule}: ${oneLine(f.message)}`;
  });
}

/** A message on one line: each line trimmed, joined by one space (a split, not a regex around the line break, which backtracks on long blank runs). */
function oneLine(message: string): string {
  return message.split('\n').map((l) => l.trim()).filter((l) => l !== '').join(' ');
}
