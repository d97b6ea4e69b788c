import { MarkupKind, type Hover, type HoverParams } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { hoverAt } from '../engine/hover';
import type { FileAnalysis } from '../engine/analyze';

export function hover(doc: TextDocument, analysis: FileAnalysis, params: HoverParams): Hover | null {
  const value = hoverAt(analysis, doc.offsetAt(params.position));
  return value ? { contents: { kind: MarkupKind.Markdown, value } } : null;
}
