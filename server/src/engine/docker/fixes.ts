/**
 * Minimal text edits on Compose services and `docker run` lines: remove one setting (its lines, its
 * flow-list item, or its flag), replace a value, set the user. Everything else stays byte-identical.
 * Settings inherited through `extends` are not edited (the edit would change the base service).
 */
import type { Span, TextEdit } from '../types';
import type { DockerContainer, Setting } from './model';
export { containerLabel } from './findings';

// The scans that decide what goes with a setting read the blanks (and dashes) next to it, not its whole line:
// each flag of a `docker run` line of 20,000 flags costs what it costs on a short line.

/** Where the run of spaces and tabs that ends at `offset` begins. */
function blanksBefore(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && (text[i - 1] === ' ' || text[i - 1] === '\t')) i--;
  return i;
}

/** Where the run of spaces and tabs that begins at `offset` ends. */
function blanksAfter(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  return i;
}

function isLineStart(text: string, offset: number): boolean {
  return offset === 0 || text[offset - 1] === '\n';
}

/** The start of the line of `offset` when only blanks and dashes (an item's `- `) lie between them. */
function indentStart(text: string, offset: number): number | undefined {
  let i = offset;
  while (i > 0 && (text[i - 1] === ' ' || text[i - 1] === '\t' || text[i - 1] === '-')) i--;
  return isLineStart(text, i) ? i : undefined;
}

function lineEnd(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl < 0 ? text.length : nl;
}

/** Whole lines [start, end] when nothing else is on them (a trailing comment goes too). */
function removeLines(text: string, span: Span, prefix = /^[ \t]*$/): TextEdit | undefined {
  const ls = indentStart(text, span.start);
  if (ls === undefined || !prefix.test(text.slice(ls, span.start))) return undefined;
  const le = lineEnd(text, span.end);
  if (!/^[ \t]*(#.*)?\r?$/.test(text.slice(span.end, le))) return undefined;
  return { start: ls, end: Math.min(le + 1, text.length), newText: '' };
}

/** How many list items each key of a service holds in the service's own text, counted once per service. */
const ownItemCounts = new WeakMap<DockerContainer, Map<string, number>>();

function ownItemCount(c: DockerContainer, field: string): number {
  let counts = ownItemCounts.get(c);
  if (!counts) {
    counts = new Map();
    const s = c.settings;
    for (const list of [s.capAdd, s.capDrop, s.devices, s.securityOpt, s.groupAdd, s.sysctls] as readonly (readonly Setting<unknown>[])[]) {
      for (const x of list) if (x.inheritedFrom === undefined) counts.set(x.field, (counts.get(x.field) ?? 0) + 1);
    }
    ownItemCounts.set(c, counts);
  }
  return counts.get(field) ?? 0;
}

/** Removes one setting; undefined when no minimal edit does it (flow maps, inherited settings). */
export function removeSetting(text: string, c: DockerContainer, setting: Setting<unknown>): TextEdit[] | undefined {
  if (!own(c, setting)) return undefined;
  if (c.kind === 'docker-run') return removeFlag(text, setting.span);
  const key = c.keys[setting.field];
  const isItem = key !== undefined && setting.span.start > key.key.start;
  if (!isItem) {
    const edit = removeLines(text, setting.span);
    return edit ? [edit] : undefined;
  }
  if (ownItemCount(c, setting.field) === 1) {
    const edit = removeLines(text, key.pair);
    return edit ? [edit] : undefined;
  }
  const block = removeLines(text, setting.span, /^[ \t]*-[ \t]*$/) ?? removeLines(text, setting.span);
  if (block) return [block];
  // A flow sequence item: take the following `, ` (or the preceding one for the last item).
  const after = /^\s*,\s*/.exec(text.slice(setting.span.end));
  if (after) return [{ start: setting.span.start, end: setting.span.end + after[0].length, newText: '' }];
  const before = /,\s*$/.exec(text.slice(0, setting.span.start));
  return before ? [{ start: setting.span.start - before[0].length, end: setting.span.end, newText: '' }] : undefined;
}

/** A flag alone on a continuation line goes with its line; otherwise with the blanks before (or after) it. */
function removeFlag(text: string, span: Span): TextEdit[] {
  const start = blanksBefore(text, span.start);
  if (isLineStart(text, start)) {
    const le = lineEnd(text, span.end);
    if (/^[ \t]*\\\r?$/.test(text.slice(span.end, le))) return [{ start, end: Math.min(le + 1, text.length), newText: '' }];
  }
  if (start < span.start) return [{ start, end: span.end, newText: '' }];
  // Inside a group of short flags (`-itu 1000`): just the flag and its value.
  if (!isLineStart(text, span.start)) return [{ start: span.start, end: span.end, newText: '' }];
  return [{ start: span.start, end: blanksAfter(text, span.end), newText: '' }];
}

/** Whether a setting is written inside the container's own text (not in an anchor or a base service). */
function own(c: DockerContainer, setting: Setting<unknown>): boolean {
  return setting.inheritedFrom === undefined && setting.span.start >= c.span.start && setting.span.end <= c.span.end;
}

/** Sets the user: replaces `user:`/`--user`'s value, or adds one (first key of the service, right after `docker run`). */
export function setUser(text: string, c: DockerContainer, user: string): TextEdit[] | undefined {
  const existing = c.settings.user;
  if (existing && own(c, existing)) {
    return [{ start: existing.valueSpan.start, end: existing.valueSpan.end, newText: c.kind === 'compose-service' ? `"${user}"` : user }];
  }
  if (existing) return undefined;
  if (c.kind === 'docker-run') return [{ start: c.nameSpan.end, end: c.nameSpan.end, newText: ` --user ${user}` }];
  const ls = blanksBefore(text, c.bodySpan.start);
  if (ls === c.bodySpan.start || !isLineStart(text, ls) || text[c.bodySpan.start] === '{') return undefined;
  const indent = text.slice(ls, c.bodySpan.start);
  return [{ start: ls, end: ls, newText: `${indent}user: "${user}"\n` }];
}
