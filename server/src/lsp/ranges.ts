/** The one place where engine offsets become LSP ranges. */
import type { Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Span } from '../engine/types';

/** `base`: where the span's offsets start from (a YAML document's offset for its document-relative spans). */
export function toRange(doc: TextDocument, span: Span, base = 0): Range {
  return { start: doc.positionAt(base + span.start), end: doc.positionAt(base + span.end) };
}
