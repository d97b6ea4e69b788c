/**
 * Pull diagnostics (textDocument/diagnostic) with result ids: a pull whose diagnostics are the ones the client already
 * holds is answered `unchanged` (no items to send or parse). Diagnostics are compared element by element: unchanged
 * YAML documents give the very same objects (lsp/diagnosticCache.ts), so only re-converted ones are compared by value,
 * never the whole file's JSON.
 */
import type { Diagnostic, DocumentDiagnosticReport } from 'vscode-languageserver';

interface Pulled {
  readonly version: number;
  readonly resultId: string;
  readonly diagnostics: readonly Diagnostic[];
}

export function sameDiagnostics(a: readonly Diagnostic[], b: readonly Diagnostic[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && JSON.stringify(a[i]) !== JSON.stringify(b[i])) return false;
  return true;
}

export class PullReports {
  private readonly pulled = new Map<string, Pulled>();
  private next = 0;

  /** The answer to a pull of `diagnostics` for the document at `version`: `unchanged` when the client holds them. */
  report(uri: string, version: number, diagnostics: Diagnostic[], previousResultId: string | undefined): DocumentDiagnosticReport {
    const last = this.pulled.get(uri);
    const same = !!last && sameDiagnostics(last.diagnostics, diagnostics);
    const resultId = same && last ? last.resultId : String(++this.next);
    this.pulled.set(uri, { version, resultId, diagnostics });
    return same && previousResultId === resultId ? { kind: 'unchanged', resultId } : { kind: 'full', resultId, items: diagnostics };
  }

  /** A background result (kustomize build, image index) changed what the client pulled for this very version. */
  changedSincePull(uri: string, version: number, diagnostics: readonly Diagnostic[]): boolean {
    const last = this.pulled.get(uri);
    return !!last && last.version === version && !sameDiagnostics(last.diagnostics, diagnostics);
  }

  forget(uri: string): void {
    this.pulled.delete(uri);
  }
}
