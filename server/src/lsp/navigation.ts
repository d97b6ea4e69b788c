/**
 * Go to Definition and Find All References in Helm charts: a template's `.Values.x` → where x is set;
 * a values key → the template expressions that read it. The engine finds the places
 * (engine/helm/navigate.ts); this turns them into LSP locations.
 */
import type { Location, Position } from 'vscode-languageserver';
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
