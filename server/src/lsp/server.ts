/**
 * The language server: documents in, diagnostics/hovers/actions out. Every feature delegates to the
 * engine; this file only keeps documents, settings and the analysis cache, and schedules work.
 */
import * as path from 'node:path';
import { CodeActionKind, TextDocuments, TextDocumentSyncKind, type Connection, type InitializeParams, type InitializeResult } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { Analyzer, type FileAnalysis } from '../engine/analyze';
import { DEFAULT_OPTIONS, type AnalysisOptions } from '../engine/options';
import { podTable } from '../engine/present/markdown';
import { RULES } from '../engine/rules/index';
import { ruleDocsUrl } from '../engine/rules/rule';
import { findConfigFile, loadConfig, mergeOptions, type LoadedConfig } from '../host/config';
import { quickFixes } from './codeActions';
import { completion } from './completion';
import { toDiagnostic } from './diagnostics';
import { hover } from './hover';
import { inlayHints } from './inlayHints';
import { readSettings, type EditorSettings } from './settings';

export const REPORT_REQUEST = 'secctx/report';

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const analyzer = new Analyzer();
  const analyses = new Map<string, { version: number; analysis: FileAnalysis }>();
  const pending = new Map<string, NodeJS.Immediate>();
  let settings: EditorSettings = readSettings({});
  let hasConfigurationCapability = false;
  let trusted = true;
  let workspaceRoots: string[] = [];
  const configs = new Map<string, LoadedConfig | undefined>();
  const optionsCache = new Map<string, AnalysisOptions>();

  const log = (message: string) => connection.console.log(`[secctx] ${message}`);

  function configFor(file: string): LoadedConfig | undefined {
    const dir = path.dirname(file);
    if (!configs.has(dir)) {
      const root = workspaceRoots.find((r) => !path.relative(r, dir).startsWith('..'));
      const found = findConfigFile(dir, root);
      configs.set(dir, found ? loadConfig(found) : undefined);
    }
    return configs.get(dir);
  }

  /** One options object per config file, so per-document caches stay valid until settings change. */
  function optionsFor(file: string): AnalysisOptions {
    const config = configFor(file);
    const key = config?.file ?? '';
    let options = optionsCache.get(key);
    if (!options) {
      options = mergeOptions(DEFAULT_OPTIONS, config?.config, settings.explicit);
      optionsCache.set(key, options);
    }
    return options;
  }

  function filePath(uri: string): string {
    return uri.startsWith('file:') ? URI.parse(uri).fsPath : uri;
  }

  function analysisOf(doc: TextDocument): FileAnalysis {
    const hit = analyses.get(doc.uri);
    if (hit && hit.version === doc.version) return hit.analysis;
    const analysis = analyzer.analyze(filePath(doc.uri), doc.getText(), optionsFor(filePath(doc.uri)), settings.maxFileSize);
    analyses.set(doc.uri, { version: doc.version, analysis });
    return analysis;
  }

  function validate(doc: TextDocument): void {
    try {
      const analysis = analysisOf(doc);
      const diagnostics = analysis.findings.map((f) => toDiagnostic(doc, f));
      void connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics });
    } catch (err) {
      log(`analysis of ${doc.uri} failed: ${(err as Error).stack ?? err}`);
    }
  }

  /** Coalesces bursts of changes: analyses once per turn of the event loop, no fixed debounce. */
  function schedule(doc: TextDocument): void {
    const previous = pending.get(doc.uri);
    if (previous) clearImmediate(previous);
    pending.set(doc.uri, setImmediate(() => {
      pending.delete(doc.uri);
      const current = documents.get(doc.uri);
      if (current) validate(current);
    }));
  }

  function revalidateAll(): void {
    optionsCache.clear();
    analyses.clear();
    for (const doc of documents.all()) schedule(doc);
  }

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    hasConfigurationCapability = !!params.capabilities.workspace?.configuration;
    const init = params.initializationOptions as { trusted?: boolean; settings?: unknown } | undefined;
    trusted = init?.trusted !== false;
    if (init?.settings) settings = readSettings(init.settings);
    workspaceRoots = (params.workspaceFolders ?? []).map((f) => filePath(f.uri));
    if (!workspaceRoots.length && params.rootUri) workspaceRoots = [filePath(params.rootUri)];
    void trusted;
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        completionProvider: { triggerCharacters: ['[', ' ', ',', '-'] },
        inlayHintProvider: { resolveProvider: false },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      },
      serverInfo: { name: 'secctx-language-server', version: '0.1.0' },
    };
  });

  connection.onInitialized(async () => {
    if (hasConfigurationCapability) {
      settings = readSettings(await connection.workspace.getConfiguration('secctx'));
      revalidateAll();
    }
  });

  connection.onDidChangeConfiguration(async (change) => {
    const raw = hasConfigurationCapability ? await connection.workspace.getConfiguration('secctx') : (change.settings as { secctx?: unknown } | undefined)?.secctx;
    settings = readSettings(raw);
    revalidateAll();
  });

  documents.onDidOpen((e) => schedule(e.document));
  documents.onDidChangeContent((e) => schedule(e.document));
  documents.onDidClose((e) => {
    analyses.delete(e.document.uri);
    analyzer.forget(filePath(e.document.uri));
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });
  documents.onDidSave((e) => {
    if (/\.secctx\.ya?ml$/.test(e.document.uri)) { configs.clear(); revalidateAll(); }
  });

  connection.onHover((params, token) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc || token.isCancellationRequested) return null;
    return hover(doc, analysisOf(doc), params);
  });

  connection.onCompletion((params, token) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc || token.isCancellationRequested) return [];
    return completion(doc, params, optionsFor(filePath(doc.uri)).runtime);
  });

  connection.languages.inlayHint.on((params, token) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc || !settings.inlayHints || token.isCancellationRequested) return [];
    return inlayHints(doc, analysisOf(doc), params.range);
  });

  connection.onCodeAction((params, token) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc || token.isCancellationRequested) return [];
    return quickFixes(doc, analysisOf(doc), params, (uri) => documents.get(uri));
  });

  connection.onRequest(REPORT_REQUEST, (params: { uri?: string }) => {
    const docs = params.uri ? [documents.get(params.uri)].filter((d): d is TextDocument => !!d) : documents.all();
    const parts: string[] = ['# Effective security context', ''];
    for (const doc of docs) {
      const analysis = analysisOf(doc);
      if (!analysis.contexts.length) continue;
      parts.push(`## ${path.basename(filePath(doc.uri))}`, '');
      const byWorkload = new Map<string, typeof analysis.contexts[number][]>();
      for (const c of analysis.contexts) byWorkload.set(c.workload, [...(byWorkload.get(c.workload) ?? []), c]);
      for (const [workload, contexts] of byWorkload) parts.push(`### ${workload}`, '', podTable(contexts), '');
    }
    return parts.length > 2 ? parts.join('\n') : '# Effective security context\n\nNo containers in the open files.';
  });

  connection.onRequest('secctx/rules', () => RULES.map((r) => ({ id: r.meta.id, title: r.meta.title, url: ruleDocsUrl(r.meta.id) })));

  documents.listen(connection);
  connection.listen();
}
