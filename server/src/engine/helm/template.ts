/**
 * Go text/template parsing with positions: the lexer follows text/template/parse's lex.go (`{{- ` and
 * ` -}}` trim markers, comment actions, raw and quoted strings, `:=`/`=` declarations, field
 * chains after `)` and variables), the parser its parse.go (if/else if/with/range/define/block/template,
 * else-chains, break/continue). Hand-written: no npm package parses Go templates into pipelines with
 * positions (tree-sitter-wasms ships no gotmpl grammar; prettier-plugin-go-template only splits blocks
 * and keeps statements as raw strings), and judging a chart needs the pipelines themselves.
 *
 * Every node keeps its offsets in the template text, so what a template writes can be mapped back.
 */
import type { Span } from '../types';

export type Arg =
  | { readonly k: 'dot'; readonly span: Span }
  | { readonly k: 'field'; readonly recv?: Arg; readonly path: readonly string[]; readonly span: Span }
  | { readonly k: 'var'; readonly name: string; readonly path: readonly string[]; readonly span: Span }
  | { readonly k: 'ident'; readonly name: string; readonly span: Span }
  | { readonly k: 'str'; readonly v: string; readonly span: Span }
  | { readonly k: 'num'; readonly v: number; readonly span: Span }
  | { readonly k: 'bool'; readonly v: boolean; readonly span: Span }
  | { readonly k: 'nil'; readonly span: Span }
  | { readonly k: 'pipe'; readonly pipe: Pipeline; readonly path: readonly string[]; readonly span: Span };

export interface Command {
  readonly args: readonly Arg[];
  readonly span: Span;
}

export interface Pipeline {
  /** `$x :=` / `$i, $v :=` declarations, or `$x =` assignment. */
  readonly decl: readonly string[];
  readonly assign: boolean;
  readonly cmds: readonly Command[];
  readonly span: Span;
}

export type TNode =
  | { readonly k: 'text'; readonly start: number; readonly end: number }
  | { readonly k: 'action'; readonly pipe: Pipeline; readonly span: Span }
  | { readonly k: 'if' | 'with' | 'range'; readonly pipe: Pipeline; readonly list: readonly TNode[]; readonly elseList?: readonly TNode[]; readonly span: Span }
  | { readonly k: 'template'; readonly name: string; readonly pipe?: Pipeline; readonly span: Span }
  | { readonly k: 'break' | 'continue'; readonly span: Span };

export interface Define {
  readonly name: string;
  readonly body: readonly TNode[];
  /** The file it is defined in (set by the chart model). */
  readonly span: Span;
}

export interface ParsedTemplate {
  readonly nodes: readonly TNode[];
  readonly defines: readonly Define[];
  readonly errors: readonly { readonly message: string; readonly span: Span }[];
}

interface RawItem {
  readonly kind: 'text' | 'action';
  /** text: the kept range after trimming; action: the inner range (between delimiters and trim markers). */
  readonly start: number;
  readonly end: number;
  /** The whole action with its delimiters. */
  readonly outer: Span;
}

const SPACE = /[ \t\r\n]/;

/** Splits into text and actions, applying trim markers (lex.go: `{{- ` trims before, ` -}}` after). */
function split(text: string, errors: { message: string; span: Span }[]): RawItem[] {
  const items: RawItem[] = [];
  let pos = 0;
  let trimNext = false;
  while (pos <= text.length) {
    const open = text.indexOf('{{', pos);
    let textEnd = open < 0 ? text.length : open;
    let textStart = pos;
    if (trimNext) while (textStart < textEnd && SPACE.test(text[textStart])) textStart++;
    trimNext = false;
    if (open < 0) {
      if (textStart < textEnd) items.push({ kind: 'text', start: textStart, end: textEnd, outer: { start: textStart, end: textEnd } });
      break;
    }
    let inner = open + 2;
    if (text[inner] === '-' && SPACE.test(text[inner + 1] ?? '')) {
      while (textEnd > textStart && SPACE.test(text[textEnd - 1])) textEnd--;
      inner += 2;
    }
    if (textStart < textEnd) items.push({ kind: 'text', start: textStart, end: textEnd, outer: { start: textStart, end: textEnd } });
    const close = findClose(text, inner);
    if (close < 0) {
      errors.push({ message: 'unclosed action: `{{` without `}}`', span: { start: open, end: Math.min(text.length, open + 2) } });
      break;
    }
    let innerEnd = close;
    if (text[close - 1] === '-' && SPACE.test(text[close - 2] ?? '')) { innerEnd = close - 2; trimNext = true; }
    items.push({ kind: 'action', start: inner, end: innerEnd, outer: { start: open, end: close + 2 } });
    pos = close + 2;
  }
  return items;
}

/** The `}}` closing an action, skipping quoted strings, raw strings and comments. */
function findClose(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const c = text[i];
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) return -1;
      i = end + 2;
      continue;
    }
    if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"' && text[i] !== '\n') i += text[i] === '\\' ? 2 : 1;
      i++;
      continue;
    }
    if (c === '`') {
      const end = text.indexOf('`', i + 1);
      if (end < 0) return -1;
      i = end + 1;
      continue;
    }
    if (c === '}' && text[i + 1] === '}') return i;
    i++;
  }
  return -1;
}

type Tok =
  | { t: 'word'; v: string; span: Span }
  | { t: 'field'; v: string; span: Span }
  | { t: 'var'; v: string; span: Span }
  | { t: 'str'; v: string; span: Span }
  | { t: 'num'; v: number; span: Span }
  | { t: 'punct'; v: '(' | ')' | '|' | ':=' | '=' | ','; span: Span }
  | { t: 'dot'; span: Span };

function unquote(raw: string): string {
  try {
    return JSON.parse(raw.replace(/\\'/g, "'").replace(/\\x([0-9a-fA-F]{2})/g, '\\u00$1')) as string;
  } catch {
    return raw.slice(1, -1);
  }
}

function tokenize(text: string, start: number, end: number): Tok[] | string {
  const toks: Tok[] = [];
  let i = start;
  while (i < end) {
    const c = text[i];
    if (SPACE.test(c)) { i++; continue; }
    const s = i;
    if (c === '(' || c === ')' || c === '|' || c === ',') { toks.push({ t: 'punct', v: c, span: { start: s, end: s + 1 } }); i++; continue; }
    if (c === ':' && text[i + 1] === '=') { toks.push({ t: 'punct', v: ':=', span: { start: s, end: s + 2 } }); i += 2; continue; }
    if (c === '=') { toks.push({ t: 'punct', v: '=', span: { start: s, end: s + 1 } }); i++; continue; }
    if (c === '"') {
      i++;
      while (i < end && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      if (i >= end) return 'unterminated quoted string';
      i++;
      toks.push({ t: 'str', v: unquote(text.slice(s, i)), span: { start: s, end: i } });
      continue;
    }
    if (c === '`') {
      const close = text.indexOf('`', i + 1);
      if (close < 0 || close >= end) return 'unterminated raw string';
      i = close + 1;
      toks.push({ t: 'str', v: text.slice(s + 1, close), span: { start: s, end: i } });
      continue;
    }
    if (c === "'") {
      const close = text.indexOf("'", i + 1);
      if (close < 0 || close >= end) return 'unterminated character constant';
      i = close + 1;
      toks.push({ t: 'num', v: text.codePointAt(s + 1) ?? 0, span: { start: s, end: i } });
      continue;
    }
    if (c === '.' || c === '$') {
      i++;
      while (i < end && /[\w]/.test(text[i])) i++;
      const word = text.slice(s, i);
      if (c === '.' && word === '.') {
        if (/\d/.test(text[i] ?? '')) { /* .5 number */ } else { toks.push({ t: 'dot', span: { start: s, end: i } }); continue; }
      } else {
        toks.push(c === '$' ? { t: 'var', v: word, span: { start: s, end: i } } : { t: 'field', v: word.slice(1), span: { start: s, end: i } });
        continue;
      }
    }
    if (/[-+\d.]/.test(c)) {
      const m = /^[-+]?(0[xX][0-9a-fA-F_]+|0[oO]?[0-7_]+|0[bB][01_]+|(\d[\d_]*)?\.?\d*([eE][-+]?\d+)?)/.exec(text.slice(i, end));
      const raw = m?.[0] ?? '';
      if (raw && raw !== '-' && raw !== '+') {
        i += raw.length;
        const n = Number(raw.replace(/_/g, ''));
        toks.push({ t: 'num', v: Number.isNaN(n) ? parseInt(raw, 0) : n, span: { start: s, end: i } });
        continue;
      }
    }
    if (/[A-Za-z_]/.test(c)) {
      while (i < end && /\w/.test(text[i])) i++;
      toks.push({ t: 'word', v: text.slice(s, i), span: { start: s, end: i } });
      continue;
    }
    return `unexpected ${JSON.stringify(c)} in action`;
  }
  return toks;
}

class PipeParser {
  private i = 0;
  constructor(private readonly toks: Tok[]) {}

  done(): boolean {
    return this.i >= this.toks.length;
  }

  peek(): Tok | undefined {
    return this.toks[this.i];
  }

  next(): Tok | undefined {
    return this.toks[this.i++];
  }

  pipeline(stopAtParen: boolean): Pipeline {
    const start = this.peek()?.span.start ?? 0;
    const decl: string[] = [];
    let assign = false;
    // Declarations: `$x :=`, `$x =`, `$i, $v :=`.
    const save = this.i;
    const names: string[] = [];
    while (this.peek()?.t === 'var') {
      names.push((this.next() as { v: string }).v);
      const p = this.peek();
      if (p?.t === 'punct' && p.v === ',') { this.next(); continue; }
      if (p?.t === 'punct' && (p.v === ':=' || p.v === '=')) { this.next(); decl.push(...names); assign = p.v === '='; }
      break;
    }
    if (!decl.length) this.i = save;
    const cmds: Command[] = [];
    for (;;) {
      const args: Arg[] = [];
      const cmdStart = this.peek()?.span.start ?? start;
      for (;;) {
        const p = this.peek();
        if (!p) break;
        if (p.t === 'punct' && (p.v === '|' || p.v === ')')) break;
        args.push(this.operand());
      }
      if (!args.length) throw new Error('missing command in pipeline');
      cmds.push({ args, span: { start: cmdStart, end: args[args.length - 1].span.end } });
      const p = this.peek();
      if (p?.t === 'punct' && p.v === '|') { this.next(); continue; }
      if (p?.t === 'punct' && p.v === ')' && !stopAtParen) throw new Error('unexpected )');
      break;
    }
    const end = cmds[cmds.length - 1].span.end;
    return { decl, assign, cmds, span: { start, end } };
  }

  private fieldChain(): { path: string[]; end: number } {
    const path: string[] = [];
    let end = -1;
    for (let p = this.peek(); p?.t === 'field'; p = this.peek()) {
      // A chain continues only without space: `(x).a`.
      if (end >= 0 && p.span.start !== end) break;
      path.push(p.v);
      end = p.span.end;
      this.next();
    }
    return { path, end };
  }

  private operand(): Arg {
    const tok = this.next();
    if (!tok) throw new Error('unexpected end of action');
    switch (tok.t) {
      case 'dot': return { k: 'dot', span: tok.span };
      case 'field': {
        const path = [tok.v];
        let end = tok.span.end;
        for (let p = this.peek(); p?.t === 'field' && p.span.start === end; p = this.peek()) { path.push(p.v); end = p.span.end; this.next(); }
        return { k: 'field', path, span: { start: tok.span.start, end } };
      }
      case 'var': {
        const path: string[] = [];
        let end = tok.span.end;
        for (let p = this.peek(); p?.t === 'field' && p.span.start === end; p = this.peek()) { path.push(p.v); end = p.span.end; this.next(); }
        return { k: 'var', name: tok.v, path, span: { start: tok.span.start, end } };
      }
      case 'str': return { k: 'str', v: tok.v, span: tok.span };
      case 'num': return { k: 'num', v: tok.v, span: tok.span };
      case 'word':
        if (tok.v === 'true' || tok.v === 'false') return { k: 'bool', v: tok.v === 'true', span: tok.span };
        if (tok.v === 'nil') return { k: 'nil', span: tok.span };
        return { k: 'ident', name: tok.v, span: tok.span };
      case 'punct':
        if (tok.v === '(') {
          const pipe = this.pipeline(true);
          const close = this.next();
          if (close?.t !== 'punct' || close.v !== ')') throw new Error('unclosed left paren');
          let end = close.span.end;
          const path: string[] = [];
          for (let p = this.peek(); p?.t === 'field' && p.span.start === end; p = this.peek()) { path.push(p.v); end = p.span.end; this.next(); }
          void this.fieldChain;
          return { k: 'pipe', pipe, path, span: { start: tok.span.start, end } };
        }
        throw new Error(`unexpected ${tok.v}`);
    }
  }
}

type Frame = { k: 'if' | 'with' | 'range'; pipe: Pipeline; list: TNode[]; elseList?: TNode[]; start: number; inElse: boolean; chained: number }
  | { k: 'define'; name: string; list: TNode[]; start: number }
  | { k: 'root'; list: TNode[] };

/** Parses one template file: its top-level nodes and every `define`/`block` in it. Never throws. */
export function parseTemplate(text: string): ParsedTemplate {
  const errors: { message: string; span: Span }[] = [];
  const defines: Define[] = [];
  const root: Frame = { k: 'root', list: [] };
  const stack: Frame[] = [root];
  const top = () => stack[stack.length - 1];
  const target = (): TNode[] => {
    const f = top();
    return f.k === 'root' || f.k === 'define' ? f.list : f.inElse ? (f.elseList ??= []) : f.list;
  };
  /** Closes the innermost frame (and the `else if` frames chained into it). */
  const closeFrame = (end: number): void => {
    for (;;) {
      const f = stack.pop();
      if (!f || f.k === 'root') { stack.push(root); errors.push({ message: 'unexpected {{end}}', span: { start: end - 2, end } }); return; }
      if (f.k === 'define') { defines.push({ name: f.name, body: f.list, span: { start: f.start, end } }); return; }
      const node: TNode = { k: f.k, pipe: f.pipe, list: f.list, elseList: f.elseList, span: { start: f.start, end } };
      target().push(node);
      if (!f.chained) return;
    }
  };
  for (const item of split(text, errors)) {
    if (item.kind === 'text') { target().push({ k: 'text', start: item.start, end: item.end }); continue; }
    const inner = text.slice(item.start, item.end).trim();
    if (inner.startsWith('/*')) continue;
    const toks = tokenize(text, item.start, item.end);
    if (typeof toks === 'string') { errors.push({ message: toks, span: item.outer }); continue; }
    if (!toks.length) { errors.push({ message: 'missing value for command', span: item.outer }); continue; }
    const head = toks[0];
    const keyword = head.t === 'word' ? head.v : undefined;
    try {
      const rest = (from: number): Pipeline => {
        const p = new PipeParser(toks.slice(from));
        const pipe = p.pipeline(false);
        if (!p.done()) throw new Error('unexpected token after pipeline');
        return pipe;
      };
      switch (keyword) {
        case 'if': case 'with': case 'range':
          stack.push({ k: keyword, pipe: rest(1), list: [], start: item.outer.start, inElse: false, chained: 0 });
          break;
        case 'else': {
          const f = top();
          if (f.k !== 'if' && f.k !== 'with' && f.k !== 'range') throw new Error('unexpected {{else}}');
          f.inElse = true;
          const chain = toks[1]?.t === 'word' ? toks[1].v : undefined;
          if (chain === 'if' || chain === 'with') {
            // `{{else if x}}` is `{{else}}{{if x}}…{{end}}{{end}}` with one shared end (parse.go elseControl).
            stack.push({ k: chain, pipe: rest(2), list: [], start: item.outer.start, inElse: false, chained: 1 });
          }
          break;
        }
        case 'end':
          closeFrame(item.outer.end);
          break;
        case 'define': case 'block': {
          const name = toks[1]?.t === 'str' ? toks[1].v : undefined;
          if (name === undefined) throw new Error(`${keyword} needs a quoted name`);
          if (keyword === 'block') target().push({ k: 'template', name, pipe: toks.length > 2 ? rest(2) : undefined, span: item.outer });
          stack.push({ k: 'define', name, list: [], start: item.outer.start });
          break;
        }
        case 'template': {
          const name = toks[1]?.t === 'str' ? toks[1].v : undefined;
          if (name === undefined) throw new Error('template needs a quoted name');
          target().push({ k: 'template', name, pipe: toks.length > 2 ? rest(2) : undefined, span: item.outer });
          break;
        }
        case 'break': case 'continue':
          target().push({ k: keyword, span: item.outer });
          break;
        default:
          target().push({ k: 'action', pipe: rest(0), span: item.outer });
      }
    } catch (err) {
      errors.push({ message: (err as Error).message, span: item.outer });
    }
  }
  while (stack.length > 1) {
    const f = top();
    errors.push({ message: `unclosed {{${f.k === 'root' ? '' : f.k}}}: missing {{end}}`, span: { start: f.k === 'root' ? 0 : f.start, end: f.k === 'root' ? 0 : f.start + 2 } });
    closeFrame(text.length);
  }
  return { nodes: root.list, defines, errors };
}
