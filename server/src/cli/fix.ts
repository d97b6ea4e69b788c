/** `--fix`, `--fix-unsafe`, `--fix-dry-run`. IMPLEMENTATION PENDING: wired to engine/fixes/apply.ts once it lands. */
import type { AnalysisOptions } from '../engine/options';
import type { CliIo } from './main';
import type { InputFile } from './files';

export function applyCliFixes(file: InputFile, text: string, options: AnalysisOptions, mode: { unsafe: boolean; dryRun: boolean }, io: CliIo): string {
  void file; void options; void mode; void io;
  return text;
}
