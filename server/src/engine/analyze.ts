/**
 * The engine's entry point: text in, findings and effective contexts out. Knows nothing of LSP.
 * YAML streams are analysed per document and cached by content, so an edit reanalyses only the
 * document it touches; results are shifted to file offsets on the way out (findings at once, effective
 * contexts when first asked for), and reused while a document keeps its offset.
 */
import type { EffectiveContext } from './effective';
import { analyzeYamlDocument, type YamlDocumentAnalysis } from './kubernetes/analyze';
import type { KubernetesDocument } from './kubernetes/model';
import { DEFAULT_MAX_FILE_SIZE, type AnalysisOptions } from './options';
import type { Finding, Span } from './types';
import { parseDockerfile, type DockerfileModel } from './dockerfile/model';
import { baseFactsLookup } from './images/known';
import { MAX_LINE_LENGTH, type LongLine } from './dockerfile/longLines';
import { runRules } from './rules/run';
import { parseConfig } from './config';
import { parseCompose } from './docker/compose';
import { isDockerRunHost, looksLikeCompose } from './docker/detect';
import type { DockerFileModel } from './docker/model';
import { parseDockerRuns } from './docker/run';
import { isSuppressed, parseSuppressions } from './suppression';
import { splitYamlDocuments } from './yaml/documents';
import type { HelmFileView } from './helm/view';

export type FileKind = 'kubernetes' | 'dockerfile' | 'compose' | 'shell' | 'config' | 'unknown';

export function baseName(path: string): string {
  return path.replace(/\\/g, '/').split('/').pop() ?? path;
}

/** Suffixes that make `Dockerfile.<suffix>` something else: sources and tests about Dockerfiles, docs, BuildKit ignore files. */
const NOT_A_DOCKERFILE = /\.(dockerignore|[cm]?[jt]sx?|json|md|markdown|txt|ya?ml|sh|bash|py|go|rs|java|kt|rb|php|html?|css|snap|lock|log|orig|rej|bak|swp)$/i;

/** `Dockerfile`, `Dockerfile.prod`, `prod.Dockerfile`, `Containerfile`…, not `dockerfile.test.ts` or `Dockerfile.dockerignore`. */
export function isDockerfileName(path: string): boolean {
  const b = baseName(path);
  if (/\.(Dockerfile|Containerfile)$/i.test(b)) return true;
  return /^(Dockerfile|Containerfile)(\..+)?$/i.test(b) && !NOT_A_DOCKERFILE.test(b);
}

export function isComposeFileName(path: string): boolean {
  return /^(docker-)?compose(\.[\w.-]+)?\.ya?ml$/i.test(baseName(path));
}

export function isConfigFileName(path: string): boolean {
  return /^\.secctx\.ya?ml$/.test(baseName(path));
}

export function detectFileKind(path: string, text = ''): FileKind {
  const b = baseName(path);
  if (isConfigFileName(path)) return 'config';
  if (isDockerfileName(path)) return 'dockerfile';
  if (isComposeFileName(path)) return 'compose';
  if (/\.ya?ml$/i.test(b) && looksLikeCompose(text)) return 'compose';
  if (/\.(ya?ml|json)$/i.test(b)) return 'kubernetes';
  if (/\.(sh|bash|md|markdown|mk)$/i.test(b) || /^(GNU)?makefile$/i.test(b) || /^#!.*\b(ba|z|da)?sh\b/.test(text)) return 'shell';
  return 'unknown';
}

export interface DocumentUnit {
  readonly offset: number;
  /**
   * Made when first read: a long stream's documents are analysed as they are needed (the language server reads
   * them a slice at a time, so that opening one does not stall every other request). The same object on every read.
   */
  readonly analysis: YamlDocumentAnalysis;
  /** Whether `analysis` has been made (reading it makes it). */
  readonly analysed: boolean;
  /** The analysis' effective contexts at file offsets (made on first read, then kept while the document keeps its place). */
  readonly placedContexts: readonly EffectiveContext[];
}

export interface FileAnalysis {
  readonly path: string;
  readonly kind: FileKind;
  readonly findings: readonly Finding[];
  readonly contexts: readonly EffectiveContext[];
  /**
   * YAML documents with their offsets (hovers and fixes look up their models). For a YAML stream, `findings` are
   * exactly these documents' findings placed at their offsets, in file order: the language server converts each
   * document's own and reuses them while the document is unchanged.
   */
  readonly documents: readonly DocumentUnit[];
  readonly options: AnalysisOptions;
  /** Set for Dockerfiles. */
  readonly dockerfile?: DockerfileModel;
  /** Set for Compose files and files with `docker run` lines. */
  readonly docker?: DockerFileModel;
  /** Set for a Helm chart's values files and templates (engine/helm). */
  readonly helm?: HelmFileView;
}

export function shiftSpan<T extends Span>(span: T, delta: number): T {
  return delta === 0 ? span : { ...span, start: span.start + delta, end: span.end + delta };
}

export function shiftFinding(f: Finding, delta: number): Finding {
  if (delta === 0) return f;
  return {
    ...f,
    span: shiftSpan(f.span, delta),
    ...(f.containers ? { containers: f.containers.map((s) => shiftSpan(s, delta)) } : {}),
    fixes: f.fixes.map((fix) => ({ ...fix, edits: fix.edits.map((e) => (e.file ? e : shiftSpan(e, delta))) })),
  };
}

const isSpan = (v: unknown): v is Span => !!v && typeof v === 'object' && 'start' in v;

/** Copies only the objects on the way to a span; everything else is shared (contexts are immutable). */
function shiftDeep<T>(value: T, delta: number): T {
  if (!value || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    value.forEach((v: unknown, i) => {
      const shifted = shiftDeep(v, delta);
      if (shifted !== v) (out ??= [...value])[i] = shifted;
    });
    return (out ?? value) as T;
  }
  let out: Record<string, unknown> | undefined;
  const record = value as Record<string, unknown>;
  for (const k in record) {
    const v = record[k];
    const shifted = (k === 'span' || k === 'nameSpan') && isSpan(v) ? shiftSpan(v, delta) : shiftDeep(v, delta);
    if (shifted !== v) (out ??= { ...record })[k] = shifted;
  }
  return (out ?? value) as T;
}

export function shiftContext(c: EffectiveContext, delta: number): EffectiveContext {
  return delta === 0 ? c : shiftDeep(c, delta);
}

/** One YAML document's analysis, made on first read and then kept (the same object for every reader). */
class DocumentCell {
  private made: YamlDocumentAnalysis | undefined;
  constructor(readonly text: string, private make: (() => YamlDocumentAnalysis) | undefined) {}

  get analysed(): boolean {
    return this.made !== undefined;
  }

  get analysis(): YamlDocumentAnalysis {
    if (!this.made) {
      this.made = this.make!();
      this.make = undefined;
    }
    return this.made;
  }
}

/**
 * A document's results at its offset in the file; kept while neither its text nor its offset changes. What callers
 * see of it is a DocumentUnit (a class, so a stream of thousands of documents carries no closures per document).
 */
class PlacedDocument implements DocumentUnit {
  /**
   * Shifted on first use, like contexts: the language server converts each document's own (document-relative)
   * findings and reuses them while the document is unchanged, so an edit that moves every later document need
   * not copy their findings.
   */
  private findings?: readonly Finding[];
  private contexts?: readonly EffectiveContext[];

  constructor(readonly cell: DocumentCell, readonly offset: number) {}

  get analysis(): YamlDocumentAnalysis {
    return this.cell.analysis;
  }

  get analysed(): boolean {
    return this.cell.analysed;
  }

  get placedFindings(): readonly Finding[] {
    const { findings } = this.cell.analysis;
    return (this.findings ??= this.offset === 0 ? findings : findings.map((f) => shiftFinding(f, this.offset)));
  }

  get placedContexts(): readonly EffectiveContext[] {
    return (this.contexts ??= this.cell.analysis.contexts.map((c) => shiftContext(c, this.offset)));
  }
}

/**
 * The document's text as a string of its own. A slice shares its parent's characters in V8, so a cached
 * document (its text, and the yaml nodes and findings sliced from it) would keep the whole file of the
 * version it was analysed in alive: every edit to another document of a 1 MB stream would pin another MB.
 * (A file of one document is its own text: any edit replaces it.)
 */
function detached(text: string): string {
  return (' ' + text).slice(1);
}

/** How many documents keep their parsed model between hovers (the most recently analysed or hovered). */
const RECENT_MODELS = 100;

/**
 * Parsed YAML is ~20 times the size of its text and, once findings and contexts exist, only hovers read
 * it: a document keeps its model while it is among the `RECENT_MODELS` most recently analysed or
 * hovered ones, and otherwise reparses it (one document) on the next hover.
 */
class RecentModels {
  private readonly models = new Map<YamlDocumentAnalysis, KubernetesDocument | undefined>();

  /** The same analysis, its model read through this cache. */
  retain(analysis: YamlDocumentAnalysis, options: AnalysisOptions): YamlDocumentAnalysis {
    if (!analysis.model) return analysis;
    const { model, ...rest } = analysis;
    const lazy: YamlDocumentAnalysis = Object.defineProperty({ ...rest }, 'model', {
      enumerable: true,
      get: (): KubernetesDocument | undefined => this.modelOf(lazy, () => analyzeYamlDocument(rest.text, options).model),
    });
    this.remember(lazy, model);
    return lazy;
  }

  private modelOf(analysis: YamlDocumentAnalysis, rebuild: () => KubernetesDocument | undefined): KubernetesDocument | undefined {
    const model = this.models.has(analysis) ? this.models.get(analysis) : rebuild();
    this.remember(analysis, model);
    return model;
  }

  private remember(analysis: YamlDocumentAnalysis, model: KubernetesDocument | undefined): void {
    this.models.delete(analysis);
    this.models.set(analysis, model);
    if (this.models.size > RECENT_MODELS) this.models.delete(this.models.keys().next().value as YamlDocumentAnalysis);
  }
}

/**
 * The previous call's documents of a file. An edit usually leaves the documents before it at the same
 * index and those after it at the same index from the end, so those are compared first: string equality
 * is a memcmp, while a Map lookup would hash every document's text on every keystroke. Only from the
 * second document found at neither place (documents moved or reordered) is a Map by text built.
 */
class PreviousDocuments {
  private byText: Map<string, PlacedDocument> | undefined;
  private misses = 0;
  constructor(private readonly docs: readonly PlacedDocument[], private readonly count: number) {}

  find(text: string, index: number): PlacedDocument | undefined {
    const fromStart = this.docs[index];
    if (fromStart?.cell.text === text) return fromStart;
    const fromEnd = this.docs[this.docs.length - this.count + index];
    if (fromEnd?.cell.text === text) return fromEnd;
    if (!this.docs.length || this.misses++ === 0) return undefined;
    this.byText ??= new Map(this.docs.map((d) => [d.cell.text, d]));
    return this.byText.get(text);
  }
}

/** Analyses files and keeps per-document results, keyed by document text, for the next call. */
export class Analyzer {
  private readonly cache = new Map<string, { options: AnalysisOptions; docs: readonly PlacedDocument[] }>();
  private readonly recentModels = new RecentModels();
  /** How many YAML documents the last call left to (re)analyse, on first read or now: for tests and benchmarks. */
  lastReanalysed = 0;

  analyze(path: string, text: string, options: AnalysisOptions, maxFileSize = DEFAULT_MAX_FILE_SIZE): FileAnalysis {
    const kind = detectFileKind(path, text.length > maxFileSize ? text.slice(0, 200) : text);
    const empty = { path, kind, contexts: [], documents: [], options };
    if (text.length > maxFileSize) {
      return { ...empty, findings: [{ rule: 'file-too-large', severity: 'info', message: `secctx skipped this file: ${(text.length / 1048576).toFixed(1)} MB is above the ${(maxFileSize / 1048576).toFixed(1)} MB limit (secctx.maxFileSize).`, span: { start: 0, end: 0 }, fixes: [] }] };
    }
    if (kind === 'dockerfile') return analyzeDockerfile(path, text, options);
    if (kind === 'compose') return analyzeDocker(path, text, options, parseCompose(text, options, path));
    if (kind === 'shell') return isDockerRunHost(path, text) ? analyzeDocker(path, text, options, parseDockerRuns(text, path, options)) : { ...empty, findings: [] };
    if (kind === 'config') {
      const findings = parseConfig(text).problems.map((p): Finding => ({ rule: 'invalid-config', severity: 'error', message: p.message, span: p.span, fixes: [] }));
      return { ...empty, findings };
    }
    if (kind !== 'kubernetes') return { ...empty, findings: [] };
    return this.analyzeYamlStream(path, text, options);
  }

  forget(path: string): void {
    this.cache.delete(path);
  }

  /**
   * Facts arrived for `images`: the file's YAML documents that name one of them are analysed again on their next
   * read, the others keep their analyses (a thousand-workload file whose five images were answered re-analyses five
   * documents). Only YAML streams are kept here: other kinds of file are analysed afresh on every call anyway.
   */
  forgetImages(path: string, images: ReadonlySet<string>): void {
    const cached = this.cache.get(path);
    if (!cached) return;
    const { options } = cached;
    const docs = cached.docs.map((doc) => {
      const { cell } = doc;
      if (!cell.analysed || !cell.analysis.contexts.some((c) => c.image !== undefined && images.has(c.image))) return doc;
      return new PlacedDocument(this.cellFor(cell.text, options), doc.offset);
    });
    this.cache.set(path, { options, docs });
  }

  /** A document's analysis, made on first read; its parsed model kept among the recent ones. */
  private cellFor(text: string, options: AnalysisOptions): DocumentCell {
    return new DocumentCell(text, () => this.recentModels.retain(analyzeYamlDocument(text, options), options));
  }

  private analyzeYamlStream(path: string, text: string, options: AnalysisOptions): FileAnalysis {
    const previous = this.cache.get(path);
    const chunks = splitYamlDocuments(text);
    const old = new PreviousDocuments(previous && previous.options === options ? previous.docs : [], chunks.length);
    const placed: PlacedDocument[] = [];
    this.lastReanalysed = 0;
    /** Documents new in this call, for identical documents further down (one analysis serves them all). */
    const fresh = new Map<string, DocumentCell>();
    chunks.forEach((chunk, index) => {
      const known = old.find(chunk.text, index);
      let doc: PlacedDocument;
      if (known?.offset === chunk.offset) doc = known;
      else if (known) doc = new PlacedDocument(known.cell, chunk.offset);
      else {
        let cell = fresh.get(chunk.text);
        if (!cell) {
          const text = chunks.length === 1 ? chunk.text : detached(chunk.text);
          cell = this.cellFor(text, options);
          fresh.set(chunk.text, cell);
          this.lastReanalysed++;
        }
        doc = new PlacedDocument(cell, chunk.offset);
      }
      placed.push(doc);
    });
    this.cache.set(path, { options, docs: placed });
    const documents: readonly DocumentUnit[] = placed;
    let findings: Finding[] | undefined;
    let contexts: readonly EffectiveContext[] | undefined;
    // Both are the documents' results placed at their offsets, made on first use: `findings` are exactly the
    // documents' findings in file order (the language server builds diagnostics from `documents` alone).
    return {
      path, kind: 'kubernetes', documents, options,
      get findings() { return (findings ??= sortedFindings(placed)); },
      get contexts() { return (contexts ??= placed.flatMap((d) => d.placedContexts)); },
    };
  }
}

function sortedFindings(placed: readonly PlacedDocument[]): Finding[] {
  const findings: Finding[] = [];
  for (const doc of placed) for (const f of doc.placedFindings) findings.push(f);
  return findings.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
}

/** The YAML document holding an offset, with the offset made document-relative. */
export function documentAt(analysis: FileAnalysis, offset: number): { unit: DocumentUnit; relative: number } | undefined {
  const i = documentIndexAt(analysis.documents, offset);
  return i < 0 ? undefined : { unit: analysis.documents[i], relative: offset - analysis.documents[i].offset };
}

/**
 * The effective contexts of the documents that overlap `start`–`end`, at file offsets (a file without YAML documents:
 * all of its contexts). What a view of a range needs, analysing no other document of a long stream.
 */
export function contextsIn(analysis: FileAnalysis, start: number, end: number): readonly EffectiveContext[] {
  const { documents } = analysis;
  if (!documents.length) return analysis.contexts;
  const out: EffectiveContext[] = [];
  for (let i = Math.max(0, documentIndexAt(documents, start)); i < documents.length && documents[i].offset <= end; i++) out.push(...documents[i].placedContexts);
  return out;
}

/** Index of the last document starting at or before `offset` (documents are in file order); -1 for none. */
export function documentIndexAt(documents: readonly DocumentUnit[], offset: number): number {
  let lo = 0;
  let hi = documents.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (documents[mid].offset <= offset) { found = mid; lo = mid + 1; } else hi = mid - 1;
  }
  return found;
}

/** Findings minus what suppression comments disable, in file order. */
function unsuppressed(findings: Finding[], text: string): Finding[] {
  const suppressions = parseSuppressions(text);
  return findings.filter((f) => !isSuppressed(f, text, suppressions)).sort((a, b) => a.span.start - b.span.start);
}

function analyzeDocker(path: string, text: string, options: AnalysisOptions, docker: DockerFileModel): FileAnalysis {
  const findings = runRules('docker', docker, text, options);
  for (const p of docker.problems) findings.push({ rule: 'docker-syntax', severity: 'warning', message: p.message, span: p.span, fixes: [] });
  return { path, kind: docker.format === 'compose' ? 'compose' : 'shell', findings: unsuppressed(findings, text), contexts: docker.containers.map((c) => c.effective), documents: [], options, docker };
}

function analyzeDockerfile(path: string, text: string, options: AnalysisOptions): FileAnalysis {
  const dockerfile = parseDockerfile(text, baseFactsLookup(options.imageFacts));
  const findings = runRules('dockerfile', dockerfile, text, options);
  for (const line of dockerfile.longLines ?? []) findings.push(lineTooLong(line));
  return { path, kind: 'dockerfile', findings: unsuppressed(findings, text), contexts: [], documents: [], options, dockerfile };
}

/** A Dockerfile line read no further than its first word, like a file above maxFileSize: one informational finding. */
function lineTooLong(line: LongLine): Finding {
  const kib = Math.round((line.span.end - line.span.start) / 1024);
  const message = `secctx did not analyse this line past its first word: ${kib} KiB is above the ${MAX_LINE_LENGTH / 1024} KiB limit for one line.`;
  return { rule: 'line-too-long', severity: 'info', message, span: line.read.end > line.read.start ? line.read : { start: line.span.start, end: line.span.start }, fixes: [] };
}
