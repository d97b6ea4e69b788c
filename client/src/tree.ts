/**
 * The "Security contexts" view: files → workloads → containers, as the server streams them
 * (`secctx/tree/files`), with each container's summary and an icon for its worst verdict. Filters
 * keep only containers with a given verdict. Nothing here analyses: it draws what the server sent.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { VERDICTS, filterDescription, filterOf, uniqueIds, visibleContainers, visibleFiles, visibleWorkloads, type TreeContainer, type TreeFile, type TreeWorkload, type Verdict, type VerdictFilter } from './treeFilter';

type Node =
  | { readonly type: 'file'; readonly id: string; readonly uri: string; readonly file: TreeFile }
  | { readonly type: 'workload'; readonly id: string; readonly uri: string; readonly workload: TreeWorkload }
  | { readonly type: 'container'; readonly id: string; readonly uri: string; readonly container: TreeContainer };

const icon = (v: Verdict): vscode.ThemeIcon => {
  const d = VERDICTS.find((x) => x.verdict === v)!;
  return new vscode.ThemeIcon(d.icon, d.color ? new vscode.ThemeColor(d.color) : undefined);
};

export class SecurityContextsView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly files = new Map<string, TreeFile>();
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly view: vscode.TreeView<Node>;
  private filter: VerdictFilter;
  private timer: NodeJS.Timeout | undefined;
  private scanned = false;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly client: LanguageClient) {
    this.view = vscode.window.createTreeView('secctx.securityContexts', { treeDataProvider: this, showCollapseAll: true });
    this.subscriptions.push(
      this.view,
      this.changed,
      client.onNotification('secctx/tree/files', (params: { files: { uri: string; file: TreeFile | null }[] }) => {
        for (const { uri, file } of params.files) {
          if (file) this.files.set(uri, file);
          else this.files.delete(uri);
        }
        this.refreshSoon();
      }),
      this.view.onDidChangeVisibility((e) => { if (e.visible && !this.scanned) void this.scan(); }),
      vscode.commands.registerCommand('secctx.securityContexts.refresh', () => this.scan()),
      vscode.commands.registerCommand('secctx.securityContexts.filter', () => this.pickFilter()),
      // Not in the palette: the extension-host tests read the drawn tree through it.
      vscode.commands.registerCommand('secctx.securityContexts.snapshot', () => this.snapshot()),
      vscode.commands.registerCommand('secctx.securityContexts.open', (uri: string, line: number) => {
        const at = new vscode.Position(Math.max(0, line - 1), 0);
        return vscode.window.showTextDocument(vscode.Uri.parse(uri), { selection: new vscode.Range(at, at), preview: true });
      }),
    );
    if (this.view.visible) void this.scan();
  }

  /** Asks the server to walk the workspace; entries arrive as notifications while it does. */
  async scan(): Promise<void> {
    this.scanned = true;
    await vscode.window.withProgress({ location: { viewId: 'secctx.securityContexts' } }, () => this.client.sendRequest('secctx/tree/scan'));
  }

  private refreshSoon(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => { this.timer = undefined; this.changed.fire(undefined); }, 100);
  }

  private async pickFilter(): Promise<void> {
    const picks = VERDICTS.map((v) => ({ label: `$(${v.icon}) ${v.label}`, verdict: v.verdict, picked: !this.filter || this.filter.has(v.verdict) }));
    const chosen = await vscode.window.showQuickPick(picks, { canPickMany: true, placeHolder: 'Show containers that…' });
    if (!chosen) return;
    this.filter = filterOf(chosen.map((c) => c.verdict));
    this.view.description = filterDescription(this.filter);
    this.changed.fire(undefined);
  }

  getChildren(node?: Node): Node[] {
    if (!node) return visibleFiles(this.filter, this.files).map(([uri, file]) => ({ type: 'file', id: uri, uri, file }));
    if (node.type === 'file') {
      const workloads = visibleWorkloads(this.filter, node.file);
      const ids = uniqueIds(node.id, workloads.map((w) => `${w.line}:${w.label}`));
      return workloads.map((workload, i) => ({ type: 'workload', id: ids[i]!, uri: node.uri, workload }));
    }
    if (node.type === 'workload') {
      const containers = visibleContainers(this.filter, node.workload);
      const ids = uniqueIds(node.id, containers.map((c) => `${c.line}:${c.kind}:${c.name}`));
      return containers.map((container, i) => ({ type: 'container', id: ids[i]!, uri: node.uri, container }));
    }
    return [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.type === 'file') {
      const uri = vscode.Uri.parse(node.uri);
      const item = new vscode.TreeItem(path.basename(uri.fsPath), vscode.TreeItemCollapsibleState.Expanded);
      item.id = node.id;
      item.resourceUri = uri;
      item.description = vscode.workspace.asRelativePath(path.dirname(uri.fsPath));
      item.iconPath = icon(node.file.verdict);
      item.tooltip = `${node.file.errors} errors, ${node.file.warnings} warnings`;
      item.contextValue = 'file';
      return item;
    }
    if (node.type === 'workload') {
      const item = new vscode.TreeItem(node.workload.label, vscode.TreeItemCollapsibleState.Expanded);
      item.id = node.id;
      item.iconPath = icon(node.workload.verdict);
      item.command = { title: 'Open', command: 'secctx.securityContexts.open', arguments: [node.uri, node.workload.line] };
      return item;
    }
    const c = node.container;
    const item = new vscode.TreeItem(c.name, vscode.TreeItemCollapsibleState.None);
    item.id = node.id;
    item.description = c.summary;
    item.tooltip = `${c.name} (${c.kind}): ${VERDICTS.find((v) => v.verdict === c.verdict)!.label}\n${c.summary}`;
    item.iconPath = icon(c.verdict);
    item.command = { title: 'Open', command: 'secctx.securityContexts.open', arguments: [node.uri, c.line] };
    item.contextValue = 'container';
    return item;
  }

  /** For tests: the rendered tree as text lines. */
  snapshot(): string[] {
    const out: string[] = [];
    const walk = (node: Node | undefined, depth: number) => {
      for (const child of this.getChildren(node)) {
        const item = this.getTreeItem(child);
        out.push(`${'  '.repeat(depth)}${String(item.label)}${item.description ? ` — ${String(item.description)}` : ''}`);
        walk(child, depth + 1);
      }
    };
    walk(undefined, 0);
    return out;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const s of this.subscriptions) s.dispose();
  }
}
