/**
 * codeAction/resolve: quick fixes (and fix-all) are listed with a small key and no edit when the client can resolve
 * an action's `edit` later and keeps its `data` (VS Code does: it resolves the action the user picks, and the ones
 * it applies on save). Other clients get every edit in the list, as before.
 */
import type { ClientCapabilities, CodeAction, Connection } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { FileAnalysis } from '../engine/analyze';
import { isCodeActionKey, resolveEdit, type FixJudge } from './codeActions';

/** The client resolves `edit` on codeAction/resolve and preserves `data` between the list and the resolve. */
export function resolvesEdits(capabilities: ClientCapabilities | undefined): boolean {
  const codeAction = capabilities?.textDocument?.codeAction;
  return codeAction?.dataSupport === true && !!codeAction.resolveSupport?.properties?.includes('edit');
}

export interface ResolveHost {
  document(uri: string): TextDocument | undefined;
  analysisOf(doc: TextDocument): FileAnalysis;
  /** How fix-all judges the document's fixed text (a chart's file through its chart); undefined: alone. */
  fixJudge?(doc: TextDocument): FixJudge | undefined;
}

export function registerCodeActionResolve(connection: Connection, host: ResolveHost, log: (message: string) => void): void {
  connection.onCodeActionResolve((action: CodeAction): CodeAction => {
    if (!isCodeActionKey(action.data)) return action;
    try {
      const edit = resolveEdit(action.data, host.document(action.data.uri), (doc) => host.analysisOf(doc), (uri) => host.document(uri), (doc) => host.fixJudge?.(doc));
      return edit ? { ...action, edit } : action;
    } catch (err) {
      log(`resolving "${action.title}" failed: ${(err as Error).stack ?? err}`);
      return action;
    }
  });
}
