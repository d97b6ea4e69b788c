/**
 * A small POSIX-shell lexer: enough to split a script into simple commands and words the way
 * the shell does (quotes, escapes, `\` continuations, comments, here-documents, `$(...)` and
 * backquotes, whose inner commands are listed too), keeping each character's source offset.
 * The `make` dialect reads a Makefile recipe: `$(VAR)`/`${VAR}` are make expansions, `$$` is `$`.
 * It never throws and always advances.
 */
import type { Span } from '../types';

export type Dialect = 'sh' | 'make';

export interface ShellWord {
  /** The word as written. */
  readonly span: Span;
  /** Quotes and escapes removed; expansions kept as written (`$UID`, `$(id -u)`). */
  readonly text: string;
  /** The source offset of each character of `text`. */
  readonly offsets: readonly number[];
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

/** The source span of characters [from, to) of a word. */
export function wordSpan(w: ShellWord, from = 0, to = w.text.length): Span {
  if (from >= to || from >= w.offsets.length) return from === 0 ? w.span : { start: w.span.end, end: w.span.end };
  const last = Math.min(to, w.offsets.length) - 1;
  return { start: w.offsets[from], end: w.offsets[last] + 1 };
}

const REDIRECT = /[0-9]*(?:<<<|<<-|<<|>>|>&|<&|>\||<>|>|<)|&>>?/y;
const MAX_DEPTH = 64;

type Lit = (ch: string, at: number) => void;
type Exp = (from: number, to: number) => void;

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
    let text = '';
    const offsets: number[] = [];
    const expansions: [number, number][] = [];
    let quoted = false;
    const lit: Lit = (ch, at) => { text += ch; offsets.push(at); };
    const exp: Exp = (from, to) => {
      const s = text.length;
      for (let i = from; i < to && i < this.end; i++) lit(this.text[i], i);
      if (text.length > s) expansions.push([s, text.length]);
    };
    while (this.pos < this.end) {
      const c = this.ch();
      if (c === '(' && /^[A-Za-z_][A-Za-z0-9_]*\+?=$/.test(text)) {
        const s = this.pos;
        this.skipBalanced('(', ')');
        exp(s, this.pos);
        continue;
      }
      if (' \t\r\n;&|<>()'.includes(c) || (stop === '`' && c === '`')) break;
      if (c === '\\') {
        const n = this.ch(this.pos + 1);
        if (n === '\n') { this.pos += 2; continue; }
        if (n === '') { lit(c, this.pos); this.pos++; continue; }
        quoted = true;
        lit(n, this.pos + 1);
        this.pos += 2;
        continue;
      }
      if (c === "'") {
        quoted = true;
        this.pos++;
        while (this.pos < this.end && this.ch() !== "'") { lit(this.ch(), this.pos); this.pos++; }
        this.pos++;
        continue;
      }
      if (c === '"') { quoted = true; this.double(lit, exp); continue; }
      if (c === '$') { this.dollar(lit, exp); continue; }
      if (c === '`') {
        const s = this.pos;
        this.pos++;
        this.nested('`');
        exp(s, this.pos);
        continue;
      }
      lit(c, this.pos);
      this.pos++;
    }
    if (this.pos === start) return undefined;
    return { span: { start, end: Math.min(this.pos, this.end) }, text, offsets, expansions, quoted };
  }

  private double(lit: Lit, exp: Exp): void {
    this.pos++;
    while (this.pos < this.end) {
      const c = this.ch();
      if (c === '"') { this.pos++; return; }
      if (c === '\\') {
        const n = this.ch(this.pos + 1);
        if (n === '\n') { this.pos += 2; continue; }
        if (n !== '' && '$`"\\'.includes(n)) { lit(n, this.pos + 1); this.pos += 2; continue; }
        lit(c, this.pos);
        this.pos++;
        continue;
      }
      if (c === '$') { this.dollar(lit, exp); continue; }
      if (c === '`') {
        const s = this.pos;
        this.pos++;
        this.nested('`');
        exp(s, this.pos);
        continue;
      }
      lit(c, this.pos);
      this.pos++;
    }
  }

  private dollar(lit: Lit, exp: Exp): void {
    const s = this.pos;
    const n = this.ch(this.pos + 1);
    if (this.dialect === 'make') {
      if (n === '$') { this.pos++; this.shellDollar(s, lit, exp); return; }
      if (n === '(' || n === '{') { this.pos++; this.skipBalanced(n, n === '(' ? ')' : '}'); exp(s, this.pos); return; }
      if (n !== '' && !/\s/.test(n)) { this.pos += 2; exp(s, this.pos); return; }
      lit('$', this.pos);
      this.pos++;
      return;
    }
    this.shellDollar(s, lit, exp);
  }

  /** At a shell `$`; `s` is where the expansion as written starts (`$$` in make). */
  private shellDollar(s: number, lit: Lit, exp: Exp): void {
    const n = this.ch(this.pos + 1);
    if (n === '(' && this.ch(this.pos + 2) === '(') { this.pos++; this.skipBalanced('(', ')'); exp(s, this.pos); return; }
    if (n === '(') { this.pos += 2; this.nested(')'); exp(s, this.pos); return; }
    if (n === '{') { this.pos++; this.skipBalanced('{', '}'); exp(s, this.pos); return; }
    if (n === "'") {
      this.pos += 2;
      while (this.pos < this.end && this.ch() !== "'") {
        if (this.ch() === '\\' && this.ch(this.pos + 1) !== '') { lit(this.ch(this.pos + 1), this.pos + 1); this.pos += 2; continue; }
        lit(this.ch(), this.pos);
        this.pos++;
      }
      this.pos++;
      return;
    }
    if (/[A-Za-z_]/.test(n)) {
      this.pos += 2;
      while (/[A-Za-z0-9_]/.test(this.ch())) this.pos++;
      exp(s, this.pos);
      return;
    }
    if (n !== '' && '0123456789@*#?$!-'.includes(n)) { this.pos += 2; exp(s, this.pos); return; }
    lit('$', this.pos);
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
