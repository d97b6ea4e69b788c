/**
 * Every command-line option in one table: its parseArgs shape, its line in the usage, and how it
 * sets `CliOptions`. Adding a flag is one entry here (plus its field in `CliOptions`).
 *
 * Parsing is `node:util.parseArgs` (tokens, non-strict) so that the messages stay ours
 * ("unknown option --bogus", "--runtime needs a value") and later flags win over earlier ones.
 */
import { parseArgs } from 'node:util';
import { RUNTIMES, type Runtime } from '../engine/capabilities';
import type { AnalysisOptions } from '../engine/options';
import type { Profile } from '../engine/types';
import { COMMANDS, commandNames, FORMATS, type Command, type Format } from './commands';
import { UsageError } from './io';

export interface CliOptions {
  command: Command;
  /** The arguments as given (SARIF records the command line). */
  argv: readonly string[];
  paths: string[];
  format: Format;
  /** Analysis settings given on the command line; they win over .secctx.yaml. */
  explicit: { -readonly [K in keyof AnalysisOptions]?: AnalysisOptions[K] };
  config?: string;
  fix: boolean;
  fixUnsafe: boolean;
  fixDryRun: boolean;
  /** `--color`/`--no-color`; undefined: FORCE_COLOR, NO_COLOR, then whether the output is a terminal. */
  color: boolean | undefined;
  /** `--max-warnings N`: exit 1 when there are more warnings (eslint's meaning). */
  maxWarnings?: number;
  /** `--severity-threshold`: exit 1 when a finding is at least this severe (default error). */
  severityThreshold: Threshold;
  stdinFilename?: string;
  /** `--no-ignore`: walk directories without reading .gitignore. */
  noIgnore: boolean;
  /** `--no-error-on-unmatched-pattern`: a glob matching nothing is not a usage error (eslint's flag). */
  allowUnmatchedPattern?: boolean;
  /** `--quiet`: report errors only (thresholds still count everything). */
  quiet: boolean;
  outputFile?: string;
  /** `explain --wide`: every column in full, whatever the width. */
  wide: boolean;
  /** `--values F` (repeatable): Helm values files merged, in order, over each chart's values.yaml. */
  values: string[];
  /** Where image facts are looked up (default local: cache + Docker engine, no network). */
  imageLookup: 'registry' | 'local' | 'off';
  /** Platform of images chosen from an index (default linux/amd64). */
  platform?: string;
}

export const THRESHOLDS = ['error', 'warning', 'info'] as const;
export type Threshold = (typeof THRESHOLDS)[number];

export interface OptionDef {
  /** The long name, without `--`. */
  readonly name: string;
  readonly short?: string;
  /** `string` options take a value (`--x v` or `--x=v`); `boolean` ones take none. */
  readonly type: 'string' | 'boolean';
  /** Shown after the name in the usage, e.g. `<file>` or `text|json`. */
  readonly value?: string;
  readonly description: string;
  /** Sets the option; throws `UsageError` for a bad value. */
  apply(o: CliOptions, value: string): void;
}

const oneOf = <T extends string>(flag: string, allowed: readonly T[], v: string, what = `one of ${allowed.join(', ')}`): T => {
  if (!(allowed as readonly string[]).includes(v)) throw new UsageError(`--${flag} must be ${what}, not ${v}`);
  return v as T;
};
const orList = (xs: readonly string[]) => `${xs.slice(0, -1).join(', ')} or ${xs[xs.length - 1]}`;

export const OPTIONS: readonly OptionDef[] = [
  { name: 'format', type: 'string', value: FORMATS.join('|'), description: `output format (${COMMANDS.filter((c) => c.formats.length < FORMATS.length).map((c) => `${c.name}: ${c.formats.join('|')}`).join('; ')}; default text)`,
    apply: (o, v) => { o.format = oneOf('format', FORMATS, v, orList(FORMATS)); } },
  { name: 'profile', type: 'string', value: 'restricted|baseline|privileged', description: 'Pod Security Standards profile (default restricted)',
    apply: (o, v) => { o.explicit.profile = oneOf<Profile>('profile', ['restricted', 'baseline', 'privileged'], v, 'restricted, baseline or privileged'); } },
  { name: 'kubernetes-version', type: 'string', value: '1.N', description: 'judge Pod Security Standards as of this version (default newest)',
    apply: (o, v) => {
      if (!/^v?1\.\d+$/.test(v)) throw new UsageError(`--kubernetes-version must look like 1.30, not ${v}`);
      o.explicit.kubernetesVersion = v;
    } },
  { name: 'runtime', type: 'string', value: RUNTIMES.join('|'), description: 'runtime whose capability rules apply (default containerd)',
    apply: (o, v) => { o.explicit.runtime = oneOf<Runtime>('runtime', RUNTIMES, v); } },
  { name: 'config', type: 'string', value: '<file>', description: 'use this .secctx.yaml instead of searching upward', apply: (o, v) => { o.config = v; } },
  { name: 'values', type: 'string', value: '<file>', description: 'Helm values file merged over the chart\'s values.yaml (repeatable; later files win)', apply: (o, v) => { o.values.push(v); } },
  { name: 'fix', type: 'boolean', description: 'apply the preferred safe fixes in place', apply: (o) => { o.fix = true; } },
  { name: 'fix-unsafe', type: 'boolean', description: 'with --fix: apply unsafe fixes too', apply: (o) => { o.fix = true; o.fixUnsafe = true; } },
  { name: 'fix-dry-run', type: 'boolean', description: 'print the fixes as a unified diff instead of writing', apply: (o) => { o.fix = true; o.fixDryRun = true; } },
  { name: 'image-lookup', type: 'string', value: 'registry|local|off', description: 'where image facts come from: local = cache + Docker engine (default), registry = also registries',
    apply: (o, v) => { o.imageLookup = oneOf('image-lookup', ['registry', 'local', 'off'] as const, v, 'registry, local or off'); } },
  { name: 'platform', type: 'string', value: 'os/arch[/variant]', description: 'platform of images chosen from an index (default linux/amd64)',
    apply: (o, v) => {
      if (!/^[a-z0-9_]+\/[a-z0-9_]+(\/[a-z0-9_]+)?$/i.test(v)) throw new UsageError(`--platform must look like linux/amd64, not ${v}`);
      o.platform = v;
    } },
  { name: 'severity-threshold', type: 'string', value: THRESHOLDS.join('|'), description: 'exit 1 when a finding is at least this severe (default error)',
    apply: (o, v) => { o.severityThreshold = oneOf<Threshold>('severity-threshold', THRESHOLDS, v, orList(THRESHOLDS)); } },
  { name: 'max-warnings', type: 'string', value: '<n>', description: 'exit 1 when there are more than n warnings',
    apply: (o, v) => {
      if (!/^\d+$/.test(v)) throw new UsageError(`--max-warnings must be a whole number, not ${v}`);
      o.maxWarnings = Number(v);
    } },
  { name: 'quiet', short: 'q', type: 'boolean', description: 'report errors only (thresholds still count everything)', apply: (o) => { o.quiet = true; } },
  { name: 'output-file', short: 'o', type: 'string', value: '<file>', description: 'write the report to this file instead of stdout', apply: (o, v) => { o.outputFile = v; } },
  { name: 'stdin-filename', type: 'string', value: '<name>', description: 'the name standard input (-) is checked as (default <stdin>, read as Kubernetes YAML)', apply: (o, v) => { o.stdinFilename = v; } },
  { name: 'no-ignore', type: 'boolean', description: 'walk directories without reading .gitignore', apply: (o) => { o.noIgnore = true; } },
  { name: 'no-error-on-unmatched-pattern', type: 'boolean', description: 'a glob matching no file is nothing to check, not exit 2', apply: (o) => { o.allowUnmatchedPattern = true; } },
  { name: 'wide', type: 'boolean', description: 'explain: every column in full, however wide', apply: (o) => { o.wide = true; } },
  { name: 'color', type: 'boolean', description: 'coloured text output even when not a terminal', apply: (o) => { o.color = true; } },
  { name: 'no-color', type: 'boolean', description: 'plain text output', apply: (o) => { o.color = false; } },
  { name: 'help', short: 'h', type: 'boolean', description: 'this help', apply: () => undefined },
  { name: 'version', short: 'v', type: 'boolean', description: 'print the version', apply: () => undefined },
];

const BY_NAME = new Map(OPTIONS.map((d) => [d.name, d]));

/** The usage text, generated from the command and option tables. */
export function usage(): string {
  const commands = COMMANDS.map((c) => `  ${c.name.padEnd(10)}${c.summary}`);
  const head = (d: OptionDef) => `${d.short ? `-${d.short}, ` : ''}--${d.name}${d.value ? ` ${d.value}` : ''}`;
  const options = OPTIONS.map((d) => {
    const h = head(d);
    return h.length < 29 ? `  ${h.padEnd(29)}${d.description}` : `  ${h}\n${' '.repeat(31)}${d.description}`;
  });
  return [
    'Usage: secctx <command> [options] <files or directories...>',
    '',
    'Commands:',
    ...commands,
    '',
    'Options:',
    ...options,
    '',
    'Inputs: files, directories (walked; .gitignore respected), quoted glob patterns, - for stdin.',
    '',
    'Exit status: 0 nothing at or above the threshold, 1 findings at or above it (or more',
    'warnings than --max-warnings), 2 usage error, missing input or invalid configuration.',
  ].join('\n');
}

export function defaultOptions(): CliOptions {
  return { command: COMMANDS[0], argv: [], paths: [], format: 'text', explicit: {}, fix: false, fixUnsafe: false, fixDryRun: false, color: undefined, severityThreshold: 'error', noIgnore: false, quiet: false, wide: false, imageLookup: 'local', values: [] };
}

/** Parses argv into options, `'help'` or `'version'`; throws `UsageError`. */
export function parseCliArgs(argv: readonly string[]): CliOptions | 'help' | 'version' {
  const { tokens } = parseArgs({
    args: [...argv],
    options: Object.fromEntries(OPTIONS.map((d) => [d.name, { type: d.type, ...(d.short ? { short: d.short } : {}) }])),
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  const o = defaultOptions();
  o.argv = [...argv];
  let command: string | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind === 'option-terminator') continue;
    if (t.kind === 'positional') {
      if (command === undefined && commandNames().includes(t.value)) command = t.value;
      else if (command === undefined) throw new UsageError(`unknown command ${t.value} (expected ${orList(commandNames())})`);
      else o.paths.push(t.value);
      continue;
    }
    const def = BY_NAME.get(t.name);
    if (!def) throw new UsageError(`unknown option ${t.rawName}`);
    if (def.name === 'help') return 'help';
    if (def.name === 'version') return 'version';
    if (def.type === 'boolean') {
      if (t.inlineValue) throw new UsageError(`--${def.name} takes no value`);
      def.apply(o, '');
      continue;
    }
    // parseArgs takes the next argument as the value even when it is another option: refuse that.
    if (t.value === undefined || (!t.inlineValue && t.value.startsWith('-') && t.value !== '-')) throw new UsageError(`--${def.name} needs a value`);
    def.apply(o, t.value);
  }
  if (!command) throw new UsageError(`missing command (${orList(commandNames())})`);
  const cmd = COMMANDS.find((c) => c.name === command)!;
  o.command = cmd;
  if (!o.paths.length) throw new UsageError(`no ${cmd.operands ?? 'files or directories'} given`);
  if (!cmd.formats.includes(o.format)) throw new UsageError(`--format ${o.format} is for ${COMMANDS.filter((c) => c.formats.includes(o.format)).map((c) => c.name).join(' and ')}`);
  if (o.fix && !o.fixDryRun && o.paths.includes('-')) throw new UsageError('--fix cannot write back to standard input; use --fix-dry-run');
  if (o.stdinFilename !== undefined && !o.paths.includes('-')) throw new UsageError('--stdin-filename names standard input: give - among the inputs');
  if (o.fixDryRun && !['text', 'json', 'sarif'].includes(o.format)) throw new UsageError(`--fix-dry-run goes with --format text, json or sarif, not ${o.format}`);
  return o;
}

/**
 * Whether to colour text output: --color/--no-color, else FORCE_COLOR (0 or false: no), else
 * NO_COLOR (set and not empty: no), else whether the report goes to a terminal.
 */
export function resolveColor(o: CliOptions, env: NodeJS.ProcessEnv, toTerminal: boolean): boolean {
  if (o.color !== undefined) return o.color;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  if (env.NO_COLOR) return false;
  return toTerminal;
}
