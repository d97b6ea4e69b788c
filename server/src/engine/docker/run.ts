/**
 * `docker run` / `docker create` / `podman run` command lines in shell scripts, Makefile recipes
 * and Markdown code blocks: the flags read as Docker reads them, and the effective context.
 */
import type { AnalysisOptions } from '../options';
import type { Span } from '../types';
import { LineIndex } from '../lines';
import { dockerRunHostKind } from './detect';
import { dockerEffective } from './effective';
import type { DockerFileModel, DockerRunCommand, DockerSettings, Setting } from './model';
import { shellRegions } from './regions';
import { SHORT_FLAGS, globalTakesValue, sudoTakesValue, takesValue } from './run-flags';
import { charOffset, shellCommands, wordSpan, wordValue, type Dialect, type ShellWord, type SimpleCommand } from './shell';
import { parseGoBool } from './values';
import { expandMakeVariable, makeVariables } from './makeVariables';
import { mountSource, volumeSource } from './mounts';

export function parseDockerRuns(text: string, fileName: string, options: AnalysisOptions): DockerFileModel {
  try {
    const host = dockerRunHostKind(fileName, text) ?? 'shell';
    const containers: DockerRunCommand[] = [];
    const vars = host === 'makefile' ? makeVariables(text) : undefined;
    // One line table for the file: counting lines from the start for each command was quadratic.
    const lines = new LineIndex(text);
    for (const region of shellRegions(text, host)) {
      for (const cmd of commandsIn(text, region.start, region.end, region.dialect, 0)) {
        const run = dockerRun(cmd, lines, options, vars);
        if (run) containers.push(run);
      }
    }
    containers.sort((a, b) => a.span.start - b.span.start);
    return { fileName, format: 'docker-run', containers, problems: [] };
  } catch (e) {
    return { fileName, format: 'docker-run', containers: [], problems: [{ message: `Could not read the command lines: ${String(e)}`, span: { start: 0, end: 0 } }] };
  }
}

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*\+?=/;

/** Commands, and the commands held in quoted assignments (`RUN="docker run --rm ..."`). */
function commandsIn(text: string, start: number, end: number, dialect: Dialect, depth: number): SimpleCommand[] {
  const commands = shellCommands(text, start, end, dialect);
  if (depth >= 3) return commands;
  const held: SimpleCommand[] = [];
  for (const cmd of commands) {
    for (const w of cmd.words) {
      const m = ASSIGNMENT.exec(w.text);
      if (!m || wordValue(w, 0, m[0].length) === undefined) continue;
      const quote = w.span.start + m[0].length;
      const q = text[quote];
      if ((q !== '"' && q !== "'") || text[w.span.end - 1] !== q || w.span.end - 1 <= quote) continue;
      if (!/^\s*(?:sudo\s+)?(?:\S*\/)?(?:docker|podman)\s/.test(w.text.slice(m[0].length))) continue;
      held.push(...commandsIn(text, quote + 1, w.span.end - 1, dialect, depth + 1));
    }
  }
  return held.length ? [...commands, ...held] : commands;
}

const PREFIX_WORDS = new Set(['{', '(', 'then', 'do', 'else', 'elif', 'if', 'while', 'until', '!', 'time', 'nohup', 'exec', 'command', 'builtin']);

interface Builder {
  user?: Setting<string>;
  privileged?: Setting<boolean>;
  capAdd: Setting<string>[];
  capDrop: Setting<string>[];
  devices: Setting<string>[];
  securityOpt: Setting<string>[];
  readOnly?: Setting<boolean>;
  pid?: Setting<string>;
  ipc?: Setting<string>;
  network?: Setting<string>;
  userns?: Setting<string>;
  groupAdd: Setting<string>[];
  sysctls: Setting<string>[];
  mounts: Setting<string>[];
}

/** A flag as parsed: its long name, as written, its value (a part of one word) and the span of flag through value. */
interface Flag {
  readonly long: string;
  readonly written: string;
  readonly span: Span;
  readonly value?: { readonly word: ShellWord; readonly from: number };
}

function dockerRun(cmd: SimpleCommand, lines: LineIndex, options: AnalysisOptions, makeVars?: ReadonlyMap<string, string>): DockerRunCommand | undefined {
  const w = cmd.words;
  const lit = (k: number) => (k < w.length ? wordValue(w[k]) : undefined);
  let i = 0;
  let first = -1;
  // Assignments and prefix commands: `FOO=1 sudo -E docker run`, `then docker run`, `exec docker run`.
  for (;;) {
    if (i >= w.length) return undefined;
    const eq = ASSIGNMENT.exec(w[i].text);
    if (eq && wordValue(w[i], 0, eq[0].length) !== undefined) { i++; continue; }
    const v = lit(i);
    if (v === undefined) return undefined;
    if (PREFIX_WORDS.has(v)) { i++; if (v === 'time' && lit(i) === '-p') i++; continue; }
    if (v === 'sudo' || v === 'env') {
      if (first < 0) first = i;
      i++;
      for (let f = lit(i); f !== undefined && f.startsWith('-'); f = lit(i)) {
        i += (v === 'sudo' ? sudoTakesValue(f) : f === '-u' || f === '--unset') ? 2 : 1;
        if (f === '--') break;
      }
      continue;
    }
    break;
  }
  const engineWord = lit(i);
  const engine = engineWord?.slice(engineWord.lastIndexOf('/') + 1);
  if (engine !== 'docker' && engine !== 'podman') return undefined;
  if (first < 0) first = i;
  i++;
  for (let f = lit(i); f !== undefined && f.startsWith('-'); f = lit(i)) i += globalTakesValue(f) ? 2 : 1;
  let sub = lit(i);
  const words = [engine];
  if (sub === 'container') { words.push(sub); i++; sub = lit(i); }
  if (sub !== 'run' && sub !== 'create') return undefined;
  words.push(sub);
  const nameSpan: Span = { start: w[first].span.start, end: w[i].span.end };
  const command = (w.slice(first, i + 1).some((x) => wordValue(x) === 'sudo') ? 'sudo ' : '') + words.join(' ');
  i++;

  const b: Builder = { capAdd: [], capDrop: [], devices: [], securityOpt: [], groupAdd: [], sysctls: [], mounts: [] };
  const opaque: Setting<string>[] = [];
  let image: Setting<string> | undefined;
  while (i < w.length) {
    const word = w[i];
    const t = word.text;
    if (t === '--' && !word.quoted) {
      if (i + 1 < w.length) image = wordSetting(w[i + 1], 'image');
      break;
    }
    if (t.startsWith('--') && t.length > 2 && wordValue(word, 0, Math.max(2, t.indexOf('=') < 0 ? t.length : t.indexOf('='))) !== undefined) {
      const eq = t.indexOf('=');
      const long = t.slice(2, eq < 0 ? undefined : eq);
      if (eq >= 0) record(b, { long, written: `--${long}`, span: word.span, value: { word, from: eq + 1 } });
      else if (takesValue(long) && i + 1 < w.length) {
        record(b, { long, written: t, span: { start: word.span.start, end: w[i + 1].span.end }, value: { word: w[i + 1], from: 0 } });
        i++;
      } else record(b, { long, written: t, span: word.span });
      i++;
      continue;
    }
    if (t.startsWith('-') && t.length > 1 && wordValue(word, 0, 2) !== undefined) {
      for (let j = 1; j < t.length; j++) {
        const long = SHORT_FLAGS[t[j]];
        if (long === undefined) break;
        const start = j === 1 ? word.span.start : charOffset(word, j);
        const written = `-${t[j]}`;
        if (!takesValue(long)) { record(b, { long, written, span: { start, end: charOffset(word, j) + 1 } }); continue; }
        if (j + 1 < t.length) record(b, { long, written, span: { start, end: word.span.end }, value: { word, from: t[j + 1] === '=' ? j + 2 : j + 1 } });
        else if (i + 1 < w.length) { record(b, { long, written, span: { start, end: w[i + 1].span.end }, value: { word: w[i + 1], from: 0 } }); i++; }
        break;
      }
      i++;
      continue;
    }
    if (isOpaque(word)) { opaque.push(wordSetting(word, 'options')); i++; continue; }
    image = wordSetting(word, 'image');
    break;
  }

  const last = w[w.length - 1];
  const span: Span = { start: nameSpan.start, end: Math.max(nameSpan.end, last.span.end) };
  const settings: DockerSettings = b;
  // A Makefile's `$(IMAGE)` with `IMAGE ?= acme/web:dev` above names that image.
  const imageKey = image && makeVars ? expandMakeVariable(image.raw, makeVars) ?? image.raw : image?.raw;
  const name = imageKey ?? '(no image)';
  const line = lines.position(nameSpan.start).line;
  const effective = dockerEffective({
    kind: 'docker-run', name, workload: `${command} (line ${line})`, nameSpan, span,
    ...(image && imageKey ? { image, imageKey } : {}), settings, source: 'flag',
  }, options);
  return { kind: 'docker-run', name, nameSpan, span, command, engine, opaque, ...(image ? { image } : {}), settings, effective };
}

function wordSetting(word: ShellWord, field: string): Setting<string> {
  return { field, raw: word.text, value: wordValue(word), span: word.span, valueSpan: word.span };
}

/** An unquoted expansion standing where options go, named like options (`${EXTRA_DOCKER_OPTS}`), or `"$@"`. */
function isOpaque(word: ShellWord): boolean {
  const whole = word.expansions.length === 1 && word.expansions[0][0] === 0 && word.expansions[0][1] === word.text.length;
  if (!whole) return false;
  const m = /^\$\$?[({]?#?!?([A-Za-z_][A-Za-z0-9_]*|[@*])/.exec(word.text);
  if (!m) return false;
  const splits = !word.quoted || /\[[@*]\]|^\$\{?[@*]/.test(word.text);
  return splits && (/^[@*]$/.test(m[1]) || /OPT|ARG|FLAG|PARAM|EXTRA/i.test(m[1]));
}

function setting(f: Flag): Setting<string> {
  if (!f.value) return { field: f.written, raw: '', value: '', span: f.span, valueSpan: { start: f.span.end, end: f.span.end } };
  const { word, from } = f.value;
  return { field: f.written, raw: word.text.slice(from), value: wordValue(word, from), span: f.span, valueSpan: wordSpan(word, from) };
}

function boolSetting(f: Flag): Setting<boolean> {
  const s = setting(f);
  const value = f.value ? (s.value === undefined ? undefined : parseGoBool(s.value)) : true;
  return { ...s, raw: f.value ? s.raw : 'true', value, ...(f.value ? {} : { valueSpan: f.span }) };
}

/** Applies one flag: lists accumulate, the last of a single-valued flag wins (the first `--network`). */
function record(b: Builder, f: Flag): void {
  switch (f.long) {
    case 'user': b.user = setting(f); break;
    case 'privileged': b.privileged = boolSetting(f); break;
    case 'read-only': b.readOnly = boolSetting(f); break;
    case 'cap-add': b.capAdd.push(setting(f)); break;
    case 'cap-drop': b.capDrop.push(setting(f)); break;
    case 'device': b.devices.push(setting(f)); break;
    case 'security-opt': b.securityOpt.push(setting(f)); break;
    case 'group-add': b.groupAdd.push(setting(f)); break;
    case 'sysctl': b.sysctls.push(setting(f)); break;
    case 'volume':
    case 'mount': {
      const s = setting(f);
      const source = s.value === undefined ? undefined : f.long === 'volume' ? volumeSource(s.value) : mountSource(s.value);
      if (source !== undefined) b.mounts.push({ ...s, value: source });
      break;
    }
    case 'pid': b.pid = setting(f); break;
    case 'ipc': b.ipc = setting(f); break;
    case 'userns': b.userns = setting(f); break;
    case 'net':
    case 'network': b.network ??= setting(f); break;
    default: break;
  }
}
