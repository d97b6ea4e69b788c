/**
 * Suppression comments, by rule id only (never by message text):
 *   # secctx-disable-next-line <rule-id>[, <rule-id>...]
 *   # secctx-disable <rule-id>[, ...]        (rest of the YAML document / file)
 *   <!-- secctx-disable-next-line <rule-id>[, ...] -->   (Markdown: before a fenced code block, the whole block)
 * plus the `secctx.dev/ignore` annotation on a resource (handled by the Kubernetes analysis).
 * A next-line comment covers the next line and its `\` continuation lines (one shell command).
 */
import { dockerRunHostKind } from './docker/detect';
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

const COMMENT = /(?:#|(<!--))\s*secctx-disable(-next-line)?\s+([\w-]+(?:\s*,\s*[\w-]+)*)/g;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/** The lines of a text, without their line breaks. */
function textLines(text: string): string[] {
  return text.split('\n').map((l) => l.replace(/\r$/, ''));
}

/** The last line a next-line comment on `line - 1` covers: a fenced block's closing fence, or the end of `\` continuations. */
function coveredUntil(all: readonly string[], line: number, html: boolean): number {
  const open = html ? FENCE.exec(all[line] ?? '') : null;
  if (open) {
    const marker = open[1];
    for (let i = line + 1; i < all.length; i++) {
      const t = all[i].trim();
      if (t.startsWith(marker[0].repeat(marker.length)) && t.replace(marker[0] === '`' ? /`/g : /~/g, '') === '') return i;
    }
    return all.length - 1;
  }
  let last = line;
  while (last < all.length - 1 && (all[last] ?? '').endsWith('\\')) last++;
  return last;
}

export function parseSuppressions(text: string): Suppressions {
  const lines = new Map<number, string[]>();
  const from = new Map<string, number>();
  if (!text.includes('secctx-disable')) return { lines, from };
  let line = 0;
  let lineStart = 0;
  COMMENT.lastIndex = 0;
  let all: string[] | undefined;
  for (let m = COMMENT.exec(text); m; m = COMMENT.exec(text)) {
    while (true) {
      const nl = text.indexOf('\n', lineStart);
      if (nl < 0 || nl >= m.index) break;
      lineStart = nl + 1;
      line++;
    }
    const ids = m[3].split(',').map((s) => s.trim());
    if (m[2]) {
      all ??= textLines(text);
      const last = coveredUntil(all, line + 1, m[1] !== undefined);
      for (let l = line + 1; l <= last; l++) lines.set(l, [...(lines.get(l) ?? []), ...ids]);
    } else if (m[1]) continue; // an HTML comment only disables the next line or block
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

/**
 * The comment line that disables a rule on the line of `offset` (for the "Disable … for this line" action), placed
 * where it does not change what the file does or shows: before the first line of a `\\`-continued command; in
 * Markdown an HTML comment before the fenced code block (never a shell comment inside the rendered block); in a
 * Makefile a make comment at column 0 before the recipe line (make ignores it; a tab-indented one would be run
 * and echoed by the shell).
 */
export function disableCommentEdit(text: string, offset: number, rule: string, path = ''): { start: number; end: number; newText: string } {
  const host = path ? dockerRunHostKind(path, text.slice(0, 200)) : undefined;
  const all = textLines(text);
  const starts: number[] = [];
  for (let i = 0, at = 0; i < all.length; i++) {
    starts.push(at);
    at = text.indexOf('\n', at) + 1;
  }
  let line = 0;
  while (line + 1 < starts.length && starts[line + 1] <= offset) line++;
  if (host === 'markdown') {
    let fence = line;
    while (fence >= 0 && !FENCE.exec(all[fence])) fence--;
    if (fence >= 0) line = fence;
  } else if (host) {
    while (line > 0 && all[line - 1].endsWith('\\')) line--;
  }
  const lineStart = starts[line];
  const html = host === 'markdown' && FENCE.test(all[line]);
  const indent = host === 'makefile' ? '' : html ? (/^ */.exec(all[line])?.[0] ?? '') : /^[ \t]*(?:- )?/.exec(all[line])?.[0].replace('- ', '  ') ?? '';
  const prev = line > 0 ? all[line - 1] : '';
  const prevStart = line > 0 ? starts[line - 1] : 0;
  // The directive, then its list up to trailing blanks (a lazy `(.*?)\s*$` backtracked quadratically on blanks).
  const directive = (html ? /^[ \t]*<!--\s*secctx-disable-next-line\s+/ : /^[ \t]*#\s*secctx-disable-next-line\s+/).exec(prev);
  let list = directive ? prev.slice(directive[0].length).trimEnd() : '';
  if (html && directive) list = list.endsWith('-->') ? list.slice(0, -3).trimEnd() : '';
  if (line > 0 && directive && list) {
    const ids = list.split(',').map((x) => x.trim());
    if (ids.includes(rule)) return { start: prevStart, end: prevStart, newText: '' };
    const at = prevStart + directive[0].length + list.length;
    return { start: at, end: at, newText: `, ${rule}` };
  }
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const comment = html ? `<!-- secctx-disable-next-line ${rule} -->` : `# secctx-disable-next-line ${rule}`;
  return { start: lineStart, end: lineStart, newText: `${indent}${comment}${eol}` };
}
