/**
 * The "Security contexts" tree, fed by the server: `secctx/tree/scan` walks the workspace off the typing
 * path and streams one `secctx/tree/files` notification per batch of analysed files; open documents send
 * their entry again after each analysis. A newer scan stops an older one. The client only draws.
 */
import type { Connection } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import { Analyzer, type FileAnalysis } from '../engine/analyze';
import type { AnalysisOptions } from '../engine/options';
import { treeFile, type TreeFile } from '../engine/present/tree';
import { workspaceFiles } from '../host/workspaceFiles';

export const TREE_SCAN_REQUEST = 'secctx/tree/scan';
export const TREE_FILES_NOTIFICATION = 'secctx/tree/files';

/** One file's entry; `file` null when it has no containers (any more). */
export interface TreeFileMessage {
  readonly uri: string;
  readonly file: TreeFile | null;
}

export interface TreeHost {
  roots(): readonly string[];
  optionsFor(file: string): AnalysisOptions;
  maxFileSize(): number;
  /** Open documents are reported from their editor text, not from disk. */
  isOpen(uri: string): boolean;
  /** Whether a document belongs to the view: inside a workspace folder. */
  inWorkspace(uri: string): boolean;
  /** The open documents, analysed: a scan reports them first. */
  openDocuments(): readonly { readonly uri: string; readonly analysis: FileAnalysis; readonly text: string }[];
}

const BATCH = 50;
/**
 * An open document's entry follows its analyses at most this often, made from the latest: a file of a thousand
 * workloads is a big entry, and making and sending it on every keystroke cost the typing path more than its
 * diagnostics did.
 */
export const OPEN_ENTRY_INTERVAL_MS = 200;

export class SecurityTree {
  private generation = 0;
  private active = false;
  /** Open documents whose entry is due, with their latest analysis. */
  private readonly due = new Map<string, { analysis: FileAnalysis; text: string }>();

  constructor(private readonly connection: Connection, private readonly host: TreeHost) {
    connection.onRequest(TREE_SCAN_REQUEST, () => this.scan());
  }

  /** An open document was analysed: its entry, when the tree has been asked for (within OPEN_ENTRY_INTERVAL_MS). */
  documentAnalysed(uri: string, analysis: FileAnalysis, text: string): void {
    if (!this.active || !this.host.inWorkspace(uri)) return;
    const pending = this.due.has(uri);
    this.due.set(uri, { analysis, text });
    if (pending) return;
    setTimeout(() => {
      const latest = this.due.get(uri);
      this.due.delete(uri);
      if (!latest) return;
      try {
        void this.connection.sendNotification(TREE_FILES_NOTIFICATION, { files: [{ uri, file: treeFile(latest.analysis, latest.text) ?? null }] });
      } catch {
        // The tree is a view: an entry that cannot be made leaves the last one (diagnostics report the failure).
      }
    }, OPEN_ENTRY_INTERVAL_MS);
  }

  /** An open document was closed: an entry still due is not sent (it keeps the last one; a scan reads it from disk). */
  documentClosed(uri: string): void {
    this.due.delete(uri);
  }

  async scan(): Promise<{ files: number; withContainers: number }> {
    this.active = true;
    const generation = ++this.generation;
    const cancelled = () => generation !== this.generation;
    // A scan's own analyzer: its per-document caches go with it.
    const analyzer = new Analyzer();
    let files = 0;
    let withContainers = 0;
    let batch: TreeFileMessage[] = this.host.openDocuments().filter(({ uri }) => this.host.inWorkspace(uri)).map(({ uri, analysis, text }) => ({ uri, file: treeFile(analysis, text) ?? null }));
    const flush = async () => {
      if (batch.length) void this.connection.sendNotification(TREE_FILES_NOTIFICATION, { files: batch });
      batch = [];
      await new Promise((resolve) => setImmediate(resolve));
    };
    for await (const { path, text } of workspaceFiles(this.host.roots(), { maxFileSize: this.host.maxFileSize(), cancelled })) {
      const uri = URI.file(path).toString();
      if (this.host.isOpen(uri)) continue;
      files++;
      let file: TreeFile | undefined;
      try {
        file = treeFile(analyzer.analyze(path, text, this.host.optionsFor(path), this.host.maxFileSize()), text);
      } catch {
        file = undefined;
      }
      if (file) {
        withContainers++;
        batch.push({ uri, file });
      }
      if (batch.length >= BATCH || files % BATCH === 0) await flush();
      if (cancelled()) break;
    }
    await flush();
    return { files, withContainers };
  }
}
