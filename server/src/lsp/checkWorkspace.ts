/**
 * `secctx/checkWorkspace`: analyses every file secctx reads under the workspace roots (open documents
 * as edited) and answers one problem line per finding (engine/present/problemLines), for the
 * client's "secctx" task whose `$secctx` problem matcher puts them in the Problems view. Yields to the
 * event loop between files so typing stays responsive.
 */
import { problemLines } from '../engine/present/problemLines';
import type { FileAnalysis } from '../engine/analyze';
import { workspaceFiles } from '../host/workspaceFiles';

export const CHECK_WORKSPACE_REQUEST = 'secctx/checkWorkspace';

export interface CheckWorkspaceResult {
  /** Problem lines, with absolute file paths. */
  readonly lines: readonly string[];
  readonly files: number;
  readonly errors: number;
  readonly warnings: number;
  /** One line: `12 files checked: 3 errors, 1 warning, 0 other findings`. */
  readonly summary: string;
}

export interface CheckWorkspaceHost {
  readonly roots: readonly string[];
  /** Text of an open document (unsaved edits win over the disk). */
  openText(file: string): string | undefined;
  analyze(file: string, text: string): FileAnalysis;
  /** Files the .secctx.yaml in force ignores. */
  ignored(file: string): boolean;
  /** Larger files are not read (the limit of the editor's secctx.maxFileSize). */
  readonly maxFileSize: number;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export async function checkWorkspace(host: CheckWorkspaceHost, isCancelled: () => boolean): Promise<CheckWorkspaceResult> {
  const lines: string[] = [];
  let checked = 0;
  let errors = 0;
  let warnings = 0;
  for await (const { path: file, text: onDisk } of workspaceFiles(host.roots, { maxFileSize: host.maxFileSize, cancelled: isCancelled })) {
    if (isCancelled()) break;
    if (host.ignored(file)) continue;
    const text = host.openText(file) ?? onDisk;
    if (text.includes('\0')) continue;
    const analysis = host.analyze(file, text);
    checked++;
    // Absolute paths: the `$secctx` matcher needs no folder to resolve them against (a workspace-wide task has none).
    lines.push(...problemLines(file, text, analysis.findings));
    errors += analysis.findings.filter((f) => f.severity === 'error').length;
    warnings += analysis.findings.filter((f) => f.severity === 'warning').length;
    await new Promise((resolve) => setImmediate(resolve));
  }
  const summary = `${plural(checked, 'file')} checked: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}, ${plural(lines.length - errors - warnings, 'other finding')}`;
  return { lines, files: checked, errors, warnings, summary };
}
