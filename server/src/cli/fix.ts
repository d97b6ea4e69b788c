/** `--fix` (preferred safe fixes, in place), `--fix-unsafe` (unsafe ones too), `--fix-dry-run` (a unified diff). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixAll } from '../engine/fixes/apply';
import type { AnalysisOptions } from '../engine/options';
import { unifiedDiff } from './diff';
import type { InputFile } from './files';
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
}

/** The path a patch names: relative to the working directory (what `git apply` expects), `/`-separated. */
export function patchPath(file: InputFile): string {
  const rel = path.relative(process.cwd(), file.absolute);
  return (rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file.absolute).split(path.sep).join('/');
}

export function applyCliFixes(file: InputFile, text: string, options: AnalysisOptions, mode: { unsafe: boolean; dryRun: boolean }, io: CliIo): CliFixResult {
  const result = fixAll(file.absolute, text, options, { unsafe: mode.unsafe });
  const unsafeLeft = result.remaining.filter((f) => f.fixes.some((fix) => fix.preferred && fix.safety !== 'safe')).length;
  if (result.text === text) return { text, patch: '', applied: 0, unsafeLeft };
  if (mode.dryRun) return { text, patch: unifiedDiff(patchPath(file), text, result.text), applied: result.applied.length, unsafeLeft };
  fs.writeFileSync(file.absolute, result.text);
  io.stderr(`secctx: ${file.display}: applied ${result.applied.length} fix${result.applied.length === 1 ? '' : 'es'}\n`);
  return { text: result.text, patch: '', applied: result.applied.length, unsafeLeft };
}
