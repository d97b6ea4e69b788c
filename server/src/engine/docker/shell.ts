/**
 * A small POSIX-shell lexer: enough to split a script into simple commands and words the way
 * the shell does (quotes, escapes, `\` continuations, comments, here-documents, `$(...)` and
 * backquotes, whose inner commands are listed too), keeping each character's source offset.
 * The `make` dialect reads a Makefile recipe: `$(VAR)`/`${VAR}` are make expansions, `$$` is `$`.
 * It never throws and always advances. A word keeps where its characters come from as runs of the
 * source, so an expansion (however deeply nested) is one run of each enclosing word, not a copy of
 * every character with its offset: the work stays linear in the text, binary data included.
 */
import type { Span } from '../types';

export type Dialect = 'sh' | 'make';

export interface ShellWord {
  /** The word as written. */
  readonly span: Span;
  /** Quotes and escapes removed; expansions kept as written (`$UID`, `$(id -u)`). */
  readonly text: string;
  /**
   * Where the characters of `text` come from, as runs of consecutive source offsets: flat pairs
   * `[index in text, source offset]`, in order (see `charOffset`).
   */
  readonly runs: readonly number[];
  /** [start, end) ranges of `text` that are expansions. */
  readonly expansions: readonly (readonly [number, number])[];
  readonly quoted: boolean;
}

export interface SimpleCommand {
  readonly words: readonly ShellWord[];
}

/** The simple commands of text[start, end), in source order, nested ones (`$(...)`) included. */
export function shellCommands(text: string, start: number, end: number, dialect: Dialect): SimpleCommand[] {
  const lexer = new Lexer(text, start, Math.min(end, text.length), dialect);
  try {
    lexer.list('');
  } catch {
    // Defensive: a lexer bug must not lose the commands found so far.
  }
  return lexer.commands.sort((a, b) => a.words[0].span.start - b.words[0].span.start);
}

/** The literal text of text[from, to) of a word; undefined when an expansion is part of it. */
export function wordValue(w: ShellWord, from = 0, to = w.text.length): string | undefined {
  for (const [s, e] of w.expansions) if (s < to && e > from) return undefined;
  return w.text.slice(from, to);
}

/** The source offset of character `i` of a word. */
export function charOffset(w: ShellWord, i: number): number {
  let lo = 0;
  let hi = w.runs.length / 2 - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (w.runs[2 * mid] <= i) lo = mid;
    else hi = mid - 1;
  }
  return w.runs[2 * lo + 1] + (i - w.runs[2 * lo]);
}

/** The source span of characters [from, to) of a word. */
export function wordSpan(w: ShellWord, from = 0, to = w.text.length): Span {
  if (from >= to || from >= w.text.length) return from === 0 ? w.span : { start: w.span.end, end: w.span.end };
  const last = Math.min(to, w.text.length) - 1;
  return { start: charOffset(w, from), end: charOffset(w, last) + 1 };
}

const REDIRECT = /[0-9]*(?:<<<|<<-|<<|>>|>&|<&|>\||<>|>|<)|&>>?/y;
const MAX_DEPTH = 64;

/** How far the text of a word so far is `NAME=` or `NAME+=`, which an array `(…)` may follow. */
type AssignmentPrefix = 'empty' | 'name' | 'plus' | 'complete' | 'no';

function nextPrefix(state: AssignmentPrefix, ch: string): AssignmentPrefix {
  if (state === 'empty') return /[A-Za-z_]/.test(ch) ? 'name' : 'no';
  if (state === 'name') return /[A-Za-z0-9_]/.test(ch) ? 'name' : ch === '+' ? 'plus' : ch === '=' ? 'complete' : 'no';
  if (state === 'plus') return ch === '=' ? 'complete' : 'no';
  return 'no';
}

/** A word being read: the runs its characters come from, its expansions; its text is sliced at the end. */
class WordBuilder {
  private length = 0;
  private next = -1;
  readonly runs: number[] = [];
  readonly expansions: [number, number][] = [];
  prefix: AssignmentPrefix = 'empty';

  constructor(private readonly source: string) {}

  /** The source character at `at`, after quote or escape removal. */
  char(at: number): void {
    if (at !== this.next) this.runs.push(this.length, at);
    this.length++;
    this.next = at + 1;
    this.prefix = nextPrefix(this.prefix, this.source[at]);
  }

  /** Source [from, to) as written: an expansion. */
  expansion(from: number, to: number): void {
    if (to <= from) return;
    if (from !== this.next) this.runs.push(this.length, from);
    this.expansions.push([this.length, this.length + to - from]);
    this.length += to - from;
    this.next = to;
    this.prefix = 'no';
  }

  text(): string {
    let out = '';
    for (let k = 0; k < this.runs.length; k += 2) {
      const end = k + 2 < this.runs.length ? this.runs[k + 2] : this.length;
      out += this.source.slice(this.runs[k + 1], this.runs[k + 1] + end - this.runs[k]);
    }
    return out;
  }
}

class Lexer {
  readonly commands: SimpleCommand[] = [];
  private pos: number;
  private depth = 0;
  private heredocs: { delimiter: string; stripTabs: boolean }[] = [];

  constructor(private readonly text: string, start: number, private readonly end: number, private readonly dialect: Dialect) {
    this.pos = start;
  }

  private ch(i = this.pos): string {
    return i < this.end ? this.text[i] : '';
  }

  /** Commands until `stop` (consumed) or the end. */
  list(stop: '' | ')' | '`'): void {
    let words: ShellWord[] = [];
    const flush = () => {
      if (words.length) this.commands.push({ words });
      words = [];
    };
    while (this.pos < this.end) {
      const c = this.ch();
      if (c === ' ' || c === '\t' || c === '\r') { this.pos++; continue; }
      if (c === '\\' && this.ch(this.pos + 1) === '\n') { this.pos += 2; continue; }
      if (c === '\\' && this.ch(this.pos + 1) === '\r' && this.ch(this.pos + 2) === '\n') { this.pos += 3; continue; }
      if (c === '\n') { flush(); this.pos++; this.skipHeredocs(); continue; }
      if (c === '#') { while (this.pos < this.end && this.ch() !== '\n') this.pos++; continue; }
      if (stop && c === stop) { this.pos++; flush(); return; }
      if (c === '&' && this.ch(this.pos + 1) === '>') { this.redirect(); continue; }
      if (c === ';' || c === '&' || c === '|') {
        while (this.ch() === ';' || this.ch() === '&' || this.ch() === '|') this.pos++;
        flush();
        continue;
      }
      if (c === '(') {
        flush();
        this.pos++;
        if (this.ch() === ')') this.pos++;
        else this.nested(')');
        continue;
      }
      if (c === ')') { flush(); this.pos++; continue; }
      if (this.atRedirect()) { this.redirect(); continue; }
      const before = this.pos;
      const w = this.word(stop);
      if (w) words.push(w);
      if (this.pos === before) this.pos++;
    }
    flush();
  }

  private nested(stop: ')' | '`'): void {
    if (this.depth >= MAX_DEPTH) {
      while (this.pos < this.end && this.ch() !== stop) this.pos++;
      this.pos++;
      return;
    }
    this.depth++;
    this.list(stop);
    this.depth--;
  }

  private atRedirect(): boolean {
    REDIRECT.lastIndex = this.pos;
    const m = REDIRECT.exec(this.text);
    return m !== null && m.index === this.pos && this.pos + m[0].length <= this.end && (m[0][0] === '&' || /[<>]/.test(m[0]));
  }

  /** A redirection and its target word; `<<` registers a here-document. */
  private redirect(): void {
    REDIRECT.lastIndex = this.pos;
    const m = REDIRECT.exec(this.text);
    const op = m ? m[0] : this.ch();
    this.pos += op.length;
    if ((op.endsWith('>&') || op.endsWith('<&')) && /[0-9-]/.test(this.ch())) {
      while (/[0-9-]/.test(this.ch())) this.pos++;
      return;
    }
    while (this.ch() === ' ' || this.ch() === '\t') this.pos++;
    const target = this.word('');
    if (target && !op.endsWith('<<<') && /<<-?$/.test(op)) this.heredocs.push({ delimiter: target.text, stripTabs: op.endsWith('-') });
  }

  private skipHeredocs(): void {
    const pending = this.heredocs;
    this.heredocs = [];
    for (const h of pending) {
      while (this.pos < this.end) {
        let eol = this.text.indexOf('\n', this.pos);
        if (eol < 0 || eol > this.end) eol = this.end;
        let line = this.text.slice(this.pos, eol).replace(/\r$/, '');
        if (h.stripTabs) line = line.replace(/^\t+/, '');
        this.pos = Math.min(eol + 1, this.end);
        if (line === h.delimiter) break;
      }
    }
  }

  private word(stop: '' | ')' | '`'): ShellWord | undefined {
    const start = this.pos;
    const b = new WordBuilder(this.text);
    let quoted = false;
    while (this.pos < this.end) {
      const c = this.ch();
      if (c === '(' && b.prefix === 'complete') {
        const s = this.pos;
        this.skipBalanced('(', ')');
        this.expansion(b, s);
        continue;
      }
      if (' \t\r\n;&|<>()'.includes(c) || (stop === '`' && c === '`')) break;
      if (c === '\\') {
        const n = this.ch(this.pos + 1);
        if (n === '\n') { this.pos += 2; continue; }
        if (n === '') { b.char(this.pos); this.pos++; continue; }
        quoted = true;
        b.char(this.pos + 1);
        this.pos += 2;
        continue;
      }
      if (c === "'") {
        quoted = true;
        this.pos++;
        while (this.pos < this.end && this.ch() !== "'") { b.char(this.pos); this.pos++; }
        this.pos++;
        continue;
      }
      if (c === '"') { quoted = true; this.double(b); continue; }
      if (c === '$') { this.dollar(b); continue; }
      if (c === '`') { this.backtick(b); continue; }
      b.char(this.pos);
      this.pos++;
    }
    if (this.pos === start) return undefined;
    return { span: { start, end: Math.min(this.pos, this.end) }, text: b.text(), runs: b.runs, expansions: b.expansions, quoted };
  }

  /** `` `command` ``: read to its closing backtick, kept as written, an expansion of the word. */
  private backtick(b: WordBuilder): void {
    const from = this.pos;
    this.pos++;
    this.nested('`');
    this.expansion(b, from);
  }

  /** Source [from, here) as written, an expansion of the word (up to the end of what is read). */
  private expansion(b: WordBuilder, from: number): void {
    b.expansion(from, Math.min(this.pos, this.end));
  }

  private double(b: WordBuilder): void {
    this.pos++;
    while (this.pos < this.end) {
      const c = this.ch();
      if (c === '"') { this.pos++; return; }
      if (c === '\\') {
        const n = this.ch(this.pos + 1);
        if (n === '\n') { this.pos += 2; continue; }
        if (n !== '' && '$`"\\'.includes(n)) { b.char(this.pos + 1); this.pos += 2; continue; }
        b.char(this.pos);
        this.pos++;
        continue;
      }
      if (c === '$') { this.dollar(b); continue; }
      if (c === '`') { this.backtick(b); continue; }
      b.char(this.pos);
      this.pos++;
    }
  }

  private dollar(b: WordBuilder): void {
    const s = this.pos;
    const n = this.ch(this.pos + 1);
    if (this.dialect === 'make') {
      if (n === '$') { this.pos++; this.shellDollar(s, b); return; }
      if (n === '(' || n === '{') { this.pos++; this.skipBalanced(n, n === '(' ? ')' : '}'); this.expansion(b, s); return; }
      if (n !== '' && !/\s/.test(n)) { this.pos += 2; this.expansion(b, s); return; }
      b.char(this.pos);
      this.pos++;
      return;
    }
    this.shellDollar(s, b);
  }

  /** At a shell `$`; `s` is where the expansion as written starts (`$$` in make). */
  private shellDollar(s: number, b: WordBuilder): void {
    const n = this.ch(this.pos + 1);
    if (n === '(' && this.ch(this.pos + 2) === '(') { this.pos++; this.skipBalanced('(', ')'); this.expansion(b, s); return; }
    if (n === '(') { this.pos += 2; this.nested(')'); this.expansion(b, s); return; }
    if (n === '{') { this.pos++; this.skipBalanced('{', '}'); this.expansion(b, s); return; }
    if (n === "'") {
      this.pos += 2;
      while (this.pos < this.end && this.ch() !== "'") {
        if (this.ch() === '\\' && this.ch(this.pos + 1) !== '') { b.char(this.pos + 1); this.pos += 2; continue; }
        b.char(this.pos);
        this.pos++;
      }
      this.pos++;
      return;
    }
    if (/[A-Za-z_]/.test(n)) {
      this.pos += 2;
      while (/[A-Za-z0-9_]/.test(this.ch())) this.pos++;
      this.expansion(b, s);
      return;
    }
    if (n !== '' && '0123456789@*#?$!-'.includes(n)) { this.pos += 2; this.expansion(b, s); return; }
    b.char(this.pos);
    this.pos++;
  }

  /** From an opening bracket past its match, stepping over quoted text. */
  private skipBalanced(open: string, close: string): void {
    let depth = 0;
    while (this.pos < this.end) {
      const c = this.ch();
      if (c === '\\') { this.pos += 2; continue; }
      if (c === "'" && open !== '{') {
        const q = this.text.indexOf("'", this.pos + 1);
        this.pos = q < 0 || q >= this.end ? this.end : q + 1;
        continue;
      }
      if (c === '"') {
        this.pos++;
        while (this.pos < this.end && this.ch() !== '"') this.pos += this.ch() === '\\' ? 2 : 1;
        this.pos++;
        continue;
      }
      this.pos++;
      if (c === open) depth++;
      else if (c === close && --depth === 0) return;
    }
  }
}
