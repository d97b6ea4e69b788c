/**
 * Completion in a values file: inside a block that a template places as a securityContext, the keys
 * valid at that block's level (pod or container) that it does not have yet. Elsewhere the manifest
 * completion applies (capability names under `capabilities.add`, profile types…).
 */
import type { Runtime } from '../capabilities';
import { completionsAt, type CompletionEntry } from '../complete';
import { fieldsAt, type SecurityContextLevel } from '../kubernetes/fieldCatalog';
import type { HelmFileView } from './view';
import { valuesPrefixOf } from './chart';

/** The key path of the block holding the cursor's line, from indentation (the text is often invalid YAML while typing). */
export function blockPathAt(text: string, offset: number): { path: string[]; indent: number; present: Set<string> } {
  const lines = text.split('\n');
  const row = text.slice(0, offset).split('\n').length - 1;
  const current = lines[row] ?? '';
  let indent = current.length - current.trimStart().length;
  const cursorIndent = indent;
  const path: string[] = [];
  for (let r = row - 1; r >= 0 && indent > 0; r--) {
    const l = lines[r];
    if (!l.trim() || l.trim().startsWith('#')) continue;
    const own = l.length - l.trimStart().length;
    const key = /^\s*([\w.-]+)\s*:\s*(#.*)?$/.exec(l)?.[1];
    if (own < indent && key) { path.unshift(key); indent = own; }
    else if (own < indent) break;
  }
  const present = new Set<string>();
  for (const step of [-1, 1]) {
    for (let r = row + step; r >= 0 && r < lines.length; r += step) {
      const l = lines[r];
      if (!l.trim() || l.trim().startsWith('#')) continue;
      const own = l.length - l.trimStart().length;
      if (own < cursorIndent) break;
      const key = own === cursorIndent ? /^\s*([\w.-]+)\s*:/.exec(l)?.[1] : undefined;
      if (key) present.add(key);
    }
  }
  return { path, indent: cursorIndent, present };
}

export function helmCompletionsAt(view: HelmFileView, text: string, offset: number, runtime: Runtime): CompletionEntry[] {
  if (view.role !== 'values') return completionsAt(text, offset, runtime);
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const lineBefore = text.slice(lineStart, offset);
  const { path, present } = blockPathAt(text, offset);
  const block = [...valuesPrefixOf(view.chart.chart, view.file), ...path].join('.');
  const levels = new Set<SecurityContextLevel>(view.chart.placements.filter((p) => p.block === block && p.field === 'securityContext').map((p) => (p.level === 'pod' ? 'pod' : 'container')));
  if (levels.size === 1 && /^\s*[\w]*$/.test(lineBefore)) {
    const level = [...levels][0];
    const detail = `${level} securityContext (\`${block}\`)`;
    return fieldsAt(level).filter((f) => !present.has(f.name)).map((f) => ({ label: f.name, kind: 'field', detail, documentation: f.doc, insertText: `${f.name}: ` }));
  }
  return completionsAt(text, offset, runtime);
}
