/** The thin VS Code client: starts the secctx language server, forwards settings, adds the palette commands and the inlay hints' reveal command. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { contributedKeys, explicitSettings } from './settings';
import { registerLanguageStatus } from './status';
import { registerWorkspaceCheck } from './workspaceCheck';
import { CloseAction, ErrorAction, LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { ReportPanel } from './report';
import { SecurityContextsView } from './tree';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  let toldRestart = false;
  const output = vscode.window.createOutputChannel('secctx', { log: true });
  const documentSelector = ['yaml', 'dockerfile', 'dockercompose', 'shellscript', 'makefile', 'markdown', 'json'].flatMap((language) => [
    { scheme: 'file', language },
    { scheme: 'untitled', language },
  ]);
  const settingKeys = contributedKeys(context.extension.packageJSON, 'secctx');
  const clientOptions: LanguageClientOptions = {
    documentSelector,
    middleware: {
      workspace: {
        // Only settings the user set, per folder (scopeUri): defaults must not override .secctx.yaml.
        configuration: (params, token, next) =>
          params.items.every((item) => item.section === 'secctx')
            ? params.items.map((item) => explicitSettings('secctx', item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined, settingKeys))
            : next(params, token),
      },
    },
    synchronize: { configurationSection: 'secctx', fileEvents: vscode.workspace.createFileSystemWatcher('**/{Dockerfile,Dockerfile.*,*.Dockerfile,Containerfile,*.y*ml,.secctx.y*ml,*.json,*.tpl,Kustomization}') },
    initializationOptions: { trusted: vscode.workspace.isTrusted, revealCommand: 'secctx.revealSource', editedFilesCommand: 'secctx.showEditedFiles', reportCommand: 'secctx.showEffectiveContext', imageCacheDir: context.globalStorageUri.fsPath },
    // Hovers may link to the report panel; no other command runs from a hover.
    markdown: { isTrusted: { enabledCommands: ['secctx.showEffectiveContext'] } },
    outputChannel: output,
    errorHandler: {
      error: () => ({ action: ErrorAction.Continue }),
      closed: () => {
        if (!toldRestart) {
          toldRestart = true;
          void vscode.window.showWarningMessage('The secctx language server stopped unexpectedly and was restarted. Details are in the secctx output channel.');
        }
        return { action: CloseAction.Restart };
      },
    },
  };
  client = new LanguageClient('secctx', 'secctx', serverOptions, clientOptions);
  const report = new ReportPanel(client);
  context.subscriptions.push(report, new SecurityContextsView(client));

  context.subscriptions.push(
    // The report panel of the active editor's document; the command also returns the report as Markdown.
    vscode.commands.registerCommand('secctx.showEffectiveContext', async () => {
      const uri = vscode.window.activeTextEditor?.document.uri.toString();
      if (!uri || !client) return undefined;
      await report.show(uri);
      return client.sendRequest<string>('secctx/report', { uri });
    }),
    vscode.commands.registerCommand('secctx.openRuleDocumentation', async (id?: string) => {
      const rules = (await client?.sendRequest<{ id: string; title: string; url: string }[]>('secctx/rules')) ?? [];
      const rule = id ? rules.find((r) => r.id === id) : (await vscode.window.showQuickPick(rules.map((r) => ({ label: r.id, description: r.title, rule: r })), { placeHolder: 'secctx rule' }))?.rule;
      if (!rule) return;
      // The page shipped in the extension (docs/rules/<id>.md), in VS Code's Markdown preview: offline, no prompt.
      const page = vscode.Uri.joinPath(context.extensionUri, 'docs', 'rules', `${rule.id}.md`);
      try {
        await vscode.workspace.fs.stat(page);
        await vscode.commands.executeCommand('markdown.showPreview', page);
      } catch {
        await vscode.env.openExternal(vscode.Uri.parse(rule.url));
      }
    }),
    vscode.commands.registerCommand('secctx.hardenToRestricted', async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor || !client) return;
      const result = await client.sendRequest<{ edit: unknown; applied: string[]; unfixed: string[] }>('secctx/harden', { uri: editor.document.uri.toString() });
      const edit = await client.protocol2CodeConverter.asWorkspaceEdit(result.edit as never);
      if (edit) await vscode.workspace.applyEdit(edit);
      const summary = `secctx: applied ${result.applied.length} fix${result.applied.length === 1 ? '' : 'es'}.`;
      if (result.unfixed.length) {
        output.appendLine(`Harden to restricted — left for you to decide:\n${result.unfixed.map((u) => `  - ${u}`).join('\n')}`);
        output.show(true);
        void vscode.window.showWarningMessage(`${summary} ${result.unfixed.length} problem${result.unfixed.length === 1 ? ' remains' : 's remain'} that it could not fix: see the secctx output.`);
      } else void vscode.window.showInformationMessage(`${summary} The file now passes the restricted profile.`);
    }),
    // Ctrl+click on a part of an inlay hint: select the field that decided that value.
    vscode.commands.registerCommand('secctx.revealSource', async (uri: string, range: unknown) => {
      if (!client) return;
      const selection = client.protocol2CodeConverter.asRange(range as never);
      await vscode.window.showTextDocument(vscode.Uri.parse(uri), { selection });
    }),
    // After a quick fix that also edited another file (a Dockerfile's USER): with auto save on, save it as the
    // user's own edits would be; with it off, open it beside the tab so the unsaved change is seen, not left behind.
    vscode.commands.registerCommand('secctx.showEditedFiles', async (uris: unknown) => {
      for (const uri of Array.isArray(uris) ? uris.filter((u): u is string => typeof u === 'string') : []) {
        const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
        if (vscode.workspace.getConfiguration('files', document.uri).get<string>('autoSave', 'off') !== 'off') await document.save();
        else await vscode.window.showTextDocument(document, { preview: false, preserveFocus: true, viewColumn: vscode.ViewColumn.Beside });
      }
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => client?.restart()),
  );
  context.subscriptions.push(registerWorkspaceCheck(() => client));
  await client.start();
  context.subscriptions.push(registerLanguageStatus(client, documentSelector));
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
