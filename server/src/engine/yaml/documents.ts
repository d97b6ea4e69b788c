/**
 * Splits a YAML stream into documents at `---` markers, so each document can be parsed,
 * modelled and cached on its own (an edit reparses only the document it touches).
 */
import { parseDocument, type Document } from 'yaml';
import type { Span } from '../types';

export interface YamlChunk {
  /** Offset of the chunk in the whole text. */
  readonly offset: number;
  readonly text: string;
}

const MARKER = /^(---|\.\.\.)(?=[ \t\r\n]|$)/;

/** Cuts the text before every `---` line (the marker stays with the document it opens). */
export function splitYamlDocuments(text: string): YamlChunk[] {
  const chunks: YamlChunk[] = [];
  let start = 0;
  let lineStart = 0;
  while (lineStart <= text.length) {
    if (lineStart > start && text.startsWith('---', lineStart) && MARKER.test(text.slice(lineStart, lineStart + 4))) {
      chunks.push({ offset: start, text: text.slice(start, lineStart) });
      start = lineStart;
    }
    const nl = text.indexOf('\n', lineStart);
    if (nl < 0) break;
    lineStart = nl + 1;
  }
  chunks.push({ offset: start, text: text.slice(start) });
  return chunks;
}

export interface ParsedYaml {
  readonly doc: Document.Parsed;
  /** The first syntax error, if any: reported once per document. */
  readonly syntaxError?: { readonly message: string; readonly span: Span };
}

export function parseYamlChunk(text: string): ParsedYaml {
  const doc = parseDocument(text, { uniqueKeys: false, prettyErrors: false, strict: false });
  const err = doc.errors[0];
  if (!err) return { doc };
  const [start, end] = err.pos;
  return { doc, syntaxError: { message: err.message.split('\n')[0], span: { start, end: Math.max(end, start + 1) } } };
}

/** True when the text holds Helm / Go template directives: such files are not valid manifests until rendered. */
export function hasTemplateDirectives(text: string): boolean {
  return /\{\{-?[\s\S]*?-?\}\}/.test(text);
}
