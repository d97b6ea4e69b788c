/** The language status item: the profile, runtime and config file in force for the active document, as the server computed them (secctx/status). */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

interface StatusResponse {
  readonly text: string;
  readonly detail: string;
  readonly configUri?: string;
}

export function registerLanguageStatus(client: LanguageClient, selector: vscode.DocumentSelector): vscode.Disposable {
  const item = vscode.languages.createLanguageStatusItem('secctx.status', selector);
  item.name = 'secctx';
  item.text = 'secctx';
  const refresh = async (): Promise<void> => {
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc || !vscode.languages.match(selector, doc)) return;
    const status = await client.sendRequest<StatusResponse>('secctx/status', { uri: doc.uri.toString() }).catch(() => undefined);
    if (!status) return;
    item.text = `secctx: ${status.text}`;
    item.detail = status.detail;
    item.command = status.configUri ? { title: 'Open .secctx.yaml', command: 'vscode.open', arguments: [vscode.Uri.parse(status.configUri)] } : undefined;
  };
  void refresh();
  return vscode.Disposable.from(
    item,
    client.onNotification('secctx/statusChanged', refresh),
    vscode.window.onDidChangeActiveTextEditor(refresh),
    // What the item shows (for the editor tests and other extensions): { text, detail }.
    vscode.commands.registerCommand('secctx.languageStatus', async () => { await refresh(); return { text: item.text, detail: item.detail }; }),
  );
}
