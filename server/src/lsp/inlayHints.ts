import { InlayHintKind, type InlayHint, type InlayHintLabelPart, type Location, type Range } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { contextsIn, type FileAnalysis } from '../engine/analyze';
import type { Provenance } from '../engine/effective';
import { INLAY_HINT_MAX_LENGTH, SUMMARY_SEPARATOR, containerCard, describeSource, summaryParts } from '../engine/present/markdown';
import { toRange } from './ranges';

/**
 * A hint after each container name: the effective result at a glance, one label part per value.
 * A part whose value is set in this file (or by a linked image's USER) leads there: with the client's `revealCommand`
 * (VS Code: Ctrl/Cmd+click runs it) or else the field's `location`. Not both: VS Code prefers a
 * location and asks definition providers at it, which YAML keys have none of.
 */
export function inlayHints(doc: TextDocument, analysis: FileAnalysis, range: Range, revealCommand?: string): InlayHint[] {
  const start = doc.offsetAt(range.start);
  const end = doc.offsetAt(range.end);
  const hints: InlayHint[] = [];
  // Only the documents in view: a long stream's others may not be analysed yet (lsp/progressive.ts), and need not be.
  for (const c of contextsIn(analysis, start, end)) {
    if (c.nameSpan.end < start || c.nameSpan.start > end) continue;
    // After the key's colon when the name is a key (a Compose service `vpn:`), else after the name.
    const after = /^[ \t]*:/.exec(doc.getText().slice(c.nameSpan.end, c.nameSpan.end + 256));
    const position = doc.positionAt(c.nameSpan.end + (after ? after[0].length : 0));
    const card = containerCard(c, analysis.options.runtime);
    const label: InlayHintLabelPart[] = [];
    for (const part of summaryParts(c, INLAY_HINT_MAX_LENGTH)) {
      if (label.length) label.push({ value: SUMMARY_SEPARATOR });
      const where = locationOf(doc, part.from);
      const origin = part.from.span && where ? `set at line ${where.range.start.line + 1}: ${describeSource(part.from)}`
        : part.from.elsewhere ? `${describeSource(part.from)} (${basename(part.from.elsewhere.path)} line ${part.from.elsewhere.line})`
        : `${describeSource(part.from)} (not set in this file)`;
      label.push({
        value: part.text,
        tooltip: { kind: 'markdown', value: `**${part.text}** — ${origin}\n\n---\n\n${card}` },
        ...(where && revealCommand ? { command: { title: 'Go to where this is set', command: revealCommand, arguments: [where.uri, where.range] } }
          : where ? { location: where } : {}),
      });
    }
    hints.push({
      position,
      label,
      kind: InlayHintKind.Type,
      paddingLeft: true,
    });
  }
  return hints;
}

/** The field in this file, or the USER line of a linked image's Dockerfile. */
function locationOf(doc: TextDocument, from: Provenance): Location | undefined {
  if (from.span) return { uri: doc.uri, range: toRange(doc, from.span) };
  if (from.elsewhere) {
    const at = { line: from.elsewhere.line - 1, character: 0 };
    return { uri: URI.file(from.elsewhere.path).toString(), range: { start: at, end: at } };
  }
  return undefined;
}

function basename(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}
