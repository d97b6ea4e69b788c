/** Completion and hover in `.secctx.yaml`: thin conversions of engine/configFile results. */
import { CompletionItemKind, MarkupKind, type CompletionItem, type CompletionParams, type Hover, type HoverParams } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { CONFIG_FILE_NAMES } from '../engine/config';
import { configCompletionsAt } from '../engine/configFile/complete';
import { configHoverAt } from '../engine/configFile/hover';
import { toRange } from './ranges';

export function isConfigDocument(uri: string): boolean {
  const name = decodeURIComponent(uri.slice(uri.lastIndexOf('/') + 1));
  return CONFIG_FILE_NAMES.includes(name);
}

export function configCompletion(doc: TextDocument, params: CompletionParams): CompletionItem[] {
  return configCompletionsAt(doc.getText(), doc.offsetAt(params.position)).map((e) => ({
    label: e.label,
    kind: e.kind === 'field' ? CompletionItemKind.Property : CompletionItemKind.EnumMember,
    detail: e.detail,
    documentation: { kind: MarkupKind.Markdown, value: e.documentation },
    insertText: e.insertText,
    ...(e.sortText ? { sortText: e.sortText } : {}),
  }));
}

export function configHover(doc: TextDocument, params: HoverParams): Hover | null {
  const found = configHoverAt(doc.getText(), doc.offsetAt(params.position));
  return found ? { contents: { kind: MarkupKind.Markdown, value: found.markdown }, range: toRange(doc, found.span) } : null;
}
