/**
 * Splits a YAML stream into documents at `---` markers, so each document can be parsed,
 * modelled and cached on its own (an edit reparses only the document it touches).
 */
import { parseDocument, type Document, type DocumentOptions, type ParseOptions, type SchemaOptions } from 'yaml';
import type { Span } from '../types';
import { indexAliases } from './nodes';

/**
 * YAML as Kubernetes reads it: sigs.k8s.io/yaml decodes with go-yaml v2, a YAML 1.1 reader. Its resolve.go
 * table makes `y Y yes Yes YES true True TRUE on On ON` true and `n N no No NO false False FALSE off Off OFF`
 * false (exactly these spellings, the same set as `yaml`'s 1.1 schema), reads `0777` as octal and applies
 * `<<` merge keys. It has no base-60 numbers ("purposefully unsupported"), and a timestamp reaches the API
 * as a string: those two of `yaml`'s 1.1 tags are left out.
 */
export const KUBERNETES_YAML: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.1',
  customTags: (tags) => tags.filter((t) => typeof t === 'string' || (t.format !== 'TIME' && t.tag !== 'tag:yaml.org,2002:timestamp')),
  uniqueKeys: false,
  prettyErrors: false,
  strict: false,
};

/**
 * A lone CR is a line break in YAML (1.1 and 1.2 `b-break`), but `yaml`'s lexer only breaks at LF: turned
 * into LF, which keeps every offset.
 */
export function normalizeLineBreaks(text: string): string {
  return text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
}

export interface YamlChunk {
  /** Offset of the chunk in the whole text. */
  readonly offset: number;
  readonly text: string;
}

const MARKER = /^(---|\.\.\.)(?=[ \t\r\n]|$)/;

/** Cuts the text before every `---` line (the marker stays with the document it opens). */
export function splitYamlDocuments(original: string): YamlChunk[] {
  const text = normalizeLineBreaks(original);
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

export function parseYamlChunk(original: string): ParsedYaml {
  const text = normalizeLineBreaks(original);
  const doc = parseDocument(text, KUBERNETES_YAML);
  indexAliases(doc, text);
  const err = doc.errors[0];
  if (!err) return { doc };
  const [start, end] = err.pos;
  return { doc, syntaxError: { message: err.message.split('\n')[0], span: { start, end: Math.max(end, start + 1) } } };
}

/** True when the text holds Helm / Go template directives: such files are not valid manifests until rendered. */
export function hasTemplateDirectives(text: string): boolean {
  // A `{{` with a `}}` after it (what `/\{\{-?[\s\S]*?-?\}\}/` matched, found from the first `{{`: the regex
  // retried every `{{` to the end of the text, quadratic on a run of them).
  const open = text.indexOf('{{');
  return open >= 0 && text.indexOf('}}', open + 2) >= 0;
}
