/** Findings → LSP diagnostics. */
import { DiagnosticSeverity, type ClientCapabilities, type Diagnostic, type DiagnosticOptions } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { documentIndexAt, shiftFinding, type DocumentUnit, type FileAnalysis } from '../engine/analyze';
import { ruleDocsUrl } from '../engine/rules/rule';
import type { Finding, Severity } from '../engine/types';
import { toRange } from './ranges';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/**
 * `Diagnostic.data`: what a code action needs to find the diagnostic's finding again, besides its rule (the
 * diagnostic's `code`): the finding's span, relative to the YAML document holding it (to the file for other
 * files), so that a document's diagnostics stay the same objects while edits elsewhere move it. Never the message,
 * never the fixes (code actions compute those, and resolve their edits on demand).
 */
export type DiagnosticKey = readonly [start: number, end: number];

export function isDiagnosticKey(data: unknown): data is DiagnosticKey {
  return Array.isArray(data) && data.length === 2 && typeof data[0] === 'number' && typeof data[1] === 'number';
}

/**
 * Diagnostics of findings the engine handed out before (Helm views, kustomize, a file's config problems): reused
 * when the start position and the key are still the same (text before it may have changed lines, not length).
 */
const converted = new WeakMap<Finding, Diagnostic>();

/** `f` in file offsets; `base`: the offset of the YAML document holding it (0 outside YAML streams), for the key. */
export function toDiagnostic(doc: TextDocument, f: Finding, base = 0): Diagnostic {
  const cached = converted.get(f);
  if (cached && (cached.data as DiagnosticKey)[0] === f.span.start - base) {
    const start = doc.positionAt(f.span.start);
    if (start.line === cached.range.start.line && start.character === cached.range.start.character) return cached;
  }
  const diagnostic = documentDiagnostic(doc, { ...f, span: { start: f.span.start - base, end: f.span.end - base } }, base);
  converted.set(f, diagnostic);
  return diagnostic;
}

/** Diagnostics of findings in file offsets (Helm views, kustomize builds, other files), keyed by their owning documents. */
export function fileDiagnostics(doc: TextDocument, analysis: FileAnalysis, findings: readonly Finding[]): Diagnostic[] {
  return findings.map((f) => toDiagnostic(doc, f, analysis.documents.length ? ownerOffset(analysis, f) : 0));
}

/** A finding of the YAML document at `base`, its span relative to it, as a diagnostic. */
export function documentDiagnostic(doc: TextDocument, f: Finding, base: number): Diagnostic {
  const key: DiagnosticKey = [f.span.start, f.span.end];
  return {
    range: toRange(doc, f.span, base),
    severity: SEVERITY[f.severity],
    code: f.rule,
    codeDescription: { href: ruleDocsUrl(f.rule) },
    source: 'secctx',
    message: f.message,
    data: key,
  };
}

/**
 * The YAML documents that may own a finding near `offset`: the one holding it, then its neighbours (a finding at
 * a document's very end starts where the next one begins).
 */
function ownersNear(analysis: FileAnalysis, offset: number): DocumentUnit[] {
  const i = documentIndexAt(analysis.documents, offset);
  return [i, i - 1, i + 1].filter((j) => j >= 0 && j < analysis.documents.length).map((j) => analysis.documents[j]);
}

/** The finding of `rule` at `start`–`end` (file offsets), with its fixes in file offsets. */
export function findingAt(analysis: FileAnalysis, rule: string, start: number, end: number): Finding | undefined {
  if (!analysis.documents.length) return analysis.findings.find((f) => f.rule === rule && f.span.start === start && f.span.end === end);
  for (const unit of ownersNear(analysis, start)) {
    const f = unit.analysis.findings.find((x) => x.rule === rule && x.span.start === start - unit.offset && x.span.end === end - unit.offset);
    if (f) return shiftFinding(f, unit.offset);
  }
  return undefined;
}

/**
 * The finding a diagnostic of this analysis stands for, found by its rule (`code`) and key (`data`), near where its
 * range starts. A client that drops `data` (no `publishDiagnostics.dataSupport`) still gets it from the range.
 */
export function findingOf(doc: TextDocument, analysis: FileAnalysis, d: Diagnostic): Finding | undefined {
  if (d.source !== 'secctx' || typeof d.code !== 'string') return undefined;
  const at = doc.offsetAt(d.range.start);
  const key = isDiagnosticKey(d.data) ? d.data : undefined;
  if (!analysis.documents.length) {
    const [start, end] = key ?? [at, doc.offsetAt(d.range.end)];
    return findingAt(analysis, d.code, start, end);
  }
  for (const unit of ownersNear(analysis, at)) {
    const [start, end] = key ? [unit.offset + key[0], unit.offset + key[1]] : [at, doc.offsetAt(d.range.end)];
    // The key is relative to the document that owns the finding: the range's start tells which (to within the `\r`
    // of a `\r\n`, which a position cannot point between).
    if (Math.abs(start - at) > 1) continue;
    const f = unit.analysis.findings.find((x) => x.rule === d.code && x.span.start === start - unit.offset && x.span.end === end - unit.offset);
    if (f) return shiftFinding(f, unit.offset);
  }
  return undefined;
}

/**
 * The offset of the YAML document that owns a finding given in file offsets (0 outside YAML streams): the key of
 * its diagnostic is relative to it. At a boundary, the document whose own findings hold it.
 */
export function ownerOffset(analysis: FileAnalysis, f: Finding): number {
  const i = documentIndexAt(analysis.documents, f.span.start);
  if (i < 0) return 0;
  const unit = analysis.documents[i];
  const owns = (u: DocumentUnit) => u.analysis.findings.some((x) => x.rule === f.rule && x.span.start === f.span.start - u.offset && x.span.end === f.span.end - u.offset);
  return f.span.start === unit.offset && i > 0 && !owns(unit) && owns(analysis.documents[i - 1]) ? analysis.documents[i - 1].offset : unit.offset;
}

/** Push (textDocument/publishDiagnostics) or pull (textDocument/diagnostic, LSP 3.17), as the client supports. */
export interface DiagnosticMode {
  readonly pull: boolean;
  /** The client re-pulls on workspace/diagnostic/refresh (settings, config or linked files changed). */
  readonly refresh: boolean;
}

export function diagnosticModeOf(capabilities: ClientCapabilities): DiagnosticMode {
  return { pull: !!capabilities.textDocument?.diagnostic, refresh: !!capabilities.workspace?.diagnostics?.refreshSupport };
}

/** Diagnostics of a file depend on others (linked Dockerfiles, .secctx.yaml); no workspace-wide pull. */
export const DIAGNOSTIC_PROVIDER: DiagnosticOptions = { identifier: 'secctx', interFileDependencies: true, workspaceDiagnostics: false };
