/**
 * The language server: documents in, diagnostics/hovers/actions out. Every feature delegates to the
 * engine; this file only keeps documents, settings and the analysis cache, and schedules work.
 */
import * as path from 'node:path';
import { CodeActionKind, type Diagnostic, FileChangeType, TextDocuments, type WorkspaceEdit, TextDocumentSyncKind, type Connection, type InitializeParams, type InitializeResult } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { Analyzer, type FileAnalysis } from '../engine/analyze';
import { DEFAULT_OPTIONS, type AnalysisOptions } from '../engine/options';
import { RULES } from '../engine/rules/index';
import { ruleDocsUrl } from '../engine/rules/rule';
import { findConfigFile, loadConfig, mergeOptions, type LoadedConfig } from '../host/config';
import { isIndexedFile, WorkspaceIndex } from '../host/workspaceIndex';
import { HelmCharts } from '../host/helm/session';
import { configuredValuesFiles } from '../host/helm/config';
import { FIX_ALL_KIND, HARDEN_KIND, minimalEdit, quickFixes, sourceActions, workspaceEdit, type FixJudge } from './codeActions';
import { hardenToRestricted } from '../engine/fixes/apply';
import { completion } from './completion';
import { configCompletion, configHover, isConfigDocument } from './configFile';
import { DIAGNOSTIC_PROVIDER, diagnosticModeOf, fileDiagnostics, toDiagnostic, type DiagnosticMode } from './diagnostics';
import { DocumentDiagnostics } from './diagnosticCache';
import { AnalysisProgress, ProgressiveAnalyses } from './progressive';
import { registerCodeActionResolve, resolvesEdits } from './codeActionResolve';
import { PullReports } from './pullDiagnostics';
import { hover } from './hover';
import { inlayHints } from './inlayHints';
import { KustomizeFeature } from './kustomize';
import { registerReportRequests } from './report';
import { SecurityTree } from './tree';
import { readSettings, type EditorSettings } from './settings';
import { FolderSettings } from './folderSettings';
import { STATUS_CHANGED_NOTIFICATION, STATUS_REQUEST, statusOf } from './status';
import { CHECK_WORKSPACE_REQUEST, checkWorkspace } from './checkWorkspace';
import { ImageLookups } from './images';
import { ImageAnswerBatch } from './imageAnswers';
import { isIgnored, stricterLookup } from '../engine/config';
import { imageReferences } from '../engine/images/references';
import { SERVER_VERSION } from './usage';
import { definition, references, registerNavigation } from './navigation';

export { REPORT_REQUEST } from './report';

/** Per-folder caches keep at most this many folders (a long session opens files all over a monorepo). */
const MAX_FOLDERS = 256;

function evictOldest<K, V>(cache: Map<K, V>): void {
  while (cache.size >= MAX_FOLDERS) {
    const oldest = cache.keys().next();
    if (oldest.done) return;
    cache.delete(oldest.value);
  }
}

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const analyzer = new Analyzer();
  /** Charts are read in the background; when one is ready its open files are judged through it. */
  const charts = new HelmCharts((root) => chartReady(root));
  const analysisByRoot = new Map<string, unknown>();
  const analyses = new Map<string, { version: number; text: string; analysis: FileAnalysis }>();
  const pending = new Map<string, NodeJS.Immediate>();
  /** Each YAML document's diagnostics, reused while the document is unchanged. */
  const documentDiagnostics = new DocumentDiagnostics();
  /** The client resolves code actions' edits on codeAction/resolve: lists carry keys, not edits. */
  let resolveLater = false;
  let settings: EditorSettings = readSettings({});
  /** Per-folder (`resource` scope) settings, asked with each document's scopeUri when the client can answer. */
  let folderSettings: FolderSettings | undefined;
  /** Pull diagnostics (LSP 3.17) where the client supports them; pushed otherwise. */
  let diagnosticMode: DiagnosticMode = { pull: false, refresh: false };
  /** What each document's last pull answered, to notice when a background result changes it. */
  const pulled = new PullReports();
  let pullRequested = false;
  /** workspace/diagnostic/refresh, once per turn of the event loop. */
  function requestPull(): void {
    if (!diagnosticMode.pull || !diagnosticMode.refresh || pullRequested) return;
    pullRequested = true;
    setImmediate(() => { pullRequested = false; void connection.languages.diagnostics.refresh(); });
  }
  let hasConfigurationCapability = false;
  /** Definition and references are registered for chart files only, where the client lets us (see lsp/navigation.ts). */
  let navigationDynamic = false;
  let trusted = true;
  /** A client command taking (uri, range) that selects a range: inlay hint parts run it on Ctrl+click. */
  let revealCommand: string | undefined;
  let editedFilesCommand: string | undefined;
  /** A client command that opens the report panel: hovers link to it as `command:` URIs (the client trusts only it). */
  let reportCommand: string | undefined;
  let workspaceRoots: string[] = [];
  const configs = new Map<string, LoadedConfig | undefined>();
  const optionsCache = new Map<string, AnalysisOptions>();
  let workspace: WorkspaceIndex | undefined;
  /** Kustomize builds: only in trusted workspaces, since a build runs a binary. */
  let kustomize: KustomizeFeature | undefined;

  const log = (message: string) => connection.console.log(`[secctx] ${message}`);
  /** Image references each open document names, to know whom a lookup's answer concerns. */
  const documentImages = new Map<string, ReadonlySet<string>>();
  let imageCacheDir: string | undefined;
  let inlayHintRefresh = false;
  /** Answers close together are acted on once (./imageAnswers.ts): a file is re-judged once per batch, not per image. */
  const imageAnswers = new ImageAnswerBatch((references) => imagesResolvedNow(references));
  const images = new ImageLookups(connection, log, (references) => imageAnswers.add(references));

  /** The settings in force for a file: its workspace folder's. */
  function settingsFor(file: string): EditorSettings {
    return folderSettings?.get(file, path.isAbsolute(file) ? URI.file(file).toString() : file, settings) ?? settings;
  }

  function configFor(file: string): LoadedConfig | undefined {
    const dir = path.dirname(file);
    if (!configs.has(dir)) {
      evictOldest(configs);
      const root = workspaceRoots.find((r) => !path.relative(r, dir).startsWith('..'));
      const found = findConfigFile(dir, root);
      configs.set(dir, found ? loadConfig(found) : undefined);
    }
    return configs.get(dir);
  }

  /**
   * One options object per directory (config file and image links depend on it), so per-document
   * caches stay valid until settings or the workspace index change.
   */
  function optionsFor(file: string): AnalysisOptions {
    const dir = path.dirname(file);
    let options = optionsCache.get(dir);
    if (!options) {
      const config = trusted ? configFor(file) : undefined;
      options = { ...mergeOptions(DEFAULT_OPTIONS, config?.config, settingsFor(file).explicit), images: workspace?.index.resolver(file), imageFacts: images.lookup };
      evictOldest(optionsCache);
      optionsCache.set(dir, options);
    }
    return options;
  }

  /** The workspace index changed: image users may differ, so every open document is reanalysed. */
  let indexTimer: NodeJS.Timeout | undefined;
  function indexChanged(): void {
    if (indexTimer) clearTimeout(indexTimer);
    indexTimer = setTimeout(() => { indexTimer = undefined; revalidateAll(); }, 50);
  }

  function filePath(uri: string): string {
    return uri.startsWith('file:') ? URI.parse(uri).fsPath : uri;
  }

  function analysisOf(doc: TextDocument): FileAnalysis {
    const hit = analyses.get(doc.uri);
    // Same version and same text: a client that repeats a version number (a reopened document starts at 1
    // again) still gets its new text analysed. getText() returns the stored string: compared by reference first.
    const text = doc.getText();
    if (hit && hit.version === doc.version && hit.text === text) return hit.analysis;
    const file = filePath(doc.uri);
    // A chart's files are judged together (one analysis serves every open file of it), so all take the options of
    // the chart's folder: options per file's folder made the template's analysis and the values file's replace each
    // other, each re-judging the other, for as long as both were open.
    // The root once known (finding it reads the disk, in the background: until then the file is judged alone).
    const root = trusted ? charts.knownRoot(file) : undefined;
    const options = optionsFor(root ? path.join(root, 'Chart.yaml') : file);
    const maxFileSize = settingsFor(file).maxFileSize;
    const chart = trusted && text.length <= maxFileSize ? charts.fileAnalysis(file, text, options, configuredValuesFiles(configFor(file))) : undefined;
    const analysis = chart ?? analyzer.analyze(file, text, options, maxFileSize);
    analyses.set(doc.uri, { version: doc.version, text, analysis });
    if (chart?.helm && analysisByRoot.get(chart.helm.chart.chart.root) !== chart.helm.chart) {
      analysisByRoot.set(chart.helm.chart.chart.root, chart.helm.chart);
      revalidateChart(doc.uri, chart.helm.chart.chart.root);
    }
    return analysis;
  }

  /** Fix-all on a chart's file judges each pass through the chart (as `check --fix` does), the chart's state untouched. */
  function fixJudge(doc: TextDocument): FixJudge | undefined {
    const analysis = analysisOf(doc);
    if (!analysis.helm) return undefined;
    const file = filePath(doc.uri);
    const judge = charts.judgeWith(file, analysis.options, configuredValuesFiles(configFor(file)));
    return judge && ((_path, text) => judge(text));
  }

  /** The document's diagnostics; while a long stream's first analysis runs, those of the documents analysed so far. */
  function diagnosticsOf(doc: TextDocument): Diagnostic[] {
    const analysis = analysisOf(doc);
    const file = filePath(doc.uri);
    const partial = progressive.inProgress(doc.uri, analysis);
    const diagnostics = (kustomize?.affects(file) ? undefined : documentDiagnostics.diagnostics(doc, analysis, partial))
      ?? (partial ? [] : fileDiagnostics(doc, analysis, kustomize ? kustomize.findings(file, doc.getText(), analysis.findings) : analysis.findings));
    for (const p of workspace?.index.configProblems(file) ?? []) {
      diagnostics.push(toDiagnostic(doc, { rule: 'invalid-config', severity: 'error', message: p.message, span: p.span, fixes: [] }));
    }
    return diagnostics;
  }

  /** Pushes the document's diagnostics, or, when the client pulls them (textDocument/diagnostic), asks it to pull if they changed. */
  function publish(doc: TextDocument): void {
    const diagnostics = diagnosticsOf(doc);
    if (!diagnosticMode.pull) void connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics });
    // A background result (kustomize build, index) changed what the client pulled for this very version: ask it to pull again.
    else if (pulled.changedSincePull(doc.uri, doc.version, diagnostics)) requestPull();
  }

  /** A long YAML stream one slice at a time, shown as work-done progress; others (and a stream kustomize builds, judged as a whole) at once. */
  const analysing = new AnalysisProgress(() => connection.window.createWorkDoneProgress());
  const progressive = new ProgressiveAnalyses({
    current: (uri, analysis) => analyses.get(uri)?.analysis === analysis,
    partial: (uri, analysed, total) => {
      const doc = documents.get(uri);
      try {
        if (doc) publish(doc);
      } catch (err) {
        log(`analysis of ${uri} failed: ${(err as Error).stack ?? err}`);
      }
      analysing.report(`secctx: analysing ${path.basename(filePath(uri))}`, uri, analysed, total);
    },
    ended: (uri) => analysing.end(uri),
    done: (uri) => {
      const doc = documents.get(uri);
      if (doc) validate(doc);
    },
  });

  /**
   * Whether every document of the analysis is analysed, after one more slice of a long stream's (whose other documents
   * follow in the background). A stream kustomize builds is judged as a whole, like every other kind of file.
   */
  function analysedEnough(doc: TextDocument, analysis: FileAnalysis): boolean {
    if (analysis.kind !== 'kubernetes' || analysis.helm || kustomize?.affects(filePath(doc.uri))) return true;
    return progressive.advance(doc.uri, analysis, doc.getText().length);
  }

  /** Analyses the document and publishes its diagnostics, then asks about its images and updates the tree. */
  function validate(doc: TextDocument): void {
    try {
      const analysis = analysisOf(doc);
      if (!analysedEnough(doc, analysis)) return;
      publish(doc);
      requestImages(doc.uri, analysis);
      tree.documentAnalysed(doc.uri, analysis, doc.getText());
    } catch (err) {
      log(`analysis of ${doc.uri} failed: ${(err as Error).stack ?? err}`);
    }
  }

  /** Whether a document's file is under a chart's root (roots are `/`-paths). */
  function inChart(uri: string, root: string): boolean {
    return filePath(uri).replace(/\\/g, '/').startsWith(`${root}/`);
  }

  /** A chart file changed: the chart's other open files get their findings again (from the same analysis). */
  function revalidateChart(changed: string, root: string): void {
    for (const other of documents.all()) {
      if (other.uri === changed || !inChart(other.uri, root)) continue;
      const hit = analyses.get(other.uri);
      if (hit?.analysis.helm && hit.analysis.helm.chart !== analysisByRoot.get(root)) { analyses.delete(other.uri); schedule(other); }
    }
  }

  /** A chart's model was read (or a file of it changed on disk): its open files get their chart findings. */
  function chartReady(root: string): void {
    for (const doc of documents.all()) {
      if (!inChart(doc.uri, root)) continue;
      analyses.delete(doc.uri);
      schedule(doc);
    }
    if (inlayHintRefresh) void connection.languages.inlayHint.refresh().catch(() => undefined);
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

  /** New settings: every open document is reanalysed, unless they equal the ones in force (the first pull usually does). */
  function settingsChanged(next: EditorSettings): void {
    if (JSON.stringify(next) === JSON.stringify(settings)) return;
    settings = next;
    kustomize?.configure(settings.kustomizePath);
    revalidateAll();
    configureImages();
  }

  /** Asks, in the background, about the images a document names; never waits for an answer. */
  function requestImages(uri: string, analysis: FileAnalysis): void {
    if (!images.lookup) return;
    const refs = imageReferences(analysis);
    documentImages.set(uri, new Set(refs));
    images.request(refs);
  }

  /** Facts arrived (gathered by ImageAnswerBatch): re-publish the open documents that name those images, and hints everywhere. */
  function imagesResolvedNow(references: readonly string[]): void {
    const resolved = new Set(references);
    if (workspace && workspace.index.baseReferences().some((r) => resolved.has(r))) {
      workspace.index.setImageFacts(images.lookup);
      indexChanged();
    }
    for (const doc of documents.all()) {
      const names = documentImages.get(doc.uri);
      if (!names || ![...names].some((r) => resolved.has(r))) continue;
      analyses.delete(doc.uri);
      // Only the documents naming an answered image are judged again (the others keep their analyses and diagnostics).
      analyzer.forgetImages(filePath(doc.uri), resolved);
      schedule(doc);
    }
    if (inlayHintRefresh) void connection.languages.inlayHint.refresh().catch(() => undefined);
  }

  /** (Re)starts image lookups for the settings in force; documents are reanalysed with the new lookup. */
  function configureImages(): void {
    // A project's .secctx.yaml may restrict lookups further (imageLookup: local keeps private image names off the network).
    const project = trusted && workspaceRoots[0] ? configFor(path.join(workspaceRoots[0], '.secctx.yaml'))?.config : undefined;
    const wanted = {
      ...settings.images,
      lookup: stricterLookup(settings.images.lookup, project?.imageLookup),
      // The project's platform and layer budget, where it names them (the team's target, not one editor's).
      ...(project?.imagePlatform ? { platform: project.imagePlatform } : {}),
      ...(project?.imageLayerBudget ? { layerBudget: project.imageLayerBudget } : {}),
    };
    if (!workspace || !images.configure(wanted, trusted, imageCacheDir)) return;
    documentImages.clear();
    workspace.index.setImageFacts(images.lookup);
    if (images.lookup) images.request(workspace.index.baseReferences());
    revalidateAll();
  }

  function revalidateAll(): void {
    optionsCache.clear();
    analyses.clear();
    void connection.sendNotification(STATUS_CHANGED_NOTIFICATION);
    requestPull();
    for (const doc of documents.all()) schedule(doc);
  }

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    // Every part of the client's capabilities may be missing (`{}` or none at all): nothing is assumed.
    const capabilities = params.capabilities as InitializeParams['capabilities'] | undefined;
    hasConfigurationCapability = !!capabilities?.workspace?.configuration;
    navigationDynamic = !!capabilities?.textDocument?.definition?.dynamicRegistration && !!capabilities?.textDocument?.references?.dynamicRegistration;
    diagnosticMode = diagnosticModeOf(capabilities ?? {});
    resolveLater = resolvesEdits(capabilities);
    if (hasConfigurationCapability) folderSettings = new FolderSettings((scopeUri) => connection.workspace.getConfiguration({ scopeUri, section: 'secctx' }), () => revalidateAll());
    const init = params.initializationOptions as { trusted?: boolean; settings?: unknown; revealCommand?: unknown; reportCommand?: unknown; editedFilesCommand?: unknown; imageCacheDir?: unknown } | undefined;
    trusted = init?.trusted !== false;
    if (typeof init?.imageCacheDir === 'string' && init.imageCacheDir) imageCacheDir = init.imageCacheDir;
    inlayHintRefresh = capabilities?.workspace?.inlayHint?.refreshSupport === true;
    if (typeof init?.revealCommand === 'string') revealCommand = init.revealCommand;
    if (typeof init?.editedFilesCommand === 'string' && /^[\w.-]+$/.test(init.editedFilesCommand)) editedFilesCommand = init.editedFilesCommand;
    if (typeof init?.reportCommand === 'string' && /^[\w.-]+$/.test(init.reportCommand)) reportCommand = init.reportCommand;
    if (init?.settings) settings = readSettings(init.settings);
    workspaceRoots = (params.workspaceFolders ?? []).map((f) => filePath(f.uri));
    if (!workspaceRoots.length && params.rootUri) workspaceRoots = [filePath(params.rootUri)];
    folderSettings?.setRoots(workspaceRoots);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        ...(navigationDynamic ? {} : { definitionProvider: true, referencesProvider: true }),
        completionProvider: { triggerCharacters: ['[', ' ', ',', '-'] },
        inlayHintProvider: { resolveProvider: false },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND, HARDEN_KIND], resolveProvider: true },
        ...(diagnosticMode.pull ? { diagnosticProvider: DIAGNOSTIC_PROVIDER } : {}),
      },
      serverInfo: { name: 'secctx-language-server', version: SERVER_VERSION },
    };
  });

  connection.onInitialized(async () => {
    if (navigationDynamic) registerNavigation(connection, log);
    workspace = new WorkspaceIndex(workspaceRoots, trusted);
    if (trusted) {
      kustomize = new KustomizeFeature({
        roots: workspaceRoots,
        openText: (file) => documents.all().find((d) => filePath(d.uri) === file)?.getText(),
        optionsFor,
        configFor: (dir) => configFor(path.join(dir, 'kustomization.yaml'))?.config.kustomize,
        revalidate: (files) => { for (const d of documents.all()) if (files.has(filePath(d.uri))) schedule(d); },
        log,
      });
      kustomize.configure(settings.kustomizePath);
      kustomize.start();
    }
    void workspace.scan().then((n) => {
      log(`indexed ${n} Dockerfile, Compose, Skaffold and config files`);
      if (n > 0) indexChanged();
      if (images.lookup && workspace) images.request(workspace.index.baseReferences());
    }, (err: unknown) => log(`workspace scan failed: ${String(err)}`));
    if (hasConfigurationCapability) settingsChanged(readSettings(await connection.workspace.getConfiguration('secctx')));
    // Only once the settings are known: an editor that turned lookups off never sees one start.
    configureImages();
  });

  connection.onDidChangeConfiguration(async (change) => {
    const raw = hasConfigurationCapability ? await connection.workspace.getConfiguration('secctx') : (change.settings as { secctx?: unknown } | undefined)?.secctx;
    const next = readSettings(raw);
    folderSettings?.refresh(next);
    settingsChanged(next);
  });

  documents.onDidOpen((e) => schedule(e.document));
  documents.onDidChangeContent((e) => {
    schedule(e.document);
    const file = filePath(e.document.uri);
    kustomize?.touched(file);
    if (workspace && isIndexedFile(file) && workspace.contains(file) && workspace.index.update(file, e.document.getText())) {
      indexChanged();
      // Whether the Dockerfiles a .secctx.yaml names exist: a stat each, off the typing path.
      setImmediate(() => { if (workspace?.checkMissing()) indexChanged(); });
    }
  });
  connection.onDidChangeWatchedFiles((params) => {
    let changed = false;
    for (const change of params.changes) {
      const file = filePath(change.uri);
      if (!documents.get(change.uri)) kustomize?.touched(file);
      if (/\.secctx\.ya?ml$/.test(file)) { configs.clear(); configureImages(); changed = true; }
      if (!documents.get(change.uri)) charts.fileChanged(file, change.type === FileChangeType.Created, change.type === FileChangeType.Deleted);
      if (workspace && !documents.get(change.uri) && workspace.refresh(file)) changed = true;
    }
    if (changed) indexChanged();
  });
  documents.onDidClose((e) => {
    analyses.delete(e.document.uri);
    documentDiagnostics.forget(e.document.uri);
    // Its unsaved text may be in the image index (a Dockerfile's USER deciding other files' verdicts): back to disk.
    const closed = filePath(e.document.uri);
    if (workspace && isIndexedFile(closed) && workspace.contains(closed) && workspace.refresh(closed)) indexChanged();
    tree.documentClosed(e.document.uri);
    analyzer.forget(filePath(e.document.uri));
    charts.closed(filePath(e.document.uri));
    pulled.forget(e.document.uri);
    if (!diagnosticMode.pull) void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  connection.languages.diagnostics.on((params, token) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc || token.isCancellationRequested) return { kind: 'full', items: [] };
    try {
      // A pull that comes before the document's first analysis ran (clients pull right after didOpen) starts it.
      analysedEnough(doc, analysisOf(doc));
      return pulled.report(doc.uri, doc.version, diagnosticsOf(doc), params.previousResultId);
    } catch (err) {
      log(`analysis of ${doc.uri} failed: ${(err as Error).stack ?? err}`);
      return { kind: 'full', items: [] };
    }
  });
  documents.onDidSave((e) => {
    if (/\.secctx\.ya?ml$/.test(e.document.uri)) { configs.clear(); configureImages(); indexChanged(); }
  });

  connection.onHover((params, token) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc || token.isCancellationRequested) return null;
    if (isConfigDocument(doc.uri)) return configHover(doc, params);
    const base = hover(doc, analysisOf(doc), params);
    return kustomize ? kustomize.hover(filePath(doc.uri), doc.getText(), doc.offsetAt(params.position), base) : base;
  });

  connection.onDefinition((params, token) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc || token.isCancellationRequested || isConfigDocument(doc.uri)) return [];
    return definition(analysisOf(doc), doc.offsetAt(params.position));
  });

  connection.onReferences((params, token) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc || token.isCancellationRequested || isConfigDocument(doc.uri)) return [];
    return references(analysisOf(doc), doc.offsetAt(params.position));
  });

  connection.onCompletion((params, token) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc || token.isCancellationRequested) return [];
    if (isConfigDocument(doc.uri)) return configCompletion(doc, params);
    return completion(doc, params, optionsFor(filePath(doc.uri)).runtime, analysisOf(doc));
  });

  connection.languages.inlayHint.on((params, token) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc || !settingsFor(filePath(doc.uri)).inlayHints || token.isCancellationRequested) return [];
    return inlayHints(doc, analysisOf(doc), params.range, revealCommand);
  });

  connection.onCodeAction((params, token) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc || token.isCancellationRequested) return [];
    const analysis = analysisOf(doc);
    return [...quickFixes(doc, analysis, params, (uri) => documents.get(uri), resolveLater, editedFilesCommand), ...sourceActions(doc, analysis, params, resolveLater, () => fixJudge(doc))];
  });
  registerCodeActionResolve(connection, { document: (uri) => documents.get(uri), analysisOf, fixJudge }, log);

  /** "secctx: Harden to restricted": the edit, and what it could not fix for a person to decide. */
  connection.onRequest('secctx/harden', (params: { uri: string }): { edit: WorkspaceEdit; applied: string[]; unfixed: string[] } => {
    const doc = documents.get(params.uri);
    if (!doc) return { edit: { changes: {} }, applied: [], unfixed: [] };
    const analysis = analysisOf(doc);
    const result = hardenToRestricted(analysis.path, doc.getText(), analysis.options);
    const edit = minimalEdit(doc.getText(), result.text);
    return {
      edit: workspaceEdit(doc, edit ? [edit] : [], () => undefined),
      applied: result.applied.map((a) => a.title),
      unfixed: [
        ...result.unfixed.map((u) => `${u.workload}: ${u.message}`),
        ...result.remaining.map((f) => `line ${lineNumberAt(result.text, f.span.start)}: ${f.message} (${f.rule})`),
      ],
    };
  });

  registerReportRequests(connection, { documents, analysisOf, buildReports: (file) => kustomize?.reportFiles(file) ?? [] });
  const tree = new SecurityTree(connection, {
    roots: () => workspaceRoots,
    optionsFor,
    maxFileSize: () => settings.maxFileSize,
    isOpen: (uri) => !!documents.get(uri),
    // The view is the workspace's: an open file outside its folders is not listed (with no folder, open files are).
    inWorkspace: (uri) => !workspaceRoots.length || !!workspace?.contains(filePath(uri)),
    openDocuments: () => documents.all().map((doc) => ({ uri: doc.uri, analysis: analysisOf(doc), text: doc.getText() })),
  });

  /** "secctx: Check workspace" (the secctx task): every file under the roots, one problem line per finding. */
  connection.onRequest(CHECK_WORKSPACE_REQUEST, (_params: unknown, token) => {
    const fresh = new Analyzer();
    return checkWorkspace({
      roots: workspaceRoots,
      openText: (file) => documents.get(URI.file(file).toString())?.getText(),
      analyze: (file, text) => fresh.analyze(file, text, optionsFor(file), settingsFor(file).maxFileSize),
      maxFileSize: settings.maxFileSize,
      ignored: (file) => {
        const config = trusted ? configFor(file) : undefined;
        return !!config && isIgnored(path.relative(path.dirname(config.file), file), config.config.ignore);
      },
    }, () => token.isCancellationRequested);
  });

  connection.onRequest(STATUS_REQUEST, (params: { uri: string }) => {
    const file = filePath(params.uri);
    const found = configFor(file);
    const folder = folderSettings?.folderOf(file) ?? workspaceRoots.find((r) => !path.relative(r, file).startsWith('..')) ?? path.dirname(file);
    return statusOf({ options: optionsFor(file), explicit: settingsFor(file).explicit, folder, configFile: found?.file, config: found?.config, trusted });
  });

  connection.onRequest('secctx/rules', () => RULES.map((r) => ({ id: r.meta.id, title: r.meta.title, url: ruleDocsUrl(r.meta.id) })));

  connection.onShutdown(() => { imageAnswers.dispose(); images.dispose(); });

  documents.listen(connection);
  connection.listen();
}

/** 1-based line of an offset. */
function lineNumberAt(text: string, offset: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
