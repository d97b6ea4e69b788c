/** Findings → LSP diagnostics. */
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { ruleDocsUrl } from '../engine/rules/rule';
import type { Finding, Severity } from '../engine/types';
import { toRange } from './ranges';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** What a code action needs to find its finding again: rule id + span, never the message. */
export interface DiagnosticData {
  readonly rule: string;
  readonly start: number;
  readonly end: number;
}

/**
 * Diagnostics of findings the engine handed out before: the engine keeps a YAML document's findings (the same
 * objects) while the document and its offset are unchanged, so an edit converts only the touched document's.
 * Reused when the start position is still the same too (text before it may have changed lines, not length).
 */
const converted = new WeakMap<Finding, Diagnostic>();

export function toDiagnostic(doc: TextDocument, f: Finding): Diagnostic {
  const cached = converted.get(f);
  if (cached) {
    const start = doc.positionAt(f.span.start);
    if (start.line === cached.range.start.line && start.character === cached.range.start.character) return cached;
  }
  const diagnostic = convert(doc, f);
  converted.set(f, diagnostic);
  return diagnostic;
}

function convert(doc: TextDocument, f: Finding): Diagnostic {
  const data: DiagnosticData = { rule: f.rule, start: f.span.start, end: f.span.end };
  return {
    range: toRange(doc, f.span),
    severity: SEVERITY[f.severity],
    code: f.rule,
    codeDescription: { href: ruleDocsUrl(f.rule) },
    source: 'secctx',
    message: f.message,
    data,
  };
}
