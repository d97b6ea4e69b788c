/** Findings' fixes → code actions; plus "Disable … for this line", fix-all and harden source actions. */
import { CodeActionKind, type AnnotatedTextEdit, type ChangeAnnotation, type CodeAction, type CodeActionParams, type TextDocumentEdit, type TextEdit as LspTextEdit, type WorkspaceEdit } from 'vscode-languageserver';
import * as fs from 'node:fs';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import type { FileAnalysis } from '../engine/analyze';
import { fixAll, hardenToRestricted } from '../engine/fixes/apply';
import { disableCommentEdit } from '../engine/suppression';
import type { Fix, TextEdit } from '../engine/types';
import { findingAt, findingOf } from './diagnostics';
import { toRange } from './ranges';

export const FIX_ALL_KIND = 'source.fixAll.secctx';
export const HARDEN_KIND = 'source.secctx.hardenToRestricted';

/**
 * The LSP edit for a fix. Edits of the open document alone are plain `changes`; a fix that also edits another
 * file (a Dockerfile's USER from a manifest's quick fix) is `documentChanges` with a change annotation per other
 * file ("Edits Dockerfile"), so the editor shows which files change (the refactor preview, the undo label) and
 * opens them: a file that is not open is written version-less (`version: null`), an open one at its version.
 */
export function workspaceEdit(doc: TextDocument, edits: readonly TextEdit[], openDocument: (uri: string) => TextDocument | undefined): WorkspaceEdit {
  const changes: Record<string, LspTextEdit[]> = {};
  const others = new Map<string, { file: string; version: number | null; edits: LspTextEdit[] }>();
  for (const e of edits) {
    if (!e.file) {
      (changes[doc.uri] ??= []).push({ range: toRange(doc, e), newText: e.newText });
      continue;
    }
    const uri = URI.file(e.file).toString();
    const open = uri === doc.uri ? doc : openDocument(uri);
    const target = open ?? readDocument(e.file, uri);
    if (!target) continue;
    if (target === doc) {
      (changes[doc.uri] ??= []).push({ range: toRange(doc, e), newText: e.newText });
      continue;
    }
    const entry = others.get(uri) ?? { file: e.file, version: open ? open.version : null, edits: [] };
    entry.edits.push({ range: toRange(target, e), newText: e.newText });
    others.set(uri, entry);
  }
  if (others.size === 0) return { changes };
  const documentChanges: TextDocumentEdit[] = [];
  const changeAnnotations: Record<string, ChangeAnnotation> = {};
  if (changes[doc.uri]) documentChanges.push({ textDocument: { uri: doc.uri, version: doc.version }, edits: changes[doc.uri] });
  for (const [uri, { file, version, edits: fileEdits }] of others) {
    const id = `secctx.edits:${uri}`;
    changeAnnotations[id] = { label: `Edits ${file.split(/[\\/]/).pop() ?? file}`, description: file, needsConfirmation: false };
    documentChanges.push({ textDocument: { uri, version }, edits: fileEdits.map((e): AnnotatedTextEdit => ({ ...e, annotationId: id })) });
  }
  return { documentChanges, changeAnnotations };
}

/** A file a cross-file fix edits (a Dockerfile) that is not open: read it to turn offsets into positions. */
function readDocument(file: string, uri: string): TextDocument | undefined {
  try {
    return TextDocument.create(uri, 'plaintext', 0, fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Quick fixes for the diagnostics in the request, then "Disable … for this line". With `resolveLater` (the client
 * resolves `edit` through codeAction/resolve) each fix carries only its key (`CodeActionKey`) and no edit: the list is
 * cheap to send on every cursor move, and an edit (positions, a cross-file fix reading the other file) is made only
 * for the fix the user picks.
 */
export function quickFixes(doc: TextDocument, analysis: FileAnalysis, params: CodeActionParams, openDocument: (uri: string) => TextDocument | undefined, resolveLater = false, editedFilesCommand?: string): CodeAction[] {
  const fixes: { action: CodeAction; edits: readonly TextEdit[] }[] = [];
  const disables: CodeAction[] = [];
  const only = params.context.only;
  if (only && !only.some((k) => k === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(k))) return [];
  for (const diagnostic of params.context.diagnostics) {
    const finding = findingOf(doc, analysis, diagnostic);
    if (!finding) continue;
    finding.fixes.forEach((fix: Fix, index) => {
      // The same edit offered for several diagnostics (run-as-root, run-as-user-zero and the kubelet verdict on one
      // runAsUser: 0) is listed once, under the first title, for all of them.
      const twin = fixes.find((a) => sameEdits(a.edits, fix.edits));
      if (twin) {
        twin.action.diagnostics?.push(diagnostic);
        return;
      }
      const key: CodeActionKey = { uri: doc.uri, version: doc.version, rule: finding.rule, span: [finding.span.start, finding.span.end], fix: index };
      fixes.push({
        edits: fix.edits,
        action: {
          title: fix.title + (fix.safety === 'unsafe' ? ' (changes what the workload may do)' : ''),
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          isPreferred: fix.preferred === true,
          ...(resolveLater ? { data: key } : { edit: workspaceEdit(doc, fix.edits, openDocument) }),
          ...afterEditCommand(doc, fix.edits, editedFilesCommand),
        },
      });
    });
    const edit = disableCommentEdit(doc.getText(), finding.span.start, finding.rule, analysis.path);
    if (edit.newText && !disables.some((d) => d.title.endsWith(` ${finding.rule} for this line`))) {
      disables.push({ title: `Disable ${finding.rule} for this line`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: workspaceEdit(doc, [edit], openDocument) });
    }
  }
  return [...fixes.map((f) => f.action), ...disables];
}

/**
 * A fix that edits other files (a Dockerfile's USER from a manifest) runs the client's `editedFilesCommand` after
 * its edit, with those files: the editor then shows or saves them (VS Code: by `files.autoSave`), so that a change
 * in a file the user is not looking at is never left unsaved and unseen in a background buffer.
 */
function afterEditCommand(doc: TextDocument, edits: readonly TextEdit[], command: string | undefined): Pick<CodeAction, 'command'> {
  if (!command) return {};
  const others = [...new Set(edits.filter((e) => e.file).map((e) => URI.file(e.file!).toString()))].filter((uri) => uri !== doc.uri);
  return others.length ? { command: { title: `Show ${others.length === 1 ? 'the other file' : 'the other files'} this fix edited`, command, arguments: [others] } } : {};
}

function sameEdits(a: readonly TextEdit[], b: readonly TextEdit[]): boolean {
  return a.length === b.length && a.every((e, i) => e.start === b[i].start && e.end === b[i].end && e.newText === b[i].newText && e.file === b[i].file);
}

/**
 * What a code action sent without its edit carries, to make the edit on codeAction/resolve: the document and
 * version it was computed for, and the finding (rule and span, in file offsets) and which of its fixes; or the
 * fix-all source action.
 */
export type CodeActionKey =
  | { readonly uri: string; readonly version: number; readonly rule: string; readonly span: readonly [number, number]; readonly fix: number }
  | { readonly uri: string; readonly version: number; readonly fixAll: true };

export function isCodeActionKey(data: unknown): data is CodeActionKey {
  if (!data || typeof data !== 'object') return false;
  const k = data as Record<string, unknown>;
  if (typeof k.uri !== 'string' || typeof k.version !== 'number') return false;
  if (k.fixAll === true) return true;
  return typeof k.rule === 'string' && typeof k.fix === 'number' && Array.isArray(k.span) && k.span.length === 2 && k.span.every((n) => typeof n === 'number');
}

/**
 * The edit of an action listed without one, for the document as it is now; undefined when the document changed
 * since the list (or closed), so that nothing is applied at the wrong place.
 */
export function resolveEdit(key: CodeActionKey, doc: TextDocument | undefined, analysisOf: (doc: TextDocument) => FileAnalysis, openDocument: (uri: string) => TextDocument | undefined, judgeOf?: (doc: TextDocument) => FixJudge | undefined): WorkspaceEdit | undefined {
  if (!doc || doc.version !== key.version) return undefined;
  const analysis = analysisOf(doc);
  if ('fixAll' in key) return fixAllEdit(doc, analysis, judgeOf?.(doc));
  const fix = findingAt(analysis, key.rule, key.span[0], key.span[1])?.fixes[key.fix];
  return fix ? workspaceEdit(doc, fix.edits, openDocument) : undefined;
}

/** How fix-all's passes judge a document's fixed text: a chart's file through its chart, as `check --fix` does. */
export type FixJudge = (path: string, text: string) => FileAnalysis;

function fixAllEdit(doc: TextDocument, analysis: FileAnalysis, judge?: FixJudge): WorkspaceEdit {
  const text = doc.getText();
  const edit = minimalEdit(text, fixAll(analysis.path, text, analysis.options, { unsafe: false, ...(judge ? { analyze: judge } : {}) }).text);
  return workspaceEdit(doc, edit ? [edit] : [], () => undefined);
}

/** The smallest single replacement turning `before` into `after` (common prefix and suffix kept). */
export function minimalEdit(before: string, after: string): TextEdit | undefined {
  if (before === after) return undefined;
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let end = 0;
  while (end < before.length - start && end < after.length - start && before[before.length - 1 - end] === after[after.length - 1 - end]) end++;
  return { start, end: before.length - end, newText: after.slice(start, after.length - end) };
}

function wants(only: readonly string[] | undefined, kind: string): boolean {
  return !!only && only.some((k) => kind === k || kind.startsWith(`${k}.`));
}

/**
 * `source.fixAll.secctx` (safe fixes only, for codeActionsOnSave) and "Harden to restricted". With `resolveLater`,
 * fix-all comes without its edit (it re-analyses the file after each fix), made on codeAction/resolve; harden keeps
 * its edit, since its title counts what it leaves for the user.
 */
export function sourceActions(doc: TextDocument, analysis: FileAnalysis, params: CodeActionParams, resolveLater = false, judge?: () => FixJudge | undefined): CodeAction[] {
  const actions: CodeAction[] = [];
  const text = doc.getText();
  if (wants(params.context.only, FIX_ALL_KIND)) {
    const key: CodeActionKey = { uri: doc.uri, version: doc.version, fixAll: true };
    actions.push({ title: 'Fix all safe secctx problems', kind: FIX_ALL_KIND, ...(resolveLater ? { data: key } : { edit: fixAllEdit(doc, analysis, judge?.()) }) });
  }
  if (wants(params.context.only, HARDEN_KIND) && analysis.kind === 'kubernetes') {
    const result = hardenToRestricted(analysis.path, text, analysis.options);
    const edit = minimalEdit(text, result.text);
    if (edit) actions.push({ title: `secctx: Harden to restricted${result.unfixed.length ? ` (${result.unfixed.length} left for you)` : ''}`, kind: HARDEN_KIND, edit: workspaceEdit(doc, [edit], () => undefined) });
  }
  return actions;
}
