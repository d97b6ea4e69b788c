/**
 * Builds the DockerfileModel from dockerfile-ast's instructions: one pass in order, keeping per stage
 * the variables in scope and the accounts, then resolving each USER against the stage's final accounts.
 */
import { Arg, Copy, DockerfileParser, Env, From, Instruction, JSONInstruction, Run, type Add, type Dockerfile, type Heredoc } from 'dockerfile-ast';
import type { Span } from '../types';
import { AccountBook } from './accounts';
import { baseImageFacts, type BaseImageFacts } from './baseImages';
import { applyCommands } from './commands';
import { factsRecord } from '../images/known';
import { blankLongLines } from './longLines';
import type { DockerfileModel, ResolvedUser, Stage, StageBase, UserInstruction } from './model';
import { resolveSpec } from './resolve';
import { execFormCommands, readShell, type ShellWord } from './shell';
import { expandWord, VariableScope } from './variables';

/** Set by BuildKit for every build: their values are not in the Dockerfile. */
const AUTOMATIC_ARGS = new Set(['TARGETPLATFORM', 'TARGETOS', 'TARGETARCH', 'TARGETVARIANT', 'BUILDPLATFORM', 'BUILDOS', 'BUILDARCH', 'BUILDVARIANT', 'TARGETSTAGE']);
const POSIX_SHELLS = /(^|\/)(sh|bash|ash|dash|zsh)$/;

interface Position { readonly line: number; readonly character: number }
interface Range { readonly start: Position; readonly end: Position }

class Text {
  private readonly starts: number[] = [0];
  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      if (text[i] === '\n') this.starts.push(i + 1);
      else if (text[i] === '\r' && text[i + 1] !== '\n') this.starts.push(i + 1);
    }
  }
  offset(p: Position): number {
    const start = this.starts[Math.min(p.line, this.starts.length - 1)] ?? 0;
    return Math.min(start + p.character, this.text.length);
  }
  span(r: Range): Span {
    return { start: this.offset(r.start), end: this.offset(r.end) };
  }
  slice(r: Range): string {
    const s = this.span(r);
    return this.text.slice(s.start, s.end);
  }
  /** 1-based line of an offset. */
  line(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }
}

interface StageState {
  readonly index: number;
  readonly name?: string;
  readonly line: number;
  readonly span: Span;
  readonly base: StageBase;
  readonly image?: string;
  readonly parent?: StageState;
  /** Stages above this one in its FROM chain. */
  readonly depth: number;
  readonly scope: VariableScope;
  readonly book: AccountBook;
  readonly users: { line: number; instructionSpan: Span; span: Span; spec: string; value?: string; unresolved: readonly string[]; buildArgs: readonly string[]; hidden?: readonly string[] }[];
  posixShell: boolean;
  /** Stages this one copies from (`COPY --from=<stage>`). */
  readonly copiesFrom: number[];
  result?: Stage;
}

/** What a FROM image is known to be: the well-known table by default; image facts first when the caller has them (../images/known). */
export type BaseFactsLookup = (reference: string) => BaseImageFacts | undefined;

export function buildDockerfileModel(source: string, baseFacts: BaseFactsLookup = baseImageFacts): DockerfileModel {
  const { text: readable, longLines } = blankLongLines(source);
  const skipped = longLines.length ? { longLines } : {};
  let dockerfile: Dockerfile;
  try {
    dockerfile = DockerfileParser.parse(readable);
  } catch {
    return { stages: [], ...skipped };
  }
  const text = new Text(readable);
  const escape = safe(() => dockerfile.getEscapeCharacter(), '\\');
  const globals = new VariableScope();
  const stages: StageState[] = [];
  const byName = new Map<string, StageState>();
  for (const instruction of safe(() => dockerfile.getInstructions(), [])) {
    try {
      const stage = stages[stages.length - 1];
      if (instruction instanceof From) {
        const next = fromInstruction(instruction, stages.length, byName, globals, text, escape, baseFacts);
        stages.push(next);
        const key = next.name?.toLowerCase();
        if (key !== undefined && !byName.has(key)) byName.set(key, next);
      }
      else if (instruction instanceof Arg) declareArgs(instruction, stage ? stage.scope : globals, stage ? globals : undefined, text, escape);
      else if (!stage) continue;
      else if (instruction instanceof Env) declareEnv(instruction, stage.scope, text, escape);
      else if (instruction.getKeyword() === 'USER') userInstruction(instruction, stage, text, escape);
      else if (instruction instanceof Run) runInstruction(instruction, stage, text, escape);
      else if (instruction instanceof Copy || instruction.getKeyword() === 'ADD') copyInstruction(instruction as Copy | Add, stage, stages, byName, text);
      else if (instruction.getKeyword() === 'SHELL' && instruction instanceof JSONInstruction) {
        stage.posixShell = POSIX_SHELLS.test(jsonString(text.slice(instruction.getJSONStrings()[0]?.getRange() ?? instruction.getRange())));
      }
    } catch {
      // a malformed instruction: skip it, keep the rest of the model
    }
  }
  const result = stages.map((s) => finishStage(s, text));
  const last = result[result.length - 1];
  return { stages: result, ...(last ? { user: last.user } : {}), ...skipped };
}

/** A JSON string's value, read from the text: dockerfile-ast 0.7.1 drops the whitespace inside JSON strings. */
function jsonString(raw: string): string {
  try {
    const v: unknown = JSON.parse(raw);
    return typeof v === 'string' ? v : raw;
  } catch {
    return raw.replace(/^"|"$/g, '');
  }
}

function safe<T>(f: () => T, fallback: T): T {
  try {
    return f();
  } catch {
    return fallback;
  }
}

/**
 * A stage copies its parent's variables and accounts: along a chain of thousands of stages that is quadratic
 * in time and memory. Past this depth a stage's inheritance is not followed (its accounts are unknown).
 */
const MAX_STAGE_CHAIN = 256;

function fromInstruction(from: From, index: number, byName: ReadonlyMap<string, StageState>, globals: VariableScope, text: Text, escape: string, baseFacts: BaseFactsLookup): StageState {
  const range = from.getImageRange();
  const span = text.span(from.getRange());
  const raw = range ? text.slice(range) : '';
  const rawSpan = range ? text.span(range) : span;
  const expanded = expandWord(raw, globals, escape);
  const name = from.getBuildStage() ?? undefined;
  const common = { index, ...(name ? { name } : {}), line: text.line(span.start), span, users: [], posixShell: true, copiesFrom: [] };
  const parent = expanded.value ? byName.get(expanded.value.toLowerCase()) : undefined;
  if (parent) {
    const base: StageBase = { kind: 'stage', raw, span: rawSpan, stage: parent.index, name: parent.name ?? '' };
    if (parent.depth + 1 > MAX_STAGE_CHAIN) {
      const book = new AccountBook(undefined, undefined);
      book.userFallback = 'unknown';
      book.groupFallback = 'unknown';
      return { ...common, base, parent, depth: parent.depth + 1, scope: new VariableScope(), book, posixShell: parent.posixShell };
    }
    const scope = hideGlobals(parent.scope.clone(true), globals, parent.book.facts !== undefined);
    return { ...common, base, ...(parent.image ? { image: parent.image } : {}), parent, depth: parent.depth + 1, scope, book: parent.book.clone(), posixShell: parent.posixShell };
  }
  const reference = expanded.value || undefined;
  const base: StageBase = { kind: 'image', raw, span: rawSpan, ...(reference ? { reference } : {}), ...(expanded.unresolved.length ? { unresolved: expanded.unresolved } : {}) };
  const facts = reference ? baseFacts(reference) : undefined;
  const scope = hideGlobals(new VariableScope(facts?.family === 'scratch'), globals, facts !== undefined);
  return { ...common, base, ...(reference ? { image: reference } : {}), depth: 0, scope, book: new AccountBook(facts, reference) };
}

/**
 * BuildKit dockerfile2llb: an ARG before the first FROM is in scope for FROM lines only; a stage sees
 * it after re-declaring it (`ARG UID`). Unless re-declared it expands to nothing, when the base
 * image is known (its ENV does not define it); an unknown base's ENV might, so it stays unknown there.
 */
function hideGlobals(scope: VariableScope, globals: VariableScope, baseKnown: boolean): VariableScope {
  if (!baseKnown) return scope;
  for (const name of globals.argNames()) if (!scope.get(name)) scope.set(name, { kind: 'hidden' });
  return scope;
}

/** ARG: before the first FROM into the globals; in a stage, re-declaring a global takes its value. */
function declareArgs(arg: Arg, scope: VariableScope, globals: VariableScope | undefined, text: Text, escape: string): void {
  const p = arg.getProperty();
  if (!p) return;
  const name = p.getName();
  const valueRange = p.getValueRange();
  if (valueRange) {
    const e = expandWord(text.slice(valueRange), scope, escape);
    scope.set(name, e.value === undefined ? { kind: 'arg', unknown: true } : { kind: 'arg', value: e.value });
  } else if (AUTOMATIC_ARGS.has(name)) scope.set(name, { kind: 'arg', unknown: true });
  else {
    const global = globals?.get(name);
    scope.set(name, global && global.kind === 'arg' ? global : { kind: 'arg' });
  }
}

function declareEnv(env: Env, scope: VariableScope, text: Text, escape: string): void {
  const values: [string, string | undefined][] = [];
  for (const p of env.getProperties()) {
    const valueRange = p.getValueRange();
    const e = valueRange ? expandWord(text.slice(valueRange), scope, escape) : { value: '' };
    values.push([p.getName(), e.value]);
  }
  // all pairs of one ENV are substituted with the values before the instruction
  for (const [name, value] of values) scope.set(name, { kind: 'env', ...(value !== undefined ? { value } : {}) });
}

function userInstruction(user: Instruction, stage: StageState, text: Text, escape: string): void {
  const instructionSpan = text.span(user.getRange());
  const range = user.getArgumentsRange();
  const span = range ? text.span(range) : { start: instructionSpan.end, end: instructionSpan.end };
  const spec = range ? text.slice(range) : '';
  const e = expandWord(spec.trim(), stage.scope, escape);
  stage.users.push({ line: text.line(instructionSpan.start), instructionSpan, span, spec, ...(e.value !== undefined ? { value: e.value } : {}), unresolved: e.unresolved, buildArgs: e.buildArgs, ...(e.hidden ? { hidden: e.hidden } : {}) });
}

function runInstruction(run: Run, stage: StageState, text: Text, escape: string): void {
  const ctx = { book: stage.book, scope: stage.scope, lineOf: (o: number) => text.line(o) };
  const json = run.getJSONStrings();
  if (run.getOpeningBracket() && run.getClosingBracket() && json.length) {
    const words: ShellWord[] = json.map((j) => {
      const raw = text.slice(j.getRange());
      return { value: jsonString(raw), raw, span: text.span(j.getRange()) };
    });
    applyCommands(execFormCommands(words, stage.scope), ctx);
    return;
  }
  const range = run.getArgumentsRange();
  if (!range || !stage.posixShell) return;
  const start = text.offset(range.start);
  const end = text.span(run.getRange()).end;
  const source = { text: text.text.slice(start, end), span: (s: number, e: number) => ({ start: start + s, end: start + e }), dockerfile: { escape } };
  applyCommands(readShell(source, stage.scope), ctx);
}

const ACCOUNT_FILES = ['/etc/passwd', '/etc/group'] as const;

/** COPY/ADD onto /etc/passwd or /etc/group: another stage's file is known, anything else is not. */
function copyInstruction(copy: Copy | Add, stage: StageState, stages: readonly StageState[], byName: ReadonlyMap<string, StageState>, text: Text): void {
  const json = copy instanceof JSONInstruction ? copy.getJSONStrings() : [];
  const args = json.length ? json.map((j) => jsonString(text.slice(j.getRange()))) : copy.getArguments().map((a) => a.getValue());
  const heredocs: Heredoc[] = copy instanceof Copy ? copy.getHeredocs() : [];
  const dest = args[args.length - 1];
  if (!dest) return;
  const sources = heredocs.length ? heredocs.map((h) => h.getName()) : args.slice(0, -1);
  const fromFlag = copy.getFlags().find((f) => f.getName() === 'from')?.getValue() ?? undefined;
  // The first stage with that name or index (by name in a map: a scan per COPY was quadratic).
  const named = fromFlag === undefined ? undefined : byName.get(fromFlag.toLowerCase());
  const numbered = fromFlag !== undefined && /^\d+$/.test(fromFlag) && String(Number(fromFlag)) === fromFlag ? stages[Number(fromFlag)] : undefined;
  const fromStage = named && numbered ? (named.index < numbered.index ? named : numbered) : named ?? numbered;
  if (fromStage && fromStage !== stage && !stage.copiesFrom.includes(fromStage.index)) stage.copiesFrom.push(fromStage.index);
  for (const file of ACCOUNT_FILES) {
    const src = sources.find((s) => targetPath(s, dest, sources.length) === file);
    if (src === undefined) continue;
    const kind = file === '/etc/passwd' ? 'passwd' : 'group';
    if (fromStage && fromStage !== stage && src.replace(/^\.?\/+/, '/') === file) {
      if (kind === 'passwd') stage.book.copyUsersFrom(fromStage.book);
      else stage.book.copyGroupsFrom(fromStage.book);
    } else if (heredocs.length) {
      const body = heredocs.find((h) => h.getName() === src)?.getContentRange();
      const lines = body ? text.slice(body) : '';
      const origin = { line: text.line(text.span(copy.getRange()).start), span: text.span(copy.getRange()) };
      writeFileLines(stage.book, kind, lines, origin);
    } else stage.book.replaceUnknown(kind);
  }
}

function targetPath(src: string, dest: string, count: number): string {
  let end = dest.length;
  while (end > 0 && dest[end - 1] === '/') end--; // (`/\/+$/` is quadratic on a run of slashes)
  const d = dest.slice(0, end);
  const isDir = dest.endsWith('/') || count > 1 || d === '/etc';
  return isDir ? `${d}/${src.split('/').filter(Boolean).pop() ?? ''}` : d;
}

function writeFileLines(book: AccountBook, kind: 'passwd' | 'group', content: string, where: { line: number; span: Span }): void {
  const origin = { how: `COPY /etc/${kind}`, ...where };
  if (kind === 'passwd') {
    book.users.clear();
    book.userFallback = 'none';
  } else {
    book.groups.clear();
    book.groupFallback = 'none';
  }
  for (const line of content.split(/\r?\n/)) {
    const f = line.split(':');
    if (kind === 'passwd' && f.length >= 4 && f[0] && /^\d+$/.test(f[2]) && /^\d+$/.test(f[3])) {
      book.users.set(f[0], { name: f[0], uid: Number(f[2]), gid: Number(f[3]), createdAt: origin });
    } else if (kind === 'group' && f.length >= 3 && f[0] && /^\d+$/.test(f[2])) {
      book.groups.set(f[0], { name: f[0], gid: Number(f[2]), members: f[3] ? f[3].split(',') : [], createdAt: origin });
    }
  }
}

// ---- the user of each stage ----

function finishStage(state: StageState, text: Text): Stage {
  const users: UserInstruction[] = state.users.map((u) => {
    const user = fromUserInstruction(u, state);
    return {
      line: u.line,
      instructionSpan: u.instructionSpan,
      span: u.span,
      spec: u.spec,
      ...(u.value !== undefined ? { value: u.value } : {}),
      ...(u.unresolved.length ? { unresolved: u.unresolved } : {}),
      ...(u.buildArgs.length ? { buildArgs: u.buildArgs } : {}),
      user,
    };
  });
  const last = users[users.length - 1];
  const user = last ? last.user : inheritedUser(state);
  const stage: Stage = {
    index: state.index,
    ...(state.name ? { name: state.name } : {}),
    line: state.line,
    span: state.span,
    base: state.base,
    ...(state.image ? { image: state.image } : {}),
    users,
    accounts: state.book.accounts(),
    accountsKnown: state.book.knowledge(),
    passwd: state.book.allUsers(),
    groups: state.book.allGroups(),
    user,
    dependsOn: [...(state.parent ? [state.parent.index] : []), ...state.copiesFrom],
    ...(state.base.kind === 'image' && state.image && state.book.facts ? { baseFacts: factsRecord(state.image, state.book.facts) } : {}),
  };
  state.result = stage;
  void text;
  return stage;
}

function fromUserInstruction(u: StageState['users'][number], state: StageState): ResolvedUser {
  const common = { source: 'user-instruction' as const, spec: u.spec, line: u.line, span: u.span, ...(u.buildArgs.length ? { buildArgs: u.buildArgs } : {}), ...(u.hidden ? { hiddenArgs: u.hidden } : {}) };
  if (u.value === undefined) {
    const why = u.unresolved.map((name) => unresolvedReason(name, state.scope)).join('; ');
    return { ...common, reason: `USER ${u.spec.trim()} does not resolve: ${why || 'it depends on an unknown value'}` };
  }
  // USER that expands to nothing: the image config's User is empty, so the container runs as root.
  if (u.value.trim() === '') return { ...common, value: '', name: 'root', uid: 0, gid: 0, group: 'root' };
  return { ...common, value: u.value, ...resolveSpec(u.value, state.book) };
}

function unresolvedReason(name: string, scope: VariableScope): string {
  const b = scope.get(name);
  if (AUTOMATIC_ARGS.has(name)) return `${name} is set by BuildKit`;
  if (b?.kind === 'arg' && !b.unknown) return `ARG ${name} has no default (set with --build-arg)`;
  if (b) return `${name} depends on an unknown value`;
  return `${name} is not declared in this stage (an ARG before FROM must be re-declared; it may come from the base image's ENV)`;
}

/** No USER in the stage: the base stage's user, re-resolved here, or the base image's default. */
function inheritedUser(state: StageState): ResolvedUser {
  const parent = state.parent?.result;
  if (parent && (parent.user.source === 'user-instruction' || parent.user.source === 'inherited-stage')) {
    const { source: _s, name: _n, uid: _u, gid: _g, group: _gr, createdAt: _c, reason: _r, missing: _m, ...kept } = parent.user;
    const resolved = parent.user.value !== undefined ? resolveSpec(parent.user.value, state.book) : { ...(parent.user.reason ? { reason: parent.user.reason } : {}) };
    return { ...kept, source: 'inherited-stage', ...resolved };
  }
  const facts = state.book.facts;
  if (facts) {
    const r = resolveSpec(facts.user.spec || 'root', state.book);
    const uid = r.uid ?? facts.user.uid;
    const gid = r.gid ?? facts.user.gid;
    const { reason, uid: _uid, gid: _gid, missing: _missing, ...rest } = r;
    return {
      source: 'base-image', image: state.image ?? facts.repository, ...(facts.user.spec ? { imageConfigUser: facts.user.spec } : {}), ...rest,
      ...(uid !== undefined ? { uid } : {}), ...(gid !== undefined ? { gid } : {}),
      ...(reason !== undefined && (uid === undefined || gid === undefined) ? { reason } : {}),
    };
  }
  const image = state.image;
  const reason = image
    ? `no USER in this Dockerfile, and base image ${image} is not known: its own USER decides`
    : `no USER in this Dockerfile, and the base image ${state.base.raw} does not resolve`;
  return { source: 'default', ...(image ? { image } : {}), reason };
}
