/**
 * Renders a chart's templates as Helm would (engine.Render over text/template with sprig and Helm's
 * own functions), keeping for each piece of output where it came from. What cannot be known without a
 * cluster or a Helm binary (`tpl`, `lookup`, `.Files`, an undefined template, an unknown function) is
 * "not followed": it renders as a placeholder mapped to the action, and everything judged from it is
 * dropped later rather than guessed.
 */
import type { Span } from '../types';
import type { Arg, Define, Pipeline, TNode } from './template';
import { concat, indent, Out, slice, str, trimSpace } from './text';
import { scalarText, toYaml } from './toYaml';
import { fromPlain, plain, scalar, type Src, type Val, type VMap, type VNode, type VStr, type VUnknown } from './values';

export interface NotFollowed {
  readonly src: Src;
  readonly why: string;
}

/** A branch not rendered because a condition on values was false: which keys decided. */
export interface SkippedBranch {
  readonly src: Src;
  readonly keys: readonly string[];
  readonly condition: string;
}

export interface RenderContext {
  readonly defines: ReadonlyMap<string, { readonly define: Define; readonly file: string }>;
  /** The text of each template file, for expressions in messages. */
  readonly texts: ReadonlyMap<string, string>;
  readonly notFollowed: NotFollowed[];
  readonly skipped: SkippedBranch[];
  /** Values nodes read by templates (their paths), for "not used by any template". */
  readonly used: Set<VNode>;
}

/**
 * What a rendering read of its chart's values: the top-level keys looked up, or `*` when the values
 * map was used whole. A template whose keys hold the same values renders the same text.
 */
export interface Reads {
  readonly root: VMap;
  readonly keys: Set<string>;
}

const MAX_DEPTH = 40;
const MAX_OUTPUT = 2_000_000;

class Stop extends Error {}
class Break extends Error {}
class Continue extends Error {}

interface Scope {
  readonly dot: Val;
  readonly vars: Map<string, Val>[];
}

const NIL: VNode = scalar(null);

function isUnknown(v: Val | undefined): v is VUnknown {
  return v?.t === 'unknown';
}

/** text/template `truth` (exec.go isTrue): zero values, empty collections and nil are false. */
export function truth(v: Val | undefined): boolean | undefined {
  if (!v) return false;
  switch (v.t) {
    case 'unknown': return undefined;
    case 'map': return v.entries.size > 0;
    case 'seq': return v.items.length > 0;
    case 'str': return v.text.length > 0;
    case 'scalar': return v.v !== null && v.v !== false && v.v !== 0 && v.v !== '';
  }
}

/** Go's fmt of a value as text/template prints it (Helm turns `<no value>` into an empty string). */
function printValue(v: Val, via: Src): VStr {
  switch (v.t) {
    case 'str': return v;
    case 'scalar': {
      if (v.v === null) return str('', undefined, via);
      const text = typeof v.v === 'number' ? goNumber(v.v) : String(v.v);
      return str(text, v.src, via);
    }
    case 'map': return str(`map[${[...v.entries].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => `${k}:${printValue(x, via).text}`).join(' ')}]`, undefined, via);
    case 'seq': return str(`[${v.items.map((x) => printValue(x, via).text).join(' ')}]`, undefined, via);
    case 'unknown': return str('', undefined, via);
  }
}

/** float64 as Go's %v prints it: integers plainly up to 1e21, `e+` notation beyond. */
function goNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  return String(n).replace(/e\+?(\d)$/, 'e+0$1');
}

function asString(v: Val): string | undefined {
  if (v.t === 'str') return v.text;
  if (v.t === 'scalar') return v.v === null ? '' : typeof v.v === 'number' ? goNumber(v.v) : String(v.v);
  return undefined;
}

function asNumber(v: Val): number | undefined {
  const s = v.t === 'scalar' ? v.v : v.t === 'str' ? v.text : undefined;
  if (typeof s === 'number') return s;
  if (typeof s === 'boolean') return s ? 1 : 0;
  if (typeof s === 'string' && s.trim() !== '' && !Number.isNaN(Number(s))) return Number(s);
  if (s === null) return 0;
  return undefined;
}

function toNode(v: Val): VNode | undefined {
  if (v.t === 'unknown') return undefined;
  if (v.t === 'str') return scalar(v.text);
  return v;
}

function equal(a: Val, b: Val): boolean | undefined {
  if (isUnknown(a) || isUnknown(b)) return undefined;
  const pa = plain(a), pb = plain(b);
  if (typeof pa === 'number' || typeof pb === 'number') return Number(pa) === Number(pb) && typeof pa === typeof pb;
  return JSON.stringify(pa) === JSON.stringify(pb);
}

/** Semantic versions as Masterminds/semver compares them for `semverCompare` (major.minor.patch, `-0` ignored). */
function semverCompare(constraint: string, version: string): boolean | undefined {
  const parse = (s: string) => {
    const m = /v?(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(s);
    return m ? [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)] : undefined;
  };
  const v = parse(version);
  if (!v) return undefined;
  const cmp = (a: number[], b: number[]) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
  return constraint.split('||').some((alt) => constraintParts(alt).every((part) => {
    const m = splitOperator(part);
    if (!m) return true;
    const want = parse(m.version);
    if (!want) return true;
    const c = cmp(v, want);
    switch (m.op) {
      case '>=': return c >= 0;
      case '<=': return c <= 0;
      case '>': return c > 0;
      case '<': return c < 0;
      case '!=': return c !== 0;
      case '~': return v[0] === want[0] && v[1] === want[1] && c >= 0;
      case '^': return v[0] === want[0] && c >= 0;
      default: return c === 0;
    }
  }));
}

const OPERATORS = ['>=', '<=', '!=', '=', '>', '<', '~', '^'];

/** A constraint's parts (`>=1.21-0, <1.30` or `>=1.21 <1.30`): cut at commas and at spaces before an operator. */
function constraintParts(alt: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < alt.length; i++) {
    if (alt[i] === ',') { parts.push(alt.slice(start, i)); start = i + 1; continue; }
    if (!/\s/.test(alt[i])) continue;
    let j = i;
    while (j < alt.length && /\s/.test(alt[j])) j++;
    if (j < alt.length && '<>=!~^'.includes(alt[j])) { parts.push(alt.slice(start, i)); start = j; }
    i = j - 1;
  }
  parts.push(alt.slice(start));
  return parts;
}

/** `>= 1.21` → the operator (or none) and the version after it; undefined when no version is left. */
function splitOperator(part: string): { op: string | undefined; version: string } | undefined {
  const trimmed = part.trim();
  const op = OPERATORS.find((o) => trimmed.startsWith(o));
  const version = (op ? trimmed.slice(op.length) : trimmed).trim();
  return version ? { op, version } : undefined;
}

/** Renders templates; one per chart render, shared by every template file (defines are global, as in Helm). */
export class Renderer {
  private depth = 0;
  private reads: Reads | undefined;
  private file = '';
  private text = '';
  private readonly kubeVersion: string;

  constructor(private readonly ctx: RenderContext, kubeVersion: string) {
    this.kubeVersion = kubeVersion;
  }

  /** Renders a template file's nodes with `root` as `.` and `$`. */
  renderFile(file: string, nodes: readonly TNode[], root: Val, reads?: Reads): VStr {
    const out = new Out();
    this.reads = reads;
    this.file = file;
    this.text = this.ctx.texts.get(file) ?? '';
    try {
      this.list(nodes, { dot: root, vars: [new Map([['$', root]])] }, out);
    } catch (err) {
      if (!(err instanceof Stop)) throw err;
    }
    return out.toStr();
  }

  private src(span: Span): Src {
    return { file: this.file, start: span.start, end: span.end };
  }

  private exprOf(span: Span): string {
    return this.text.slice(span.start, span.end);
  }

  private unknown(why: string, span: Span, block = false): VUnknown {
    const src = this.src(span);
    return { t: 'unknown', why, expr: this.exprOf(span), span: src, block };
  }

  private notFollowed(u: VUnknown): void {
    if (!this.ctx.notFollowed.some((n) => n.src.file === u.span.file && n.src.start === u.span.start && n.why === u.why)) this.ctx.notFollowed.push({ src: u.span, why: u.why });
  }

  private list(nodes: readonly TNode[], scope: Scope, out: Out): void {
    for (const node of nodes) {
      if (out.size > MAX_OUTPUT) throw new Stop();
      switch (node.k) {
        case 'text':
          out.write(this.text.slice(node.start, node.end), { src: this.src({ start: node.start, end: node.end }) });
          break;
        case 'action': {
          const v = this.pipeline(node.pipe, scope);
          if (node.pipe.decl.length) break;
          this.print(v, node.span, out);
          break;
        }
        case 'if': case 'with': {
          const inner: Scope = { dot: scope.dot, vars: [...scope.vars, new Map()] };
          const v = this.pipeline(node.pipe, inner);
          this.whole(v);
          const t = truth(v);
          if (t === undefined) {
            const u = v as VUnknown;
            this.notFollowed({ ...u, why: `condition not evaluated (${u.why})` });
            // Neither branch is guessed: both render into a throwaway buffer so their reads still count.
            this.list(node.list, node.k === 'with' ? { ...inner, dot: v } : inner, new Out());
            if (node.elseList) this.list(node.elseList, scope, new Out());
            out.write('', { unknown: u.why, src: this.src(node.span) });
            break;
          }
          if (t) this.list(node.list, node.k === 'with' ? { ...inner, dot: v } : inner, out);
          else {
            this.skip(node.pipe, node.list, v);
            if (node.elseList) this.list(node.elseList, { dot: scope.dot, vars: [...scope.vars, new Map()] }, out);
          }
          break;
        }
        case 'range': this.range(node, scope, out); break;
        case 'template': {
          const arg = node.pipe ? this.pipeline(node.pipe, scope) : NIL;
          const r = this.include(node.name, arg, node.span);
          this.print(r, node.span, out);
          break;
        }
        case 'break': throw new Break();
        case 'continue': throw new Continue();
      }
    }
  }

  /** A false condition: remember which values keys decided it, for hovers on what it would have placed. */
  private skip(pipe: Pipeline, list: readonly TNode[], _v: Val): void {
    const keys = new Set<string>();
    const visit = (p: Pipeline) => {
      for (const c of p.cmds) for (const a of c.args) {
        if (a.k === 'field' && a.path[0] === 'Values') keys.add(a.path.slice(1).join('.'));
        if (a.k === 'var' && a.name === '$' && a.path[0] === 'Values') keys.add(a.path.slice(1).join('.'));
        if (a.k === 'pipe') visit(a.pipe);
      }
    };
    visit(pipe);
    if (!list.length) return;
    const first = list[0], last = list[list.length - 1];
    const start = first.k === 'text' ? first.start : first.span.start;
    const end = last.k === 'text' ? last.end : last.span.end;
    this.ctx.skipped.push({ src: this.src({ start, end }), keys: [...keys], condition: this.exprOf(pipe.span) });
  }

  private range(node: Extract<TNode, { k: 'if' | 'with' | 'range' }>, scope: Scope, out: Out): void {
    const inner: Scope = { dot: scope.dot, vars: [...scope.vars, new Map()] };
    const v = this.pipeline(node.pipe, { ...inner, vars: scope.vars });
    this.whole(v);
    if (isUnknown(v)) {
      this.notFollowed({ ...v, why: `range not followed (${v.why})` });
      out.write('', { unknown: v.why, src: this.src(node.span) });
      return;
    }
    const items: [Val, Val][] = [];
    if (v.t === 'map') for (const k of [...v.entries.keys()].sort()) items.push([scalar(k), v.entries.get(k) as VNode]);
    else if (v.t === 'seq') v.items.forEach((x, i) => items.push([scalar(i), x]));
    else if (v.t === 'scalar' && typeof v.v === 'number') for (let i = 0; i < v.v && i < 10000; i++) items.push([scalar(i), scalar(i)]);
    if (!items.length) {
      if (node.elseList) this.list(node.elseList, scope, out);
      return;
    }
    const decl = node.pipe.decl;
    for (const [k, x] of items) {
      const vars = new Map<string, Val>();
      if (decl.length === 1) vars.set(decl[0], x);
      if (decl.length === 2) { vars.set(decl[0], k); vars.set(decl[1], x); }
      try {
        this.list(node.list, { dot: x, vars: [...scope.vars, vars] }, out);
      } catch (err) {
        if (err instanceof Break) break;
        if (!(err instanceof Continue)) throw err;
      }
    }
  }

  private print(v: Val, span: Span, out: Out): void {
    this.whole(v);
    if (isUnknown(v)) {
      this.notFollowed(v);
      // Inline (`name: {{ include "x" . }}`): a placeholder scalar; in block position nothing.
      if (out.inline() && !v.block) out.write(placeholder(v), { unknown: v.why, src: v.span });
      else out.write('', { unknown: v.why, src: v.span });
      return;
    }
    const via = this.src(span);
    const s = printValue(v, via);
    out.append(s.segs.length ? s : str(s.text, undefined, via));
  }

  private include(name: string, arg: Val, span: Span): Val {
    const found = this.ctx.defines.get(name);
    if (!found) {
      if (name === 'common.compatibility.renderSecurityContext') return this.renderSecurityContext(arg, span);
      return this.unknown(`template "${name}" is not defined in this chart`, span);
    }
    if (this.depth >= MAX_DEPTH) return this.unknown(`include "${name}" nested more than ${MAX_DEPTH} deep (recursive?)`, span);
    const out = new Out();
    const saved = { file: this.file, text: this.text };
    this.depth++;
    this.file = found.file;
    this.text = this.ctx.texts.get(found.file) ?? '';
    try {
      this.list(found.define.body, { dot: arg, vars: [new Map([['$', arg]])] }, out);
    } finally {
      this.depth--;
      this.file = saved.file;
      this.text = saved.text;
    }
    return out.toStr();
  }

  /**
   * Bitnami common's `common.compatibility.renderSecurityContext` (used when the library chart is not
   * vendored): `.secContext` without `enabled` and `omitEmpty`, as toYaml (openshift adaptation off).
   */
  private renderSecurityContext(arg: Val, span: Span): Val {
    const sc = arg.t === 'map' ? arg.entries.get('secContext') : undefined;
    if (!sc || sc.t !== 'map') return this.unknown('common.compatibility.renderSecurityContext without a .secContext map', span);
    this.ctx.used.add(sc);
    const entries = new Map([...sc.entries].filter(([k]) => k !== 'enabled' && k !== 'omitEmpty'));
    return toYaml({ ...sc, entries }, this.src(span));
  }

  private lookupVar(name: string, scope: Scope, span: Span): Val {
    for (let i = scope.vars.length - 1; i >= 0; i--) {
      const v = scope.vars[i].get(name);
      if (v) return v;
    }
    return this.unknown(`undefined variable ${name}`, span);
  }

  /** The chart's values map used as a whole (toYaml, range, a condition…). */
  private whole(v: Val | undefined): void {
    if (this.reads && v === this.reads.root) this.reads.keys.add('*');
  }

  private field(base: Val, path: readonly string[], span: Span): Val {
    let cur: Val = base;
    for (const k of path) {
      if (isUnknown(cur)) return cur;
      if (this.reads && cur === this.reads.root) this.reads.keys.add(k);
      if (cur.t === 'map') {
        this.ctx.used.add(cur);
        const next: VNode | undefined = cur.entries.get(k);
        if (!next) return NIL;
        cur = next;
        continue;
      }
      if (cur.t === 'scalar' && cur.v === null) return NIL;
      return this.unknown(`can't evaluate field ${k}`, span);
    }
    if (!isUnknown(cur) && cur.t !== 'str') this.ctx.used.add(cur);
    return cur;
  }

  private arg(a: Arg, scope: Scope): Val {
    switch (a.k) {
      case 'dot': return scope.dot;
      case 'field': return this.field(a.recv ? this.arg(a.recv, scope) : scope.dot, a.path, a.span);
      case 'var': return this.field(this.lookupVar(a.name, scope, a.span), a.path, a.span);
      case 'str': return { t: 'str', text: a.v, segs: [] };
      case 'num': return scalar(a.v);
      case 'bool': return scalar(a.v);
      case 'nil': return NIL;
      case 'pipe': return this.field(this.pipeline(a.pipe, scope), a.path, a.span);
      case 'ident': return this.call(a.name, [], a.span, scope, undefined);
    }
  }

  pipeline(pipe: Pipeline, scope: Scope): Val {
    let piped: Val | undefined;
    for (const cmd of pipe.cmds) {
      const [head, ...rest] = cmd.args;
      if (head.k === 'ident') piped = this.call(head.name, rest, cmd.span, scope, piped);
      else if (rest.length || piped) {
        const v = this.arg(head, scope);
        piped = isUnknown(v) ? v : this.unknown('method calls are not followed', cmd.span);
      } else piped = this.arg(head, scope);
    }
    const v = piped ?? NIL;
    if (pipe.decl.length) {
      const vars = scope.vars;
      const name = pipe.decl[pipe.decl.length - 1];
      if (pipe.assign) {
        const owner = [...vars].reverse().find((m) => m.has(name));
        (owner ?? vars[vars.length - 1]).set(name, v);
      } else vars[vars.length - 1].set(name, v);
    }
    return v;
  }

  private call(name: string, argNodes: readonly Arg[], span: Span, scope: Scope, piped: Val | undefined): Val {
    // Short-circuit forms first (text/template and/or evaluate lazily since Go 1.18).
    if (name === 'and' || name === 'or') {
      const all = piped ? [...argNodes.map((a) => () => this.arg(a, scope)), () => piped] : argNodes.map((a) => () => this.arg(a, scope));
      let last: Val = NIL;
      for (const get of all) {
        last = get();
        this.whole(last);
        const t = truth(last);
        if (t === undefined) return last;
        if (name === 'and' ? !t : t) return last;
      }
      return last;
    }
    const args = argNodes.map((a) => this.arg(a, scope));
    if (piped) args.push(piped);
    for (const a of args) this.whole(a);
    const via = this.src(span);
    const unknownArg = args.find(isUnknown);
    const s = (i: number): string | undefined => (args[i] ? asString(args[i]) : undefined);
    const n = (i: number): number | undefined => (args[i] ? asNumber(args[i]) : undefined);
    switch (name) {
      case 'default': {
        // sprig default: the last argument unless it is empty, then the first.
        const given = args[args.length - 1];
        if (!given) return NIL;
        const t = truth(given);
        if (t === undefined) return given;
        return t ? given : args[0] ?? NIL;
      }
      case 'required': return args[1] ?? NIL;
      case 'include': {
        const tn = s(0);
        if (tn === undefined) return unknownArg ?? this.unknown('include of a computed name', span);
        return this.include(tn, args[1] ?? NIL, span);
      }
      case 'not': { const t = truth(args[0]); return t === undefined ? (args[0] as VUnknown) : scalar(!t); }
      case 'empty': { const t = truth(args[0]); return t === undefined ? (args[0] as VUnknown) : scalar(!t); }
      case 'coalesce': {
        for (const a of args) { const t = truth(a); if (t === undefined) return a; if (t) return a; }
        return NIL;
      }
      case 'ternary': { const t = truth(args[2]); return t === undefined ? (args[2] as VUnknown) : t ? args[0] : args[1]; }
      case 'tpl': return this.unknown('`tpl` renders a string as a template at install time', span);
      case 'lookup': return this.unknown('`lookup` reads the cluster at install time', span);
      case 'fail': return this.unknown(`fail: ${s(0) ?? ''}`, span);
    }
    if (unknownArg) return name === 'nindent' || name === 'indent' || name === 'toYaml' ? { ...unknownArg, block: true } : unknownArg;
    switch (name) {
      case 'toYaml': {
        const node = args[0] ? toNode(args[0]) : undefined;
        if (!node) return str('null', undefined, via);
        if (node.t === 'scalar' && node.v === null) return str('null', node.src, via);
        if (node.t === 'map' || node.t === 'seq') this.ctx.used.add(node);
        return toYaml(node, via);
      }
      case 'toJson': case 'toPrettyJson': case 'toRawJson': return str(JSON.stringify(plain(args[0]) ?? null), undefined, via);
      case 'nindent': case 'indent': {
        const k = n(0) ?? 0;
        const v = args[1];
        if (!v) return str('');
        const text = v.t === 'str' ? v : printValue(v, via);
        return indent(text, k, name === 'nindent');
      }
      case 'quote': return concat(args.map((a, i) => { const p = printValue(a, via); return i ? concat([str(' '), quoted(p, '"')]) : quoted(p, '"'); }));
      case 'squote': return concat(args.map((a, i) => { const p = printValue(a, via); return i ? concat([str(' '), quoted(p, "'")]) : quoted(p, "'"); }));
      case 'trim': return args[0] ? trimSpace(args[0].t === 'str' ? args[0] : printValue(args[0], via)) : str('');
      case 'toString': return args[0] ? printValue(args[0], via) : str('');
      case 'print': return concat(args.map((a) => printValue(a, via)));
      case 'println': return concat([...args.map((a) => printValue(a, via)), str('\n')]);
      case 'printf': return str(sprintf(s(0) ?? '', args.slice(1)), undefined, via);
      case 'lower': return withText(args[0], via, (t) => t.toLowerCase());
      case 'upper': return withText(args[0], via, (t) => t.toUpperCase());
      case 'title': return withText(args[0], via, (t) => t.replace(/\b\w/g, (c) => c.toUpperCase()));
      case 'trunc': { const k = n(0) ?? 0; return withText(args[1], via, (t) => (k >= 0 ? t.slice(0, k) : t.slice(k))); }
      case 'trimSuffix': return withText(args[1], via, (t) => (t.endsWith(s(0) ?? '\0') ? t.slice(0, t.length - (s(0) ?? '').length) : t));
      case 'trimPrefix': return withText(args[1], via, (t) => (t.startsWith(s(0) ?? '\0') ? t.slice((s(0) ?? '').length) : t));
      case 'replace': return withText(args[2], via, (t) => t.split(s(0) ?? '').join(s(1) ?? ''));
      case 'contains': return scalar((s(1) ?? '').includes(s(0) ?? ''));
      case 'hasPrefix': return scalar((s(1) ?? '').startsWith(s(0) ?? ''));
      case 'hasSuffix': return scalar((s(1) ?? '').endsWith(s(0) ?? ''));
      case 'eq': return args.slice(1).some((b) => equal(args[0], b)) ? scalar(true) : scalar(false);
      case 'ne': return scalar(!equal(args[0], args[1]));
      case 'lt': return scalar((n(0) ?? 0) < (n(1) ?? 0));
      case 'le': return scalar((n(0) ?? 0) <= (n(1) ?? 0));
      case 'gt': return scalar((n(0) ?? 0) > (n(1) ?? 0));
      case 'ge': return scalar((n(0) ?? 0) >= (n(1) ?? 0));
      case 'int': case 'int64': case 'atoi': return scalar(Math.trunc(n(0) ?? 0));
      case 'float64': return scalar(n(0) ?? 0);
      case 'add': return scalar(args.reduce((a, _b, i) => a + (n(i) ?? 0), 0));
      case 'sub': return scalar((n(0) ?? 0) - (n(1) ?? 0));
      case 'mul': return scalar(args.reduce((a, _b, i) => a * (n(i) ?? 1), 1));
      case 'len': { const a = args[0]; return scalar(!a ? 0 : a.t === 'map' ? a.entries.size : a.t === 'seq' ? a.items.length : (asString(a) ?? '').length); }
      case 'list': return { t: 'seq', items: args.map((a) => toNode(a) ?? NIL) };
      case 'dict': {
        const entries = new Map<string, VNode>();
        for (let i = 0; i + 1 < args.length; i += 2) entries.set(s(i) ?? '', toNode(args[i + 1]) ?? NIL);
        if (args.length % 2) entries.set(s(args.length - 1) ?? '', scalar(''));
        return { t: 'map', entries };
      }
      case 'get': { const m = args[0]; return m?.t === 'map' ? m.entries.get(s(1) ?? '') ?? str('') : str(''); }
      case 'hasKey': { const m = args[0]; return scalar(m?.t === 'map' && m.entries.has(s(1) ?? '')); }
      case 'has': { const l = args[1]; return scalar(l?.t === 'seq' && l.items.some((x) => equal(x, args[0]))); }
      case 'keys': return { t: 'seq', items: args.flatMap((m) => (m.t === 'map' ? [...m.entries.keys()].map((k) => scalar(k)) : [])) };
      case 'omit': case 'pick': {
        const m = args[0];
        if (m?.t !== 'map') return { t: 'map', entries: new Map() };
        const names = new Set(args.slice(1).map((a) => asString(a) ?? ''));
        this.ctx.used.add(m);
        return { ...m, entries: new Map([...m.entries].filter(([k]) => names.has(k) === (name === 'pick'))) };
      }
      case 'merge': case 'mergeOverwrite': {
        const [dst, ...srcs] = args;
        if (dst?.t !== 'map') return dst ?? NIL;
        let acc = dst;
        for (const src of srcs) if (src.t === 'map') acc = mergeInto(acc, src, name === 'mergeOverwrite');
        return acc;
      }
      case 'deepCopy': return args[0] ?? NIL;
      case 'index': {
        let cur: Val = args[0] ?? NIL;
        for (const k of args.slice(1)) {
          if (cur.t === 'map') cur = cur.entries.get(asString(k) ?? '') ?? NIL;
          else if (cur.t === 'seq') cur = cur.items[n(args.indexOf(k)) ?? -1] ?? NIL;
          else return NIL;
        }
        if (cur.t !== 'str' && cur.t !== 'unknown') this.ctx.used.add(cur);
        return cur;
      }
      case 'first': { const l = args[0]; return l?.t === 'seq' ? l.items[0] ?? NIL : NIL; }
      case 'last': { const l = args[0]; return l?.t === 'seq' ? l.items[l.items.length - 1] ?? NIL : NIL; }
      case 'join': { const l = args[1]; return str(l?.t === 'seq' ? l.items.map((x) => asString(x) ?? '').join(s(0) ?? '') : s(1) ?? '', undefined, via); }
      case 'splitList': return { t: 'seq', items: (s(1) ?? '').split(s(0) ?? '').map((x) => scalar(x)) };
      case 'kindIs': { const a = args[1]; const kind = !a || a.t === 'unknown' ? 'invalid' : a.t === 'map' ? 'map' : a.t === 'seq' ? 'slice' : a.t === 'str' ? 'string' : typeof a.v === 'string' ? 'string' : typeof a.v === 'number' ? 'float64' : typeof a.v === 'boolean' ? 'bool' : 'invalid'; return scalar(kind === s(0)); }
      case 'semverCompare': {
        const r = semverCompare(s(0) ?? '', s(1) ?? '');
        return r === undefined ? this.unknown('semverCompare of an unparsable version', span) : scalar(r);
      }
      case 'regexMatch': { try { return scalar(new RegExp(s(0) ?? '').test(s(1) ?? '')); } catch { return this.unknown('regexMatch with an unsupported pattern', span); } }
      case 'b64enc': return str(Buffer.from(s(0) ?? '').toString('base64'), undefined, via);
      case 'uniq': { const l = args[0]; return l?.t === 'seq' ? { t: 'seq', items: l.items.filter((x, i) => l.items.findIndex((y) => equal(x, y)) === i) } : NIL; }
      case 'append': case 'mustAppend': { const l = args[0]; return { t: 'seq', items: [...(l?.t === 'seq' ? l.items : []), toNode(args[1] ?? NIL) ?? NIL] }; }
      case 'concat': return { t: 'seq', items: args.flatMap((l) => (l.t === 'seq' ? l.items : [])) };
      case 'set': { const m = args[0]; if (m?.t === 'map') (m.entries as Map<string, VNode>).set(s(1) ?? '', toNode(args[2] ?? NIL) ?? NIL); return m ?? NIL; }
      case 'fromYaml': case 'fromJson': return this.unknown(`${name} not followed`, span);
      case 'typeOf': return str(args[0]?.t === 'map' ? 'map[string]interface {}' : args[0]?.t === 'seq' ? '[]interface {}' : 'string');
      case 'toStrings': { const l = args[0]; return { t: 'seq', items: l?.t === 'seq' ? l.items.map((x) => scalar(asString(x) ?? '')) : [] }; }
    }
    return this.unknown(`function "${name}" is not followed`, span);
  }
}

function placeholder(u: VUnknown): string {
  return `__secctx_expr_${u.span.start}__`;
}

/** Helm text for a placeholder, in workload and container names: the template expression. */
export function placeholderPattern(): RegExp {
  return /__secctx_expr_(\d+)__/g;
}

function withText(v: Val | undefined, via: Src, f: (t: string) => string): VStr {
  if (!v) return str('');
  const text = v.t === 'str' ? v.text : asString(v) ?? '';
  const out = f(text);
  if (out === text && v.t === 'str') return v;
  if (out === text && v.t === 'scalar') return str(out, v.src, via);
  return str(out, undefined, via);
}

function quoted(p: VStr, q: string): VStr {
  const inner = q === '"' ? JSON.stringify(p.text).slice(1, -1) : p.text;
  if (inner === p.text) return concat([str(q), p, str(q)]);
  return str(q + inner + q, p.segs[0]?.src, p.segs[0]?.via);
}

function mergeInto(dst: VMap, src: VMap, overwrite: boolean): VMap {
  const entries = new Map(dst.entries);
  for (const [k, v] of src.entries) {
    const d = entries.get(k);
    if (d?.t === 'map' && v.t === 'map') entries.set(k, mergeInto(d, v, overwrite));
    else if (!d || overwrite || (d.t === 'scalar' && d.v === null)) entries.set(k, v);
  }
  return { ...dst, entries };
}

/** Go's fmt.Sprintf for the verbs charts use (%s %d %v %q %%). */
function sprintf(format: string, args: readonly Val[]): string {
  let i = 0;
  const verbOf = (verb: string): string => {
    if (verb === '%') return '%';
    const a = args[i++];
    if (!a) return `%!${verb}(MISSING)`;
    const t = a.t === 'str' ? a.text : a.t === 'scalar' ? (a.v === null ? '<nil>' : typeof a.v === 'number' ? goNumber(a.v) : String(a.v)) : JSON.stringify(plain(a));
    if (verb === 'q') return JSON.stringify(t);
    if (verb === 'd') return String(Math.trunc(Number(t)));
    return t;
  };
  // A verb is `%`, flags [-+# 0], a width, a precision `.N`, then one of s d v q f t x %; read left to right.
  const digit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
  let out = '';
  let from = 0;
  for (let p = format.indexOf('%'); p >= 0; p = format.indexOf('%', p + 1)) {
    if (p < from) continue;
    let q = p + 1;
    while (q < format.length && '-+# 0'.includes(format[q])) q++;
    while (digit(format[q])) q++;
    if (format[q] === '.' && digit(format[q + 1])) { q++; while (digit(format[q])) q++; }
    const verb = format[q];
    if (verb === undefined || !'sdvqftx%'.includes(verb)) continue;
    out += format.slice(from, p) + verbOf(verb);
    from = q + 1;
  }
  return out + format.slice(from);
}

export { scalarText, slice, fromPlain };
