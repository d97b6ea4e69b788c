/**
 * Collecting the files to analyse from command-line arguments: files, directories (walked, with
 * `.gitignore` respected unless `--no-ignore`), glob patterns (expanded here with tinyglobby, so a
 * quoted `'k8s/**\/*.yaml'` behaves the same on every shell) and `-` for standard input.
 *
 * Libraries: tinyglobby (globs; small, maintained, the one eslint's ecosystem moved to),
 * picomatch (deciding whether an argument is a pattern), ignore (.gitignore semantics, the
 * implementation eslint and prettier use) — instead of hand-written matching that got them wrong.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import picomatch from 'picomatch';
import { globSync } from 'tinyglobby';
import { detectFileKind } from '../engine/analyze';
import { gitIgnored, levelsAt, readGitignore, type IgnoreLevel } from '../host/gitignore';
import { SKIP_DIRS } from '../host/walk';

export interface InputFile {
  /** As given on the command line, or joined onto the directory given. */
  readonly display: string;
  readonly absolute: string;
  /** Named on the command line (not found by walking or a glob): never ignored. */
  readonly explicit: boolean;
  /** The text, for standard input. */
  readonly stdin?: string;
}

export interface CollectOptions {
  /** `--no-ignore`: do not read .gitignore files. */
  readonly noIgnore: boolean;
  /** `--stdin-filename`: the name standard input is analysed (and reported) as. */
  readonly stdinFilename?: string;
  /** Reads standard input (injected so tests run in-process). */
  readonly readStdin: () => string;
  /** `--no-error-on-unmatched-pattern`: a pattern matching no file is "nothing to check", not exit 2. */
  readonly allowUnmatchedPattern?: boolean;
}

export interface Collected {
  readonly files: InputFile[];
  /** Explicit inputs that do not exist and patterns that match nothing: exit 2. */
  readonly fatal: string[];
  /** Directories that cannot be read: reported, not fatal. */
  readonly problems: string[];
  /** Files left out, by why. */
  readonly skipped: Map<string, number>;
  /** Directories (or patterns) that held nothing to check. */
  readonly empty: string[];
}

export const SKIPPED_GITIGNORE = 'ignored by .gitignore';

const isCandidate = (name: string) => { const kind = detectFileKind(name); return kind !== 'unknown' && kind !== 'config'; };
const errCode = (err: unknown) => (err as NodeJS.ErrnoException).code ?? (err as Error).message;

/** The .gitignore levels that apply in `dir`, read once per run. */
const levelCache = new Map<string, IgnoreLevel[]>();
function levelsIn(dir: string): IgnoreLevel[] {
  let levels = levelCache.get(dir);
  if (!levels) levelCache.set(dir, (levels = levelsAt(dir)));
  return levels;
}

function isPattern(arg: string): boolean {
  return picomatch.scan(arg).isGlob;
}

export function collectFiles(args: readonly string[], options: CollectOptions): Collected {
  levelCache.clear();
  const out: Collected = { files: [], fatal: [], problems: [], skipped: new Map(), empty: [] };
  const skip = (why: string) => out.skipped.set(why, (out.skipped.get(why) ?? 0) + 1);
  const seen = new Set<string>();
  const push = (file: InputFile) => { if (!seen.has(file.absolute) || file.stdin !== undefined) { seen.add(file.absolute); out.files.push(file); } };

  const walk = (dir: string, display: string, levels: IgnoreLevel[]) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      out.problems.push(`${display}: cannot read directory (${errCode(err)})`);
      return;
    }
    const here = options.noIgnore ? levels : [...levels, ...(levels.some((l) => l.base === dir) ? [] : [readGitignore(dir)].filter((l): l is IgnoreLevel => l !== undefined))];
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      const abs = path.join(dir, e.name);
      const disp = path.join(display, e.name);
      if (e.isDirectory()) {
        if (SKIP_DIRS.has(e.name) || (!options.noIgnore && gitIgnored(here, abs, true))) continue;
        walk(abs, disp, here);
      } else if (e.isFile() && isCandidate(e.name)) {
        if (!options.noIgnore && gitIgnored(here, abs, false)) { skip(SKIPPED_GITIGNORE); continue; }
        push({ display: disp, absolute: abs, explicit: false });
      }
    }
  };

  for (const arg of args) {
    if (arg === '-') {
      const name = options.stdinFilename ?? '<stdin>';
      let text: string;
      try { text = options.readStdin(); } catch (err) { out.fatal.push(`-: cannot read standard input (${errCode(err)})`); continue; }
      push({ display: name, absolute: path.resolve(options.stdinFilename ?? 'stdin.yaml'), explicit: true, stdin: text });
      continue;
    }
    let stat: fs.Stats | undefined;
    try { stat = fs.statSync(arg); } catch (err) {
      if (!isPattern(arg)) { out.fatal.push(`${arg}: no such file or directory (${errCode(err)})`); continue; }
    }
    if (stat?.isDirectory()) {
      const before = out.files.length;
      const abs = path.resolve(arg);
      walk(abs, arg, options.noIgnore ? [] : levelsIn(abs));
      if (out.files.length === before) out.empty.push(arg);
    } else if (stat) {
      push({ display: arg, absolute: path.resolve(arg), explicit: true });
    } else {
      // A pattern: expanded relative to the working directory, like a shell would.
      const pattern = process.platform === 'win32' ? arg.replace(/\\/g, '/') : arg;
      const matches = globSync(pattern, { cwd: process.cwd(), onlyFiles: true, dot: false, ignore: [...SKIP_DIRS].map((d) => `**/${d}/**`) }).sort();
      if (!matches.length) {
        if (options.allowUnmatchedPattern) out.empty.push(arg);
        else out.fatal.push(`${arg}: no files match this pattern (--no-error-on-unmatched-pattern allows it)`);
        continue;
      }
      let found = 0;
      for (const m of matches) {
        const abs = path.resolve(m);
        if (!isCandidate(path.basename(m))) continue;
        if (!options.noIgnore && gitIgnored(levelsIn(path.dirname(abs)), abs, false)) { skip(SKIPPED_GITIGNORE); continue; }
        found++;
        push({ display: path.normalize(m), absolute: abs, explicit: false });
      }
      if (!found) out.empty.push(arg);
    }
  }
  return out;
}

/** A file as read: its text without a UTF-8 BOM, whether it had one, and its bytes (`--fix` checks them before writing; none for stdin). */
export interface ReadFile {
  readonly text: string;
  readonly bom: boolean;
  readonly bytes?: Buffer;
}

/** Reads a file as text, refusing binary content (a NUL byte in the first 8 KiB). */
export function readText(file: InputFile): ReadFile | { problem: string; skipped?: string } {
  let buf: Buffer;
  if (file.stdin !== undefined) buf = Buffer.from(file.stdin, 'utf8');
  else {
    try {
      buf = fs.readFileSync(file.absolute);
    } catch (err) {
      return { problem: `cannot read (${errCode(err)})` };
    }
  }
  if (buf.subarray(0, 8192).includes(0)) return { problem: 'skipped: binary file', skipped: 'binary' };
  let text = buf.toString('utf8');
  const bom = text.charCodeAt(0) === 0xfeff;
  if (bom) text = text.slice(1);
  return file.stdin !== undefined ? { text, bom } : { text, bom, bytes: buf };
}
