/**
 * Diagnostics per YAML document. The engine keeps a document's analysis (the same object) while its text and the
 * options are unchanged, and analyses only the documents an edit touched; this cache does the same for their
 * conversion to LSP: a document whose analysis object and start line did not change keeps its diagnostics (the same
 * objects, so they serialise alike), one that moved by whole lines gets them shifted, and only new analyses are
 * converted. Inputs that change a document's findings (settings, .secctx.yaml, the image index, image facts, the
 * runtime or profile) reach the engine as a new options object, which re-analyses every document: new analysis
 * objects, converted afresh. Findings are per document (a YAML alias cannot cross `---`); what is not (kustomize
 * builds, Helm views) takes the whole-file path.
 */
import type { Diagnostic, Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { FileAnalysis } from '../engine/analyze';
import type { YamlDocumentAnalysis } from '../engine/kubernetes/analyze';
import type { Finding } from '../engine/types';
import { documentDiagnostic } from './diagnostics';

/** One document's diagnostics as last published: where the document started, and its findings' spans in order. */
interface Converted {
  readonly line: number;
  readonly diagnostics: readonly Diagnostic[];
  /** First and last finding, document-relative (the findings are in span order), to check file order across documents. */
  readonly first?: Finding['span'];
  readonly last?: Finding['span'];
}

const bySpan = (a: Finding, b: Finding) => a.span.start - b.span.start || a.span.end - b.span.end;

function shiftRange(r: Range, lines: number): Range {
  return { start: { line: r.start.line + lines, character: r.start.character }, end: { line: r.end.line + lines, character: r.end.character } };
}

export class DocumentDiagnostics {
  /** Per open document: each YAML document's conversion, by analysis (identical documents share one: a list each). */
  private readonly files = new Map<string, Map<YamlDocumentAnalysis, Converted[]>>();
  /** How many YAML documents the last call converted (not reused or shifted): for tests. */
  lastConverted = 0;

  /**
   * The diagnostics of a YAML stream's findings, in file order (as `analysis.findings` would give them), or
   * undefined for other analyses (Dockerfiles, Compose, Helm views, files without documents). `analysedOnly`: those
   * of the documents analysed so far (a long stream's first analysis, published as it goes), analysing no other.
   */
  diagnostics(doc: TextDocument, analysis: FileAnalysis, analysedOnly = false): Diagnostic[] | undefined {
    if (analysis.kind !== 'kubernetes' || analysis.helm || !analysis.documents.length) return undefined;
    const previous = this.files.get(doc.uri);
    const next = new Map<YamlDocumentAnalysis, Converted[]>();
    const out: Diagnostic[] = [];
    let lastEnd: { start: number; end: number } | undefined;
    let ordered = true;
    this.lastConverted = 0;
    for (const unit of analysis.documents) {
      if (analysedOnly && !unit.analysed) continue;
      // Documents start at line starts (the engine cuts before `---` lines): the same text at another line has the
      // same diagnostics, moved by as many lines.
      const line = doc.positionAt(unit.offset).line;
      const known = previous?.get(unit.analysis)?.shift();
      let converted: Converted;
      if (known && known.line === line) converted = known;
      else if (known) converted = { ...known, line, diagnostics: known.diagnostics.map((d) => ({ ...d, range: shiftRange(d.range, line - known.line) })) };
      else {
        const findings = [...unit.analysis.findings].sort(bySpan);
        converted = { line, diagnostics: findings.map((f) => documentDiagnostic(doc, f, unit.offset)), first: findings[0]?.span, last: findings[findings.length - 1]?.span };
        this.lastConverted++;
      }
      const list = next.get(unit.analysis);
      if (list) list.push(converted);
      else next.set(unit.analysis, [converted]);
      if (converted.first && converted.last) {
        const first = { start: unit.offset + converted.first.start, end: unit.offset + converted.first.end };
        if (lastEnd && (first.start < lastEnd.start || (first.start === lastEnd.start && first.end < lastEnd.end))) ordered = false;
        lastEnd = { start: unit.offset + converted.last.start, end: unit.offset + converted.last.end };
      }
      for (const d of converted.diagnostics) out.push(d);
    }
    // A one-document file's next analysis replaces its only document: nothing would be reused, so nothing is kept.
    if (analysis.documents.length > 1) this.files.set(doc.uri, next);
    else this.files.delete(doc.uri);
    // A finding at the very end of a document sorting after the next one's first: the whole-file path orders them.
    return ordered ? out : undefined;
  }

  forget(uri: string): void {
    this.files.delete(uri);
  }

  clear(): void {
    this.files.clear();
  }
}
