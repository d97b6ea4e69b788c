import { MarkupKind, type Hover, type HoverParams } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { hoverAt } from '../engine/hover';
import type { FileAnalysis } from '../engine/analyze';

/** Provenance in hovers links to the field that decided each value: `file:///…#L12,5` opens it there. */
export function hover(doc: TextDocument, analysis: FileAnalysis, params: HoverParams): Hover | null {
  const value = hoverAt(analysis, doc.offsetAt(params.position), (span) => {
    const at = doc.positionAt(span.start);
    return `${doc.uri}#L${at.line + 1},${at.character + 1}`;
  });
  return value ? { contents: { kind: MarkupKind.Markdown, value } } : null;
}
