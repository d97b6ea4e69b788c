/**
 * Completion in `.secctx.yaml`, on the raw text (the file is often invalid YAML while typing):
 * top-level keys not yet set, the values of enum settings, rule ids under `rules:` and their severities.
 */
import type { CompletionEntry } from '../complete';
import { RULES } from '../rules/index';
import { ruleDocsUrl } from '../rules/rule';
import { configSettings, SEVERITY_VALUES, type ConfigValue } from './schema';

const KEY_LINE = /^([A-Za-z][\w.-]*)\s*:/;

function valueEntries(values: readonly ConfigValue[]): CompletionEntry[] {
  return values.map((v, i) => ({ label: v.value, kind: 'value', detail: v.description, documentation: v.description, insertText: v.value, sortText: String(i).padStart(2, '0') }));
}

/** The top-level key whose block holds `row` (the nearest unindented key line above it). */
function enclosingKey(lines: readonly string[], row: number): string | undefined {
  for (let r = row - 1; r >= 0; r--) {
    const line = lines[r];
    if (line.trim() === '' || line.trimStart().startsWith('#') || /^\s/.test(line)) continue;
    return KEY_LINE.exec(line)?.[1];
  }
  return undefined;
}

/** Keys already set in the block of `key` (indented `id:` lines after it), or at the top level. */
function keysIn(lines: readonly string[], block: string | undefined, exceptRow: number): Set<string> {
  const out = new Set<string>();
  let inside = block === undefined;
  lines.forEach((line, r) => {
    if (line.trim() === '' || line.trimStart().startsWith('#')) return;
    const indented = /^\s/.test(line);
    if (!indented) inside = block === undefined || KEY_LINE.exec(line)?.[1] === block;
    if (r === exceptRow || !inside || (block === undefined) === indented) return;
    const key = KEY_LINE.exec(line.trimStart())?.[1];
    if (key) out.add(key);
  });
  return out;
}

export function configCompletionsAt(text: string, offset: number): CompletionEntry[] {
  const lines = text.split('\n');
  const row = text.slice(0, offset).split('\n').length - 1;
  const prefix = lines[row].slice(0, offset - (text.lastIndexOf('\n', offset - 1) + 1));
  const settings = configSettings();

  // `profile: |`, `runtime: re|`
  const scalar = /^([A-Za-z][\w.-]*)\s*:\s*["']?[\w.-]*$/.exec(prefix);
  if (scalar) {
    const values = settings.find((s) => s.key === scalar[1])?.values;
    return values ? valueEntries(values) : [];
  }
  // A top-level key being typed.
  if (/^[A-Za-z]?[\w.-]*$/.test(prefix)) {
    const present = keysIn(lines, undefined, row);
    return settings.filter((s) => !present.has(s.key)).map((s, i) => ({ label: s.key, kind: 'field', detail: 'secctx setting', documentation: s.description, insertText: s.insertText, sortText: String(i).padStart(2, '0') }));
  }
  if (enclosingKey(lines, row) !== 'rules') return [];
  // `  run-as-root: |` under rules:
  if (/^\s+[a-z][\w-]*\s*:\s*\w*$/.test(prefix)) return valueEntries(SEVERITY_VALUES);
  // `  run-|` under rules:
  if (/^\s+[\w-]*$/.test(prefix)) {
    const present = keysIn(lines, 'rules', row);
    return RULES.filter((r) => !present.has(r.meta.id)).map((r) => ({
      label: r.meta.id,
      kind: 'field',
      detail: `${r.meta.title} (default: ${r.meta.defaultSeverity})`,
      documentation: `${r.meta.docs.summary}\n\n[Documentation](${ruleDocsUrl(r.meta.id)})`,
      insertText: `${r.meta.id}: `,
    }));
  }
  return [];
}
