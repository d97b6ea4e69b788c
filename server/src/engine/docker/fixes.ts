/**
 * Minimal text edits on Compose services and `docker run` lines: remove one setting (its lines, its
 * flow-list item, or its flag), replace a value, set the user. Everything else stays byte-identical.
 * Settings inherited through `extends` are not edited (the edit would change the base service).
 */
import type { Span, TextEdit } from '../types';
import type { DockerContainer, Setting } from './model';
export { containerLabel } from './findings';

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function lineEnd(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl < 0 ? text.length : nl;
}

/** Whole lines [start, end] when nothing else is on them (a trailing comment goes too). */
function removeLines(text: string, span: Span, prefix = /^[ \t]*$/): TextEdit | undefined {
  const ls = lineStart(text, span.start);
  const le = lineEnd(text, span.end);
  if (!prefix.test(text.slice(ls, span.start)) || !/^[ \t]*(#.*)?\r?$/.test(text.slice(span.end, le))) return undefined;
  return { start: ls, end: Math.min(le + 1, text.length), newText: '' };
}

function composeList(c: DockerContainer, field: string): readonly Setting<unknown>[] {
  const s = c.settings;
  const all: readonly Setting<unknown>[] = [...s.capAdd, ...s.capDrop, ...s.devices, ...s.securityOpt, ...s.groupAdd, ...s.sysctls];
  return all.filter((x) => x.field === field && x.inheritedFrom === undefined);
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
  if (composeList(c, setting.field).length === 1) {
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
  const ls = lineStart(text, span.start);
  const le = lineEnd(text, span.end);
  if (/^[ \t]*$/.test(text.slice(ls, span.start)) && /^[ \t]*\\\r?$/.test(text.slice(span.end, le))) {
    return [{ start: ls, end: Math.min(le + 1, text.length), newText: '' }];
  }
  let start = span.start;
  while (start > ls && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--;
  if (start < span.start) return [{ start, end: span.end, newText: '' }];
  // Inside a group of short flags (`-itu 1000`): just the flag and its value.
  if (span.start > ls) return [{ start: span.start, end: span.end, newText: '' }];
  let end = span.end;
  while (end < le && (text[end] === ' ' || text[end] === '\t')) end++;
  return [{ start: span.start, end, newText: '' }];
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
  const ls = lineStart(text, c.bodySpan.start);
  const indent = text.slice(ls, c.bodySpan.start);
  if (!/^[ \t]+$/.test(indent) || text[c.bodySpan.start] === '{') return undefined;
  return [{ start: ls, end: ls, newText: `${indent}user: "${user}"\n` }];
}
