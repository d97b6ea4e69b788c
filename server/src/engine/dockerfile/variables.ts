/**
 * Build-time variables (`ARG`, `ENV`) and their substitution: `$X`, `${X}`, `${X:-word}`, `${X-word}`,
 * `${X:+word}`, `${X+word}`, `${X:?msg}`, with Docker's quoting (single quotes literal, the escape
 * character escapes). A value that depends on something unknown stays unresolved: never guessed.
 *
 * Semantics follow the Dockerfile reference (https://docs.docker.com/reference/dockerfile/#arg):
 * an ARG before the first FROM is visible in FROM lines only, and inside a stage only after the stage
 * re-declares it (`ARG X`); `ARG X=default` uses the default unless `--build-arg` changes it; ENV wins
 * over an ARG of the same name and is inherited by stages built `FROM` this one.
 */

export type Binding =
  | { readonly kind: 'env'; readonly value?: string }
  /** `value` undefined: declared without a default, so unset unless `--build-arg` sets it; `unknown`: set by BuildKit or from an unresolved default. */
  | { readonly kind: 'arg'; readonly value?: string; readonly unknown?: boolean }
  /**
   * An ARG declared before the first FROM and not re-declared in this stage: BuildKit (dockerfile2llb)
   * does not put it in the stage's environment, so it expands to nothing (the base image's ENV, known
   * not to define it, is all there is).
   */
  | { readonly kind: 'hidden' };

export class VariableScope {
  private readonly bindings = new Map<string, Binding>();

  /** closed: no variable can come from outside the Dockerfile (a `scratch` base has no ENV). */
  constructor(readonly closed = false, from?: VariableScope) {
    if (from) for (const [k, v] of from.bindings) this.bindings.set(k, v);
  }

  get(name: string): Binding | undefined {
    return this.bindings.get(name);
  }

  set(name: string, binding: Binding): void {
    const current = this.bindings.get(name);
    if (binding.kind === 'arg' && current?.kind === 'env') return; // ENV wins over ARG
    this.bindings.set(name, binding);
  }

  /** Names bound to an ARG (what an ARG before FROM declares). */
  argNames(): string[] {
    return [...this.bindings].filter(([, b]) => b.kind === 'arg').map(([k]) => k);
  }

  /** A copy; `envOnly` keeps ENV bindings (what a stage built FROM this one inherits). */
  clone(envOnly = false, closed = this.closed): VariableScope {
    const copy = new VariableScope(closed);
    for (const [k, v] of this.bindings) if (!envOnly || v.kind === 'env') copy.bindings.set(k, v);
    return copy;
  }
}

export interface Expansion {
  /** Undefined when any part depends on an unknown value. */
  readonly value?: string;
  /** Variables whose value is unknown (undeclared, or an ARG without default). */
  readonly unresolved: readonly string[];
  /** ARGs whose value decided the result: `--build-arg` can change it. */
  readonly buildArgs: readonly string[];
  /** ARGs before FROM that the stage did not re-declare: they expanded to nothing. */
  readonly hidden?: readonly string[];
}

type Lookup = { readonly state: 'set'; readonly value: string; readonly buildArg: boolean } | { readonly state: 'unset'; readonly buildArg: boolean; readonly hidden?: boolean } | { readonly state: 'unknown' };

function lookup(scope: VariableScope, name: string): Lookup {
  const b = scope.get(name);
  if (!b) return scope.closed ? { state: 'unset', buildArg: false } : { state: 'unknown' };
  if (b.kind === 'hidden') return { state: 'unset', buildArg: false, hidden: true };
  if (b.kind === 'env') return b.value === undefined ? { state: 'unknown' } : { state: 'set', value: b.value, buildArg: false };
  if (b.unknown) return { state: 'unknown' };
  return b.value === undefined ? { state: 'unset', buildArg: true } : { state: 'set', value: b.value, buildArg: true };
}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;

/** Accumulates one expanded word; shared by Dockerfile instructions and the RUN shell reader. */
export class Expander {
  out = '';
  unknown = false;
  readonly unresolved = new Set<string>();
  readonly buildArgs = new Set<string>();
  readonly hidden = new Set<string>();

  constructor(readonly scope: VariableScope) {}

  result(): Expansion {
    return { ...(this.unknown ? {} : { value: this.out }), unresolved: [...this.unresolved], buildArgs: [...this.buildArgs], ...(this.hidden.size ? { hidden: [...this.hidden] } : {}) };
  }

  private unknownVar(name: string): void {
    this.unknown = true;
    this.unresolved.add(name);
  }

  /** Expands a `$` at text[i]; returns the index after what it consumed. */
  dollar(text: string, i: number, escape: string): number {
    const next = text[i + 1];
    if (next === '{') return this.braced(text, i + 2, escape);
    if (next !== undefined && NAME_START.test(next)) {
      let j = i + 1;
      while (j < text.length && NAME_CHAR.test(text[j])) j++;
      this.variable(text.slice(i + 1, j));
      return j;
    }
    this.out += '$';
    return i + 1;
  }

  private variable(name: string): void {
    const v = lookup(this.scope, name);
    if (v.state === 'set') {
      if (v.buildArg) this.buildArgs.add(name);
      this.out += v.value;
    } else if (v.state === 'unset' && !v.buildArg) {
      // closed scope, or an ARG before FROM the stage did not re-declare: the variable is empty
      if (v.hidden) this.hidden.add(name);
    } else this.unknownVar(name);
  }

  private braced(text: string, start: number, escape: string): number {
    let j = start;
    while (j < text.length && NAME_CHAR.test(text[j])) j++;
    const name = text.slice(start, j);
    const end = matchingBrace(text, j);
    if (!name || end < 0) {
      this.unknownVar(name || '?');
      return end < 0 ? text.length : end + 1;
    }
    const op = /^(:?[-+?])/.exec(text.slice(j, end))?.[1];
    if (j === end) this.variable(name);
    else if (!op) this.unknownVar(name); // ${X#p}, ${X%p}, ${X/p/r}: not evaluated
    else this.modifier(name, op, text.slice(j + op.length, end), escape);
    return end + 1;
  }

  private modifier(name: string, op: string, word: string, escape: string): void {
    const v = lookup(this.scope, name);
    if (v.state === 'unknown') return this.unknownVar(name);
    if (v.buildArg) this.buildArgs.add(name);
    if (v.state === 'unset' && v.hidden) this.hidden.add(name);
    const isSet = v.state === 'set' && (op.startsWith(':') ? v.value !== '' : true);
    const useWord = op.endsWith('-') ? !isSet : op.endsWith('+') ? isSet : false;
    if (op.endsWith('?')) {
      if (isSet && v.state === 'set') this.out += v.value;
      else this.unknownVar(name);
      return;
    }
    if (useWord) {
      const inner = expandWord(word, this.scope, escape);
      if (inner.value === undefined) this.unknown = true;
      else this.out += inner.value;
      for (const u of inner.unresolved) this.unresolved.add(u);
      for (const b of inner.buildArgs) this.buildArgs.add(b);
    } else if (op.endsWith('-') && v.state === 'set') this.out += v.value;
  }
}

/** Index of the `}` closing a `${` whose body starts at `from`, honouring nesting and quotes; -1 if none. */
export function matchingBrace(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\') i++;
    else if (ch === "'") {
      const close = text.indexOf("'", i + 1);
      if (close < 0) return -1;
      i = close;
    } else if (ch === '$' && text[i + 1] === '{') {
      depth++;
      i++;
    } else if (ch === '}' && --depth === 0) return i;
  }
  return -1;
}

/** Expands one Dockerfile word (USER, FROM, ENV/ARG values) the way BuildKit's shell lexer does. */
export function expandWord(raw: string, scope: VariableScope, escape = '\\'): Expansion {
  const ex = new Expander(scope);
  let i = 0;
  let quote: '"' | undefined;
  while (i < raw.length) {
    const ch = raw[i];
    if (ch === escape && i + 1 < raw.length) {
      const next = raw[i + 1];
      ex.out += quote && next !== '"' && next !== '$' && next !== escape ? ch + next : next;
      i += 2;
    } else if (ch === "'" && !quote) {
      const close = raw.indexOf("'", i + 1);
      const end = close < 0 ? raw.length : close;
      ex.out += raw.slice(i + 1, end);
      i = end + 1;
    } else if (ch === '"') {
      quote = quote ? undefined : '"';
      i++;
    } else if (ch === '$') i = ex.dollar(raw, i, escape);
    else {
      ex.out += ch;
      i++;
    }
  }
  return ex.result();
}
