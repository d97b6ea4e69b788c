/**
 * Lines too long to read. dockerfile-ast splits an instruction into words several times over (over a
 * second for a RUN line of 1 MB) and the RUN reader comes after it: of a line longer than
 * MAX_LINE_LENGTH only the first word is read (the keyword of an instruction). The parser gets the text
 * with the rest of such lines blanked, which keeps every offset, every line and every line continuation.
 */
import type { Span } from '../types';

export const MAX_LINE_LENGTH = 64 * 1024;

export interface LongLine {
  /** The line, without its line break. */
  readonly span: Span;
  /** What is read of it: its first word, when that is a keyword (letters); empty otherwise. */
  readonly read: Span;
}

/** The text as the parser reads it (long lines blanked but for their first word and a final escape), and those lines. */
export function blankLongLines(text: string): { readonly text: string; readonly longLines: readonly LongLine[] } {
  const longLines: LongLine[] = [];
  const lineBreak = /\r\n?|\n/g;
  for (let start = 0; ;) {
    const found = lineBreak.exec(text);
    const end = found ? found.index : text.length;
    if (end - start > MAX_LINE_LENGTH) longLines.push(longLine(text, start, end));
    if (!found) break;
    start = lineBreak.lastIndex;
  }
  if (!longLines.length) return { text, longLines };
  let readable = '';
  let at = 0;
  for (const line of longLines) {
    const kept = finalEscape(text, line.read.end, line.span.end);
    readable += text.slice(at, line.read.end) + ' '.repeat(kept - line.read.end);
    at = kept;
  }
  return { text: readable + text.slice(at), longLines };
}

function longLine(text: string, start: number, end: number): LongLine {
  let word = start;
  while (word < end && (text[word] === ' ' || text[word] === '\t')) word++;
  let wordEnd = word;
  while (wordEnd < end && /[A-Za-z]/.test(text[wordEnd])) wordEnd++;
  return { span: { start, end }, read: { start: word, end: wordEnd } };
}

/** Where the line's final escape (`\` or `` ` ``, then blanks) starts: the line continues. `end` when there is none. */
function finalEscape(text: string, from: number, end: number): number {
  let i = end;
  while (i > from && (text[i - 1] === ' ' || text[i - 1] === '\t')) i--;
  return i > from && (text[i - 1] === '\\' || text[i - 1] === '`') ? i - 1 : end;
}
