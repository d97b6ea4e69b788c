/**
 * Completion by context. Works on the raw text (the document is usually invalid YAML while
 * typing): the cursor's ancestors are found from indentation.
 */
import { CAPABILITIES, isDefaultCapability, type Runtime } from './capabilities';
import { PROFILE_TYPES, fieldsAt } from './kubernetes/fieldCatalog';

export interface CompletionEntry {
  readonly label: string;
  readonly kind: 'capability' | 'field' | 'value';
  readonly detail: string;
  readonly documentation: string;
  readonly insertText: string;
  readonly sortText?: string;
}

interface Line { readonly indent: number; readonly key?: string; readonly item: boolean }

function parseLine(line: string): Line | undefined {
  const m = /^(\s*)(- +)?([\w.-]+)?\s*:?/.exec(line);
  if (!m || line.trim() === '' || line.trim().startsWith('#')) return undefined;
  const keyMatch = /^(\s*)(- +)?([\w./-]+)\s*:(\s|$)/.exec(line);
  return { indent: m[1].length + (m[2]?.length ?? 0), key: keyMatch?.[3], item: !!m[2] };
}

/** Keys of the enclosing block mappings, innermost first, with whether each sits in a list item. */
function ancestors(lines: readonly string[], row: number, column: number): { key: string; item: boolean }[] {
  const out: { key: string; item: boolean }[] = [];
  const current = lines[row].slice(0, column);
  let indent = current.length - current.trimStart().length;
  if (/^\s*- /.test(current)) indent = current.indexOf('-');
  for (let r = row - 1; r >= 0 && indent > 0; r--) {
    const l = parseLine(lines[r]);
    if (!l) continue;
    const dash = /^(\s*)- /.exec(lines[r]);
    const itemIndent = dash ? dash[1].length : l.indent;
    if (l.indent < indent && l.key) {
      out.push({ key: l.key, item: l.item });
      indent = l.item ? itemIndent : l.indent;
    } else if (dash && itemIndent < indent) {
      indent = itemIndent;
    }
  }
  return out;
}

const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);

function capabilityEntries(runtime: Runtime, list: 'add' | 'drop'): CompletionEntry[] {
  const all: CompletionEntry = { label: 'ALL', kind: 'capability', detail: list === 'drop' ? 'drop every capability, then add back what you need' : 'every capability', documentation: 'All 41 Linux capabilities.', insertText: 'ALL', sortText: '0' };
  return [all, ...CAPABILITIES.map((c) => ({
    label: c.name,
    kind: 'capability' as const,
    detail: `${isDefaultCapability(runtime, c.name) ? 'granted by default' : 'not granted by default'} (${runtime})`,
    documentation: c.risk ? `${c.description}\n\n⚠ ${c.risk}` : c.description,
    insertText: c.name,
    sortText: `1${c.name}`,
  }))];
}

export function completionsAt(text: string, offset: number, runtime: Runtime): CompletionEntry[] {
  const before = text.slice(0, offset);
  const row = before.split('\n').length - 1;
  const lines = text.split('\n');
  const column = offset - (before.lastIndexOf('\n') + 1);
  const lineBefore = lines[row].slice(0, column);
  const up = ancestors(lines, row, column);

  // Capability lists: `add: [NET_|`, `- NET_|`, Compose `cap_add:`.
  const inlineKey = /^\s*(?:- +)?([\w_]+)\s*:\s*\[[^\]]*$/.exec(lineBefore)?.[1];
  const listKey = inlineKey ?? (/^\s*- *[\w"']*$/.test(lineBefore) ? up[0]?.key : undefined);
  if (listKey === 'cap_add' || listKey === 'cap_drop') return capabilityEntries(runtime, listKey === 'cap_add' ? 'add' : 'drop');
  if ((listKey === 'add' || listKey === 'drop') && (inlineKey ? up[0]?.key : up[1]?.key) === 'capabilities') return capabilityEntries(runtime, listKey);

  // Enum values: `type: |` under seccompProfile/appArmorProfile, `procMount: |`.
  const valueKey = /^\s*(?:- +)?([\w]+)\s*:\s*[\w]*$/.exec(lineBefore)?.[1];
  if (valueKey === 'type' && (up[0]?.key === 'seccompProfile' || up[0]?.key === 'appArmorProfile')) {
    return PROFILE_TYPES[up[0].key as 'seccompProfile' | 'appArmorProfile'].map((v) => ({ label: v, kind: 'value', detail: `${up[0].key}.type`, documentation: v === 'Unconfined' ? 'No confinement: fails the Pod Security Standards.' : v === 'Localhost' ? 'A profile file on the node; set localhostProfile.' : 'The container runtime\'s default profile.', insertText: v }));
  }
  if (valueKey === 'procMount' && up[0]?.key === 'securityContext') {
    return ['Default', 'Unmasked'].map((v) => ({ label: v, kind: 'value', detail: 'procMount', documentation: v === 'Default' ? 'Masks sensitive /proc paths.' : 'Exposes /proc unmasked: needs hostUsers: false.', insertText: v }));
  }

  // securityContext keys valid at this level.
  if (up[0]?.key === 'securityContext' && /^\s*[\w]*$/.test(lineBefore)) {
    const level = up[0].item || CONTAINER_LISTS.has(up[1]?.key ?? '') || up[1]?.key !== 'spec' ? 'container' : 'pod';
    return fieldsAt(level).map((f) => ({
      label: f.name,
      kind: 'field',
      detail: `${level} securityContext`,
      documentation: f.doc,
      insertText: `${f.name}: `,
    }));
  }
  return [];
}
