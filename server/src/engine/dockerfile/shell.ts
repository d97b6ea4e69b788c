/**
 * Reads the POSIX shell of a RUN instruction into simple commands with their words' offsets:
 * `&&`, `||`, `;`, `|`, `&`, newlines, subshells and compound keywords separate commands;
 * quotes, escapes and `$` expansions are applied; heredocs are read (and, given to a shell,
 * read as a script); `sh -c '…'` is read as a script. The Dockerfile's own line continuations
 * (escape + newline) and the comment lines inside them are skipped as BuildKit does.
 * Enough to find the account commands in a RUN; never throws.
 */
import type { Span } from '../types';
import { Expander, VariableScope } from './variables';

/** A piece of text to read, and how its indices map to offsets in the Dockerfile. */
export interface ShellSource {
  readonly text: string;
  span(start: number, end: number): Span;
  /** Dockerfile level: escape + newline joins lines and comment lines inside continuations are dropped. */
  readonly dockerfile?: { readonly escape: string };
}

export interface ShellWord {
  /** The word after quote removal and expansion; undefined when it depends on something unknown. */
  readonly value?: string;
  readonly raw: string;
  readonly span: Span;
}

export interface Heredoc {
  readonly body: string;
  readonly span: Span;
  /** A quoted delimiter: the body is not expanded. */
  readonly literal: boolean;
  /** The body as a source of its own, for reading it as a script. */
  readonly source: ShellSource;
}

export interface Redirect {
  readonly op: string;
  readonly target?: ShellWord;
  readonly heredoc?: Heredoc;
}

export interface SimpleCommand {
  readonly words: readonly ShellWord[];
  readonly redirects: readonly Redirect[];
  readonly span: Span;
  /** The command whose output is piped into this one (`a | b`). */
  readonly pipedFrom?: SimpleCommand;
}

const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh']);
const RESERVED = new Set(['if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'while', 'until', '!', '{', '}', 'time']);
const OPERATORS = ['&&', '||', ';;', '|&', ';', '|', '&', '(', ')'];
const REDIRECTS = ['<<<', '<<-', '<<', '>>', '&>>', '&>', '>&', '<&', '>|', '<>', '>', '<'];
const MAX_DEPTH = 4;
/** What an operator or a redirection (after its optional fd digits) starts with. */
const OPERATOR_START = /[0-9<>&|;()]/;

type Token =
  | { readonly kind: 'word'; readonly word: ShellWord; readonly start: number }
  | { readonly kind: 'op'; readonly op: string }
  | { readonly kind: 'redirect'; readonly op: string; readonly start: number };

interface PendingHeredoc {
  readonly delimiter: string;
  readonly stripTabs: boolean;
  readonly literal: boolean;
  heredoc?: Heredoc;
}

class Reader {
  private i = 0;
  readonly tokens: Token[] = [];
  readonly heredocs = new Map<number, PendingHeredoc>();
  private pending: PendingHeredoc[] = [];
  private readonly text: string;

  constructor(private readonly source: ShellSource, private readonly scope: VariableScope) {
    this.text = source.text;
  }

  read(): void {
    const t = this.text;
    while (this.i < t.length) {
      if (this.continuation()) continue;
      const ch = t[this.i];
      if (ch === ' ' || ch === '\t' || ch === '\r') this.i++;
      else if (ch === '\n') {
        this.i++;
        this.tokens.push({ kind: 'op', op: '\n' });
        this.readHeredocBodies();
      } else if (ch === '#') this.comment();
      else if (this.operator()) continue;
      else this.word();
    }
  }

  /** Escape + optional blanks + newline at Dockerfile level (or backslash-newline in the shell): joined. */
  private continuation(): boolean {
    const t = this.text;
    const esc = this.source.dockerfile?.escape ?? '\\';
    if (t[this.i] !== esc && t[this.i] !== '\\') return false;
    let j = this.i + 1;
    if (this.source.dockerfile) while (t[j] === ' ' || t[j] === '\t') j++;
    if (t[j] === '\r') j++;
    if (t[j] !== '\n') return false;
    this.i = j + 1;
    if (this.source.dockerfile) this.skipCommentLines();
    return true;
  }

  private skipCommentLines(): void {
    const t = this.text;
    for (;;) {
      let j = this.i;
      while (t[j] === ' ' || t[j] === '\t') j++;
      if (t[j] !== '#' && t[j] !== '\n' && !(t[j] === '\r' && t[j + 1] === '\n')) return;
      const nl = t.indexOf('\n', j);
      if (nl < 0) { this.i = t.length; return; }
      this.i = nl + 1;
    }
  }

  private comment(): void {
    const t = this.text;
    for (;;) {
      const nl = t.indexOf('\n', this.i);
      if (nl < 0) { this.i = t.length; return; }
      const esc = this.source.dockerfile?.escape;
      let end = nl; // trailing blanks dropped without `/[ \t\r]+$/` (quadratic on a run of blanks)
      while (end > this.i && (t[end - 1] === ' ' || t[end - 1] === '\t' || t[end - 1] === '\r')) end--;
      const before = t.slice(this.i, end);
      this.i = nl;
      if (!esc || !before.endsWith(esc)) return;
      this.i = nl + 1;
    }
  }

  private operator(): boolean {
    const t = this.text;
    if (!OPERATOR_START.test(t[this.i])) return false;
    const fd = /^\d*/.exec(t.slice(this.i, this.i + 4))?.[0] ?? '';
    for (const op of REDIRECTS) {
      if (t.startsWith(op, this.i + fd.length) && (fd === '' || !op.startsWith('&'))) {
        const start = this.i;
        this.i += fd.length + op.length;
        this.tokens.push({ kind: 'redirect', op, start });
        if (op === '<<' || op === '<<-') this.heredocDelimiter(op === '<<-');
        return true;
      }
    }
    for (const op of OPERATORS) {
      if (t.startsWith(op, this.i)) {
        this.i += op.length;
        this.tokens.push({ kind: 'op', op });
        return true;
      }
    }
    return false;
  }

  private heredocDelimiter(stripTabs: boolean): void {
    while (this.text[this.i] === ' ' || this.text[this.i] === '\t') this.i++;
    const start = this.tokens.length;
    const rawStart = this.i;
    this.word();
    const tok = this.tokens[start];
    if (!tok || tok.kind !== 'word') return;
    const raw = this.text.slice(rawStart, this.i);
    const pending: PendingHeredoc = { delimiter: raw.replace(/['"\\]/g, ''), stripTabs, literal: /['"\\]/.test(raw) };
    this.heredocs.set(start, pending);
    this.pending.push(pending);
  }

  private readHeredocBodies(): void {
    const t = this.text;
    for (const p of this.pending) {
      const bodyStart = this.i;
      let bodyEnd = t.length;
      while (this.i < t.length) {
        const nl = t.indexOf('\n', this.i);
        const lineEnd = nl < 0 ? t.length : nl;
        let line = t.slice(this.i, lineEnd).replace(/\r$/, '');
        if (p.stripTabs) line = line.replace(/^\t+/, '');
        if (line === p.delimiter) {
          bodyEnd = this.i;
          this.i = nl < 0 ? t.length : nl + 1;
          break;
        }
        this.i = nl < 0 ? t.length : nl + 1;
      }
      const src = this.source;
      p.heredoc = {
        body: t.slice(bodyStart, bodyEnd),
        span: src.span(bodyStart, bodyEnd),
        literal: p.literal,
        source: { text: t.slice(bodyStart, bodyEnd), span: (s, e) => src.span(bodyStart + s, bodyStart + e) },
      };
    }
    this.pending = [];
  }

  private word(): void {
    const t = this.text;
    const start = this.i;
    const ex = new Expander(this.scope);
    while (this.i < t.length) {
      if (this.continuation()) continue;
      const ch = t[this.i];
      if (/[\s;&|()<>]/.test(ch)) break;
      if (ch === '\\') {
        ex.out += t[this.i + 1] ?? '';
        this.i += 2;
      } else if (ch === "'") {
        const close = t.indexOf("'", this.i + 1);
        const end = close < 0 ? t.length : close;
        ex.out += t.slice(this.i + 1, end);
        this.i = end + 1;
      } else if (ch === '"') this.doubleQuoted(ex);
      else if (ch === '$' || ch === '`') this.dollar(ex);
      else {
        ex.out += ch;
        this.i++;
      }
    }
    if (this.i === start) {
      this.i++; // a lone character no rule consumed: skip it
      return;
    }
    const raw = t.slice(start, this.i);
    const span = this.source.span(start, this.i);
    const word: ShellWord = ex.unknown ? { raw, span } : { value: ex.out, raw, span };
    this.tokens.push({ kind: 'word', word, start });
  }

  private doubleQuoted(ex: Expander): void {
    const t = this.text;
    this.i++;
    while (this.i < t.length && t[this.i] !== '"') {
      if (this.continuation()) continue;
      const ch = t[this.i];
      if (ch === '\\' && /["$`\\]/.test(t[this.i + 1] ?? '')) {
        ex.out += t[this.i + 1];
        this.i += 2;
      } else if (ch === '$' || ch === '`') this.dollar(ex);
      else {
        ex.out += ch;
        this.i++;
      }
    }
    this.i++;
  }

  /** `$X`, `${…}`, `$(…)`, `$((…))` and backticks; command substitutions are unknown. */
  private dollar(ex: Expander): void {
    const t = this.text;
    if (t[this.i] === '`') {
      const close = t.indexOf('`', this.i + 1);
      this.i = close < 0 ? t.length : close + 1;
      ex.unknown = true;
    } else if (t[this.i + 1] === '(') {
      this.i = skipParens(t, this.i + 1);
      ex.unknown = true;
    } else this.i = ex.dollar(t, this.i, '\\');
  }
}

/** Index after the `)` that closes the `(` at `open`, skipping quotes and nested parentheses. */
function skipParens(t: string, open: number): number {
  let depth = 0;
  for (let i = open; i < t.length; i++) {
    const ch = t[i];
    if (ch === '\\') i++;
    else if (ch === "'") {
      const close = t.indexOf("'", i + 1);
      if (close < 0) return t.length;
      i = close;
    } else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return i + 1;
  }
  return t.length;
}

const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=/;

/** Reads a shell script into its simple commands, in order; nested scripts are read in place. */
export function readShell(source: ShellSource, scope: VariableScope, depth = 0): SimpleCommand[] {
  const shellScope = scope.clone();
  const reader = new Reader(source, shellScope);
  reader.read();
  const out: SimpleCommand[] = [];
  let words: ShellWord[] = [];
  let redirects: Redirect[] = [];
  let pipedFrom: SimpleCommand | undefined;
  let pipeNext = false;

  const finish = (op: string): void => {
    const command = assemble(words, redirects, pipedFrom, shellScope);
    words = [];
    redirects = [];
    if (command) {
      const nested = depth < MAX_DEPTH ? nestedScript(command) : undefined;
      if (nested) out.push(...readShell(nested, shellScope, depth + 1));
      else out.push(command);
    }
    pipeNext = op === '|' || op === '|&';
    pipedFrom = pipeNext ? command : undefined;
  };

  const tokens = reader.tokens;
  for (let k = 0; k < tokens.length; k++) {
    const tok = tokens[k];
    if (tok.kind === 'op') finish(tok.op);
    else if (tok.kind === 'word') words.push(tok.word);
    else {
      const next = tokens[k + 1];
      const target = next?.kind === 'word' ? next.word : undefined;
      if (target) k++;
      const heredoc = reader.heredocs.get(k)?.heredoc;
      redirects.push({ op: tok.op, ...(target ? { target } : {}), ...(heredoc ? { heredoc } : {}) });
    }
  }
  finish(';');
  return out;
}

function assemble(all: ShellWord[], redirects: Redirect[], pipedFrom: SimpleCommand | undefined, scope: VariableScope): SimpleCommand | undefined {
  let words = all;
  while (words.length && RESERVED.has(words[0].value ?? '')) words = words.slice(1);
  const assignments: { name: string; value?: string }[] = [];
  while (words.length && ASSIGNMENT.test(words[0].raw)) {
    const w = words[0];
    const name = ASSIGNMENT.exec(w.raw)?.[1] ?? '';
    const eq = w.value?.indexOf('=') ?? -1;
    assignments.push({ name, ...(w.value !== undefined && eq >= 0 ? { value: w.value.slice(eq + 1) } : {}) });
    words = words.slice(1);
  }
  if (words.length === 0 || words[0].value === 'export') {
    // `X=1` or `export X=1`: later expansions in this script see it
    for (const w of words.slice(1)) {
      const name = ASSIGNMENT.exec(w.raw)?.[1];
      const eq = w.value?.indexOf('=') ?? -1;
      if (name) assignments.push({ name, ...(w.value !== undefined && eq >= 0 ? { value: w.value.slice(eq + 1) } : {}) });
    }
    for (const a of assignments) scope.set(a.name, { kind: 'env', ...(a.value !== undefined ? { value: a.value } : {}) });
    if (words.length === 0 && !redirects.some((r) => r.heredoc)) return undefined;
  }
  const first = words[0]?.span ?? redirects[0]?.target?.span ?? { start: 0, end: 0 };
  const last = words[words.length - 1]?.span ?? first;
  return { words, redirects, span: { start: first.start, end: Math.max(last.end, first.end) }, ...(pipedFrom ? { pipedFrom } : {}) };
}

/** `sh -c 'script'`, `bash -ec "…"`, or a shell (or nothing) fed a heredoc: the script to read. */
function nestedScript(command: SimpleCommand): ShellSource | undefined {
  const name = command.words[0]?.value?.split('/').pop();
  const stdin = command.redirects.find((r) => r.heredoc && (r.op === '<<' || r.op === '<<-'))?.heredoc;
  if (command.words.length === 0) return stdin?.source;
  if (!name || !SHELLS.has(name)) return undefined;
  for (let k = 1; k < command.words.length; k++) {
    const w = command.words[k];
    if (!w.value?.startsWith('-')) break;
    if (/^-[a-z]+$/.test(w.value) && w.value.includes('c')) return wordAsSource(command.words[k + 1]);
  }
  return command.words.length === 1 || command.words.slice(1).every((w) => w.value?.startsWith('-')) ? stdin?.source : undefined;
}

/** A word's value as a source; offsets are exact when the word is one plain quoted string. */
export function wordAsSource(word: ShellWord | undefined): ShellSource | undefined {
  if (word?.value === undefined) return undefined;
  const value = word.value;
  const q = word.raw[0];
  const exact = (q === "'" || q === '"') && word.raw === q + value + q && (q === "'" || !/[\\$`]/.test(value));
  const base = word.span;
  return { text: value, span: exact ? (s, e) => ({ start: base.start + 1 + s, end: base.start + 1 + e }) : () => base };
}

/** An exec-form (JSON) RUN: its argv as one command, or the script of `["sh", "-c", "…"]`. */
export function execFormCommands(words: readonly ShellWord[], scope: VariableScope): SimpleCommand[] {
  if (!words.length) return [];
  const command: SimpleCommand = { words, redirects: [], span: { start: words[0].span.start, end: words[words.length - 1].span.end } };
  const nested = nestedScript(command);
  return nested ? readShell(nested, scope, 1) : [command];
}
