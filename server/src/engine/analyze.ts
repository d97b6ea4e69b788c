/**
 * The engine's entry point: text in, findings and effective contexts out. Knows nothing of LSP.
 * YAML streams are analysed per document and cached by content, so an edit reanalyses only the
 * document it touches; results are shifted to file offsets on the way out.
 */
import type { EffectiveContext } from './effective';
import { analyzeYamlDocument, type YamlDocumentAnalysis } from './kubernetes/analyze';
import { DEFAULT_MAX_FILE_SIZE, type AnalysisOptions } from './options';
import type { Finding, Span } from './types';
import { parseDockerfile, type DockerfileModel } from './dockerfile/model';
import { runRules } from './rules/run';
import { parseConfig } from './config';
import { parseCompose } from './docker/compose';
import { isDockerRunHost } from './docker/detect';
import type { DockerFileModel } from './docker/model';
import { parseDockerRuns } from './docker/run';
import { isSuppressed, parseSuppressions } from './suppression';
import { splitYamlDocuments } from './yaml/documents';

export type FileKind = 'kubernetes' | 'dockerfile' | 'compose' | 'shell' | 'config' | 'unknown';

export function baseName(path: string): string {
  return path.replace(/\\/g, '/').split('/').pop() ?? path;
}

export function isDockerfileName(path: string): boolean {
  const b = baseName(path);
  return /^(Dockerfile|Containerfile)(\..+)?$/i.test(b) || /\.(Dockerfile|Containerfile)$/i.test(b);
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
  if (/\.(ya?ml|json)$/i.test(b)) return 'kubernetes';
  if (/\.(sh|bash|md|markdown|mk)$/i.test(b) || /^(GNU)?makefile$/i.test(b) || /^#!.*\b(ba|z|da)?sh\b/.test(text)) return 'shell';
  return 'unknown';
}

export interface DocumentUnit {
  readonly offset: number;
  readonly analysis: YamlDocumentAnalysis;
}

export interface FileAnalysis {
  readonly path: string;
  readonly kind: FileKind;
  readonly findings: readonly Finding[];
  readonly contexts: readonly EffectiveContext[];
  /** YAML documents with their offsets (hovers and fixes look up their models). */
  readonly documents: readonly DocumentUnit[];
  readonly options: AnalysisOptions;
  /** Set for Dockerfiles. */
  readonly dockerfile?: DockerfileModel;
  /** Set for Compose files and files with `docker run` lines. */
  readonly docker?: DockerFileModel;
}

export function shiftSpan<T extends Span>(span: T, delta: number): T {
  return delta === 0 ? span : { ...span, start: span.start + delta, end: span.end + delta };
}

export function shiftFinding(f: Finding, delta: number): Finding {
  if (delta === 0) return f;
  return {
    ...f,
    span: shiftSpan(f.span, delta),
    fixes: f.fixes.map((fix) => ({ ...fix, edits: fix.edits.map((e) => (e.file ? e : shiftSpan(e, delta))) })),
  };
}

function shiftDeep<T>(value: T, delta: number): T {
  if (Array.isArray(value)) return value.map((v) => shiftDeep(v, delta)) as T;
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = (k === 'span' || k === 'nameSpan') && v && typeof v === 'object' && 'start' in v ? shiftSpan(v as Span, delta) : shiftDeep(v, delta);
  }
  return out as T;
}

export function shiftContext(c: EffectiveContext, delta: number): EffectiveContext {
  return delta === 0 ? c : shiftDeep(c, delta);
}

/** Analyses files and keeps per-document results, keyed by document text, for the next call. */
export class Analyzer {
  private readonly cache = new Map<string, { options: AnalysisOptions; docs: Map<string, YamlDocumentAnalysis> }>();
  /** How many YAML documents the last call actually (re)analysed: for tests and benchmarks. */
  lastReanalysed = 0;

  analyze(path: string, text: string, options: AnalysisOptions, maxFileSize = DEFAULT_MAX_FILE_SIZE): FileAnalysis {
    const kind = detectFileKind(path, text.slice(0, 200));
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

  private analyzeYamlStream(path: string, text: string, options: AnalysisOptions): FileAnalysis {
    const previous = this.cache.get(path);
    const old = previous && previous.options === options ? previous.docs : undefined;
    const docs = new Map<string, YamlDocumentAnalysis>();
    const documents: DocumentUnit[] = [];
    const findings: Finding[] = [];
    const contexts: EffectiveContext[] = [];
    this.lastReanalysed = 0;
    for (const chunk of splitYamlDocuments(text)) {
      let analysis = old?.get(chunk.text) ?? docs.get(chunk.text);
      if (!analysis) {
        analysis = analyzeYamlDocument(chunk.text, options);
        this.lastReanalysed++;
      }
      docs.set(chunk.text, analysis);
      documents.push({ offset: chunk.offset, analysis });
      for (const f of analysis.findings) findings.push(shiftFinding(f, chunk.offset));
      for (const c of analysis.contexts) contexts.push(shiftContext(c, chunk.offset));
    }
    this.cache.set(path, { options, docs });
    findings.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
    return { path, kind: 'kubernetes', findings, contexts, documents, options };
  }
}

/** The YAML document holding an offset, with the offset made document-relative. */
export function documentAt(analysis: FileAnalysis, offset: number): { unit: DocumentUnit; relative: number } | undefined {
  for (let i = analysis.documents.length - 1; i >= 0; i--) {
    const unit = analysis.documents[i];
    if (offset >= unit.offset) return { unit, relative: offset - unit.offset };
  }
  return undefined;
}

/** Findings minus what suppression comments disable, in file order. */
function unsuppressed(findings: Finding[], text: string): Finding[] {
  const suppressions = parseSuppressions(text);
  return findings.filter((f) => !isSuppressed(f, text, suppressions)).sort((a, b) => a.span.start - b.span.start);
}

function analyzeDocker(path: string, text: string, options: AnalysisOptions, docker: DockerFileModel): FileAnalysis {
  const findings = runRules('docker', docker, text, options);
  for (const p of docker.problems) findings.push({ rule: 'docker-syntax', severity: 'warning', message: p.message, span: p.span, fixes: [] });
  return { path, kind: detectFileKind(path, text.slice(0, 200)), findings: unsuppressed(findings, text), contexts: docker.containers.map((c) => c.effective), documents: [], options, docker };
}

function analyzeDockerfile(path: string, text: string, options: AnalysisOptions): FileAnalysis {
  const dockerfile = parseDockerfile(text);
  return { path, kind: 'dockerfile', findings: unsuppressed(runRules('dockerfile', dockerfile, text, options), text), contexts: [], documents: [], options, dockerfile };
}
