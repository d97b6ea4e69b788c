/** Findings → LSP diagnostics. */
import { DiagnosticSeverity, type ClientCapabilities, type Diagnostic, type DiagnosticOptions } from 'vscode-languageserver';
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
