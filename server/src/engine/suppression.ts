/**
 * Suppression comments, by rule id only (never by message text):
 *   # secctx-disable-next-line <rule-id>[, <rule-id>...]
 *   # secctx-disable <rule-id>[, ...]        (rest of the YAML document / file)
 * plus the `secctx.dev/ignore` annotation on a resource (handled by the Kubernetes analysis).
 */
import { LineIndex } from './lines';
import type { Finding } from './types';

export interface Suppressions {
  /** line index → rule ids disabled on that line */
  readonly lines: ReadonlyMap<number, readonly string[]>;
  /** rule id → first line from which it is disabled */
  readonly from: ReadonlyMap<string, number>;
  /** The lines of the text the comments were found in, when there are any: each finding's line is a lookup. */
  readonly lineIndex?: LineIndex;
}

const COMMENT = /#\s*secctx-disable(-next-line)?\s+([\w-]+(?:\s*,\s*[\w-]+)*)/g;

export function parseSuppressions(text: string): Suppressions {
  const lines = new Map<number, string[]>();
  const from = new Map<string, number>();
  if (!text.includes('secctx-disable')) return { lines, from };
  let line = 0;
  let lineStart = 0;
  COMMENT.lastIndex = 0;
  for (let m = COMMENT.exec(text); m; m = COMMENT.exec(text)) {
    while (true) {
      const nl = text.indexOf('\n', lineStart);
      if (nl < 0 || nl >= m.index) break;
      lineStart = nl + 1;
      line++;
    }
    const ids = m[2].split(',').map((s) => s.trim());
    if (m[1]) lines.set(line + 1, [...(lines.get(line + 1) ?? []), ...ids]);
    else for (const id of ids) if (!from.has(id)) from.set(id, line);
  }
  return lines.size || from.size ? { lines, from, lineIndex: new LineIndex(text) } : { lines, from };
}

export function lineOfOffset(text: string, offset: number): number {
  let line = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

export function isSuppressed(finding: Finding, text: string, s: Suppressions): boolean {
  if (s.lines.size === 0 && s.from.size === 0) return false;
  const line = s.lineIndex ? s.lineIndex.position(finding.span.start).line - 1 : lineOfOffset(text, finding.span.start);
  if (s.lines.get(line)?.includes(finding.rule)) return true;
  const start = s.from.get(finding.rule);
  return start !== undefined && line >= start;
}

/** The comment line that disables a rule on the line of `offset` (for the "Disable … for this line" action). */
export function disableCommentEdit(text: string, offset: number, rule: string): { start: number; end: number; newText: string } {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const indent = /^[ \t]*(?:- )?/.exec(text.slice(lineStart))?.[0].replace('- ', '  ') ?? '';
  const prevEnd = lineStart - 1;
  const prevStart = text.lastIndexOf('\n', prevEnd - 1) + 1;
  const prev = prevEnd > 0 ? text.slice(prevStart, prevEnd) : '';
  // The directive, then its list up to trailing blanks (a lazy `(.*?)\s*$` backtracked quadratically on blanks).
  const directive = /^[ \t]*#\s*secctx-disable-next-line\s+/.exec(prev);
  if (directive) {
    const list = prev.slice(directive[0].length).trimEnd();
    const ids = list.split(',').map((x) => x.trim());
    if (ids.includes(rule)) return { start: prevStart, end: prevStart, newText: '' };
    const at = prevStart + directive[0].length + list.length;
    return { start: at, end: at, newText: `, ${rule}` };
  }
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return { start: lineStart, end: lineStart, newText: `${indent}# secctx-disable-next-line ${rule}${eol}` };
}
