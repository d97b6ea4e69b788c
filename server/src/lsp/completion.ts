import { CompletionItemKind, MarkupKind, type CompletionItem, type CompletionParams } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Runtime } from '../engine/capabilities';
import { completionsAt } from '../engine/complete';
import type { FileAnalysis } from '../engine/analyze';
import { helmCompletionsAt } from '../engine/helm/complete';

const KIND = { capability: CompletionItemKind.EnumMember, field: CompletionItemKind.Property, value: CompletionItemKind.Value } as const;

export function completion(doc: TextDocument, params: CompletionParams, runtime: Runtime, analysis?: FileAnalysis): CompletionItem[] {
  const offset = doc.offsetAt(params.position);
  const entries = analysis?.helm ? helmCompletionsAt(analysis.helm, doc.getText(), offset, runtime) : completionsAt(doc.getText(), offset, runtime);
  return entries.map((e) => ({
    label: e.label,
    kind: KIND[e.kind],
    detail: e.detail,
    documentation: { kind: MarkupKind.Markdown, value: e.documentation },
    insertText: e.insertText,
    ...(e.sortText ? { sortText: e.sortText } : {}),
  }));
}
