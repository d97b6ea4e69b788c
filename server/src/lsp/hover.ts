import { MarkupKind, type Hover, type HoverParams } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { hoverAt } from '../engine/hover';
import type { FileAnalysis } from '../engine/analyze';

/** Provenance in hovers links to the field that decided each value (`file:///…#L12,5`), or to a Dockerfile's USER line. */
export function hover(doc: TextDocument, analysis: FileAnalysis, params: HoverParams, reportCommand?: string): Hover | null {
  const value = hoverAt(analysis, doc.offsetAt(params.position), (at) => {
    if ('path' in at) return `${URI.file(at.path).toString()}#L${at.line}`;
    const position = doc.positionAt(at.start);
    return `${doc.uri}#L${position.line + 1},${position.character + 1}`;
  }, reportCommand ? { reportLink: `command:${reportCommand}` } : {});
  return value ? { contents: { kind: MarkupKind.Markdown, value } } : null;
}
