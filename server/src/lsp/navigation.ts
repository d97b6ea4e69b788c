/**
 * Go to Definition and Find All References in Helm charts: a template's `.Values.x` → where x is set;
 * a values key → the template expressions that read it. The engine finds the places
 * (engine/helm/navigate.ts); this turns them into LSP locations.
 *
 * Where the client allows it, both are registered for chart files only: an editor with a definition
 * provider for a file takes Ctrl/Cmd+click for Go to Definition (VS Code's link gesture), and in every
 * other manifest that click belongs to the inlay hints' parts, which lead to the field that set a value.
 */
import { DefinitionRequest, ReferencesRequest, type Connection, type DocumentSelector, type Location, type Position } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import type { FileAnalysis } from '../engine/analyze';
import { helmDefinition, helmReferences } from '../engine/helm/navigate';
import type { Src } from '../engine/helm/values';
import { LineIndex } from '../engine/lines';

function locations(analysis: FileAnalysis, targets: readonly Src[]): Location[] {
  const texts = analysis.helm?.chart.texts;
  const indexes = new Map<string, LineIndex>();
  const position = (file: string, offset: number): Position => {
    let index = indexes.get(file);
    if (!index) indexes.set(file, (index = new LineIndex(texts?.get(file) ?? '')));
    const p = index.position(offset);
    return { line: p.line - 1, character: p.column - 1 };
  };
  return targets.map((t) => ({ uri: URI.file(t.file).toString(), range: { start: position(t.file, t.start), end: position(t.file, t.end) } }));
}

export function definition(analysis: FileAnalysis, offset: number): Location[] {
  return analysis.helm ? locations(analysis, helmDefinition(analysis.helm, offset)) : [];
}

export function references(analysis: FileAnalysis, offset: number): Location[] {
  return analysis.helm ? locations(analysis, helmReferences(analysis.helm, offset)) : [];
}

/** Chart templates (`templates/**`, helpers included) and values files (`values.yaml`, `values-prod.yaml`, `prod-values.yaml`…). */
export const TEMPLATE_SELECTOR: DocumentSelector = [{ scheme: 'file', pattern: '**/templates/**/*.{yaml,yml,tpl}' }];
export const VALUES_SELECTOR: DocumentSelector = [{ scheme: 'file', pattern: '**/*values*.{yaml,yml}' }];

export function registerNavigation(connection: Connection, log: (message: string) => void): void {
  const failed = (err: unknown) => log(`registering chart navigation failed: ${String(err)}`);
  connection.client.register(DefinitionRequest.type, { documentSelector: TEMPLATE_SELECTOR }).then(undefined, failed);
  connection.client.register(ReferencesRequest.type, { documentSelector: VALUES_SELECTOR }).then(undefined, failed);
}
