/**
 * Completion by context. Works on the raw text (the document is usually invalid YAML while
 * typing): the cursor's ancestors are found from indentation.
 */
import { CAPABILITIES, isDefaultCapability, type Runtime } from './capabilities';
import { PROFILE_TYPES, fieldsAt, type SecurityContextLevel } from './kubernetes/fieldCatalog';

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

function capabilityEntries(runtime: Runtime, list: 'add' | 'drop', listed: ReadonlySet<string>): CompletionEntry[] {
  const all: CompletionEntry = { label: 'ALL', kind: 'capability', detail: list === 'drop' ? 'drop every capability, then add back what you need' : 'every capability', documentation: 'All 41 Linux capabilities.', insertText: 'ALL', sortText: '0' };
  const entries: CompletionEntry[] = [all, ...CAPABILITIES.map((c) => ({
    label: c.name,
    kind: 'capability' as const,
    detail: `${isDefaultCapability(runtime, c.name) ? 'granted by default' : 'not granted by default'} (${runtime})`,
    documentation: c.risk ? `${c.description}\n\n⚠ ${c.risk}` : c.description,
    insertText: c.name,
    sortText: `1${c.name}`,
  }))];
  return entries.filter((e) => !listed.has(e.label));
}

const unquote = (s: string) => s.trim().replace(/^["']|["']$/g, '').toUpperCase().replace(/^CAP_/, '');

/** The names already in the list being completed: the inline `[A, B, |` or the block's `- A` items. */
function listedNames(lines: readonly string[], row: number, lineBefore: string, inline: boolean): Set<string> {
  if (inline) {
    const open = lineBefore.lastIndexOf('[');
    const rest = lines[row].slice(open + 1);
    const close = rest.indexOf(']');
    return new Set((close >= 0 ? rest.slice(0, close) : rest).split(',').map(unquote).filter(Boolean));
  }
  const indent = lineBefore.indexOf('-');
  const names = new Set<string>();
  for (const step of [-1, 1]) {
    for (let r = row + step; r >= 0 && r < lines.length; r += step) {
      // Without overlapping quantifiers (`- *(.*)$`, `\s+#.*$` backtracked quadratically on long runs of blanks).
      const m = /^(\s*)-/.exec(lines[r]);
      if (!m || m[1].length !== indent) break;
      const item = lines[r].slice(m[0].length).trimStart();
      const comment = item.search(/\s#/);
      const name = unquote(comment < 0 ? item : item.slice(0, comment).trimEnd());
      if (name) names.add(name);
    }
  }
  return names;
}

/** The keys a block mapping already has, from the lines around `row` at the same indentation. */
function siblingKeys(lines: readonly string[], row: number, indent: number): Set<string> {
  const keys = new Set<string>();
  for (const step of [-1, 1]) {
    for (let r = row + step; r >= 0 && r < lines.length; r += step) {
      const l = lines[r];
      if (l.trim() === '' || l.trim().startsWith('#')) continue;
      const own = l.length - l.trimStart().length;
      if (own < indent) break;
      const key = own === indent ? /^\s*([\w./-]+)\s*:(\s|$)/.exec(l)?.[1] : undefined;
      if (key) keys.add(key);
    }
  }
  return keys;
}

const BOOLEAN_DOCS: Readonly<Record<string, readonly [string, string]>> = {
  runAsNonRoot: ['The kubelet refuses to start the container as uid 0 or as a user name it cannot verify.', 'No check: the container may run as root (the default).'],
  privileged: ['All capabilities and every host device: root on the node.', 'Not privileged (the default).'],
  allowPrivilegeEscalation: ['setuid binaries and file capabilities may raise privileges (the default).', 'Sets no_new_privs: nothing raises privileges after start.'],
  readOnlyRootFilesystem: ['The root filesystem is mounted read-only.', 'The root filesystem is writable (the default).'],
};

function booleanEntries(field: string, detail: string): CompletionEntry[] {
  const [whenTrue, whenFalse] = BOOLEAN_DOCS[field] ?? ['', ''];
  return [
    { label: 'true', kind: 'value', detail, documentation: whenTrue, insertText: 'true' },
    { label: 'false', kind: 'value', detail, documentation: whenFalse, insertText: 'false' },
  ];
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
  // Compose runs on Docker whatever runtime the Kubernetes settings name: its defaults are Docker's.
  if (listKey === 'cap_add' || listKey === 'cap_drop') return capabilityEntries('docker', listKey === 'cap_add' ? 'add' : 'drop', listedNames(lines, row, lineBefore, !!inlineKey));
  if ((listKey === 'add' || listKey === 'drop') && (inlineKey ? up[0]?.key : up[1]?.key) === 'capabilities') return capabilityEntries(runtime, listKey, listedNames(lines, row, lineBefore, !!inlineKey));

  // Enum values: `type: |` under seccompProfile/appArmorProfile, `procMount: |`.
  const valueKey = /^\s*(?:- +)?([\w]+)\s*:\s*[\w]*$/.exec(lineBefore)?.[1];
  if (valueKey === 'type' && (up[0]?.key === 'seccompProfile' || up[0]?.key === 'appArmorProfile')) {
    return PROFILE_TYPES[up[0].key as 'seccompProfile' | 'appArmorProfile'].map((v) => ({ label: v, kind: 'value', detail: `${up[0].key}.type`, documentation: v === 'Unconfined' ? 'No confinement: fails the Pod Security Standards.' : v === 'Localhost' ? 'A profile file on the node; set localhostProfile.' : 'The container runtime\'s default profile.', insertText: v }));
  }
  // Compose service booleans: `privileged: |`, `read_only: |`.
  if ((valueKey === 'privileged' || valueKey === 'read_only') && up[1]?.key === 'services' && !up[1].item) {
    return booleanEntries(valueKey === 'read_only' ? 'readOnlyRootFilesystem' : valueKey, `Compose service ${valueKey}`);
  }
  if (up[0]?.key === 'securityContext') {
    const level: SecurityContextLevel = up[0].item || CONTAINER_LISTS.has(up[1]?.key ?? '') || up[1]?.key !== 'spec' ? 'container' : 'pod';
    const detail = `${level} securityContext`;
    // A value: `runAsNonRoot: |` → true/false, `procMount: |` → its enum.
    const field = valueKey !== undefined ? fieldsAt(level).find((f) => f.name === valueKey) : undefined;
    if (field?.boolean) return booleanEntries(field.name, `${detail}.${field.name}`);
    if (field?.values) return field.values.map((v) => ({ label: v, kind: 'value', detail: `${detail}.${field.name}`, documentation: field.doc, insertText: v }));
    // A key: those valid at this level that the block does not have yet.
    if (/^\s*[\w]*$/.test(lineBefore)) {
      const present = siblingKeys(lines, row, lineBefore.length - lineBefore.trimStart().length);
      return fieldsAt(level).filter((f) => !present.has(f.name)).map((f) => ({
        label: f.name,
        kind: 'field',
        detail,
        documentation: f.doc,
        insertText: `${f.name}: `,
      }));
    }
  }
  return [];
}
