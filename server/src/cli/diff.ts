/**
 * A unified diff of one file's fixes (for `--fix-dry-run`), made by jsdiff (`diff`): the de-facto
 * JavaScript implementation, whose patches `git apply` and `patch -p1` accept — including the
 * `\ No newline at end of file` marker the hand-written version got wrong.
 */
import { createTwoFilesPatch, FILE_HEADERS_ONLY } from 'diff';

/** `--- a/<file>` / `+++ b/<file>` and the hunks, three lines of context; '' when nothing changes. */
export function unifiedDiff(file: string, before: string, after: string, context = 3): string {
  if (before === after) return '';
  const name = file.replace(/\\/g, '/');
  return createTwoFilesPatch(`a/${name}`, `b/${name}`, before, after, undefined, undefined, { context, headerOptions: FILE_HEADERS_ONLY });
}
