/** `--fix` (preferred safe fixes, in place), `--fix-unsafe` (unsafe ones too), `--fix-dry-run` (a unified diff). */
import * as fs from 'node:fs';
import { fixAll } from '../engine/fixes/apply';
import type { AnalysisOptions } from '../engine/options';
import { unifiedDiff } from './diff';
import type { InputFile } from './files';
import type { CliIo } from './main';

export function applyCliFixes(file: InputFile, text: string, options: AnalysisOptions, mode: { unsafe: boolean; dryRun: boolean }, io: CliIo): string {
  const result = fixAll(file.absolute, text, options, { unsafe: mode.unsafe });
  if (result.text === text) return text;
  if (mode.dryRun) {
    io.stdout(unifiedDiff(file.display, text, result.text));
    return text;
  }
  fs.writeFileSync(file.absolute, result.text);
  io.stderr(`secctx: ${file.display}: applied ${result.applied.length} fix${result.applied.length === 1 ? '' : 'es'}\n`);
  return result.text;
}
