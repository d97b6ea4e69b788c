/**
 * The report panel: one webview, reused, beside the editor. It shows the page the server renders for
 * the active editor's document (`secctx/reportHtml`) and follows the active editor and its diagnostics.
 * Its links open a line; "Copy as Markdown" copies the server's Markdown of the same report. The page is
 * the server's; this file only shows it and answers its two messages.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

const LANGUAGES = new Set(['yaml', 'dockerfile', 'dockercompose', 'shellscript', 'makefile', 'markdown', 'json']);

type PanelMessage = { type: 'open'; path: string; line: number } | { type: 'copyMarkdown' };

export class ReportPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private uri: string | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly client: LanguageClient) {
    this.subscriptions.push(
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (this.panel && editor && LANGUAGES.has(editor.document.languageId)) void this.show(editor.document.uri.toString(), false);
      }),
      // The server re-publishes diagnostics after each analysis: the report is current when they are.
      vscode.languages.onDidChangeDiagnostics((event) => {
        if (this.panel && this.uri && event.uris.some((u) => u.toString() === this.uri)) void this.render();
      }),
    );
  }

  /** Shows the report of `uri` (the active editor's document), opening the panel beside it or reusing it. */
  async show(uri: string, reveal = true): Promise<void> {
    this.uri = uri;
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel('secctx.report', 'secctx report', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
        enableScripts: true,
        localResourceRoots: [],
      });
      this.panel.onDidDispose(() => { this.panel = undefined; }, undefined, this.subscriptions);
      this.panel.webview.onDidReceiveMessage((message: PanelMessage) => this.answer(message), undefined, this.subscriptions);
    } else if (reveal) this.panel.reveal(undefined, true);
    await this.render();
  }

  private async render(): Promise<void> {
    const uri = this.uri;
    if (!this.panel || !uri) return;
    const html = await this.client.sendRequest<string>('secctx/reportHtml', { uri });
    if (!this.panel || uri !== this.uri) return;
    this.panel.title = `secctx: ${path.basename(vscode.Uri.parse(uri).path)}`;
    this.panel.webview.html = html;
  }

  private async answer(message: PanelMessage): Promise<void> {
    if (message.type === 'open') {
      const at = new vscode.Position(Math.max(0, message.line - 1), 0);
      await vscode.window.showTextDocument(vscode.Uri.file(message.path), { viewColumn: vscode.ViewColumn.One, selection: new vscode.Range(at, at) });
    } else if (message.type === 'copyMarkdown' && this.uri) {
      await vscode.env.clipboard.writeText(await this.client.sendRequest<string>('secctx/report', { uri: this.uri }));
      void vscode.window.showInformationMessage('secctx: report copied as Markdown.');
    }
  }

  dispose(): void {
    this.panel?.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
