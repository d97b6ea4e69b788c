import { InlayHintKind, type InlayHint, type Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { FileAnalysis } from '../engine/analyze';
import { summaryLine, containerCard } from '../engine/present/markdown';

export function inlayHints(doc: TextDocument, analysis: FileAnalysis, range: Range): InlayHint[] {
  const start = doc.offsetAt(range.start);
  const end = doc.offsetAt(range.end);
  const hints: InlayHint[] = [];
  for (const c of analysis.contexts) {
    if (c.nameSpan.end < start || c.nameSpan.start > end) continue;
    const position = doc.positionAt(c.nameSpan.end);
    const lineEnd = doc.offsetAt({ line: position.line + 1, character: 0 });
    const text = doc.getText().slice(c.nameSpan.end, lineEnd);
    const eol = /[ \t]*(#.*)?\r?\n?$/.exec(text);
    hints.push({
      position: eol && text.slice(0, eol.index).trim() === '' ? doc.positionAt(c.nameSpan.end) : position,
      label: summaryLine(c),
      kind: InlayHintKind.Type,
      paddingLeft: true,
      tooltip: { kind: 'markdown', value: containerCard(c, analysis.options.runtime) },
    });
  }
  return hints;
}
