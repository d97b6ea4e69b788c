/**
 * `--fix` (preferred safe fixes, in place), `--fix-unsafe` (unsafe ones too), `--fix-dry-run` (a unified diff).
 * A fix never loses data: the new text keeps the file's UTF-8 BOM and line-ending style, is written to a
 * temporary file beside the original and renamed over it, and not at all when the file changed on disk since
 * it was read (an editor or another tool wrote it): that is a fatal problem (exit 2).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixAll } from '../engine/fixes/apply';
import type { FileAnalysis } from '../engine/analyze';
import type { AnalysisOptions } from '../engine/options';
import { unifiedDiff } from './diff';
import type { InputFile, ReadFile } from './files';
import type { CliIo } from './io';

export interface CliFixResult {
  /** The text after the fixes (the original text for a dry run). */
  readonly text: string;
  /** `--fix-dry-run`: the unified diff, paths relative to the working directory ('' when nothing changes). */
  readonly patch: string;
  /** How many fixes were (or would be) applied. */
  readonly applied: number;
  /** Findings left with a preferred fix that is unsafe (applied only with --fix-unsafe). */
  readonly unsafeLeft: number;
  /** Why the fixes were not written (the file changed on disk meanwhile, or could not be written). */
  readonly problem?: string;
}

/**
 * The line-ending style of `original` applied to what the fixes inserted: a CRLF file gets CRLF for every
 * bare LF (when it had none of its own), a CR-only file gets CR.
 */
export function keepLineEndings(original: string, fixed: string): string {
  if (!fixed.includes('\n')) return fixed;
  const lf = original.split('\n').length - 1;
  const crlf = original.split('\r\n').length - 1;
  if (lf > 0 && crlf === lf) return fixed.replace(/\r?\n/g, '\r\n');
  if (lf === 0 && original.includes('\r')) return fixed.replace(/\n/g, '\r');
  return fixed;
}

/** Writes `bytes` to a temporary file in the target's directory and renames it over the target (its mode kept). */
function writeAtomically(file: string, bytes: Buffer): void {
  const target = fs.realpathSync(file); // a symlink stays a symlink: its target is replaced
  const mode = fs.statSync(target).mode & 0o7777;
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.secctx-${process.pid}-${Date.now().toString(36)}.tmp`);
  const fd = fs.openSync(temp, 'wx', mode);
  try {
    fs.writeSync(fd, bytes);
    fs.fsyncSync(fd);
  } catch (err) {
    fs.closeSync(fd);
    fs.rmSync(temp, { force: true });
    throw err;
  }
  fs.closeSync(fd);
  try {
    fs.renameSync(temp, target);
  } catch (err) {
    fs.rmSync(temp, { force: true });
    throw err;
  }
}

const errCode = (err: unknown) => (err as NodeJS.ErrnoException).code ?? (err as Error).message;

/** Writes the fixed text unless the file changed since `read`; the problem when it did not write. */
function writeFixed(file: InputFile, read: ReadFile, fixed: string): string | undefined {
  if (!read.bytes) return undefined; // stdin: nothing on disk to compare with
  let now: Buffer;
  try {
    now = fs.readFileSync(file.absolute);
  } catch (err) {
    return `not fixed: cannot read it again (${errCode(err)})`;
  }
  if (!now.equals(read.bytes)) return 'not fixed: the file changed on disk since secctx read it (run again)';
  try {
    writeAtomically(file.absolute, Buffer.from((read.bom ? '\ufeff' : '') + fixed, 'utf8'));
  } catch (err) {
    return `not fixed: cannot write it (${errCode(err)})`;
  }
  return undefined;
}

/** The path a patch names: relative to the working directory (what `git apply` expects), `/`-separated. */
export function patchPath(file: InputFile): string {
  const rel = path.relative(process.cwd(), file.absolute);
  return (rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file.absolute).split(path.sep).join('/');
}

/** `analyze`: how a pass judges the text (a Helm chart's values file or template through its chart); default: the file alone. */
export function applyCliFixes(file: InputFile, read: ReadFile, options: AnalysisOptions, mode: { unsafe: boolean; dryRun: boolean }, io: CliIo, analyze?: (path: string, text: string) => FileAnalysis): CliFixResult {
  const { text } = read;
  const result = fixAll(file.absolute, text, options, { unsafe: mode.unsafe, ...(analyze ? { analyze } : {}) });
  const unsafeLeft = result.remaining.filter((f) => f.fixes.some((fix) => fix.preferred && fix.safety !== 'safe')).length;
  if (result.text === text) return { text, patch: '', applied: 0, unsafeLeft };
  const fixed = keepLineEndings(text, result.text);
  if (mode.dryRun) return { text, patch: unifiedDiff(patchPath(file), text, fixed), applied: result.applied.length, unsafeLeft };
  const problem = writeFixed(file, read, fixed);
  if (problem) return { text, patch: '', applied: 0, unsafeLeft, problem };
  io.stderr(`secctx: ${file.display}: applied ${result.applied.length} fix${result.applied.length === 1 ? '' : 'es'}\n`);
  return { text: fixed, patch: '', applied: result.applied.length, unsafeLeft };
}
