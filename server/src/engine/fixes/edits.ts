/**
 * Minimal YAML text edits at node spans: everything they do not touch stays byte-identical
 * (comments, quoting, flow/block style, indentation). IMPLEMENTATION PENDING (fixes engineer).
 */
import type { YAMLMap, YAMLSeq } from 'yaml';
import type { Span, TextEdit } from '../types';

/** Sets `owner.path[0].path[1]…` to the YAML text `valueYaml`, creating missing maps in the file's own indentation style; replaces an existing value. */
export function setField(text: string, owner: YAMLMap<unknown, unknown>, path: readonly string[], valueYaml: string): TextEdit[] {
  void text; void owner; void path; void valueYaml;
  return [];
}

/** Removes the `key: value` pair (its whole lines, with a trailing comment on them) from a block or flow map. */
export function removeField(text: string, map: YAMLMap<unknown, unknown>, key: string): TextEdit[] {
  void text; void map; void key;
  return [];
}

/** Removes one item of a block or flow sequence. */
export function removeListItem(text: string, seq: YAMLSeq<unknown>, index: number): TextEdit[] {
  void text; void seq; void index;
  return [];
}

/** Adds items (union, order kept, no duplicates) to the list at `owner.path`, keeping its flow/block style or creating it. */
export function appendToList(text: string, owner: YAMLMap<unknown, unknown>, path: readonly string[], items: readonly string[]): TextEdit[] {
  void text; void owner; void path; void items;
  return [];
}

export function replaceSpan(span: Span, newText: string): TextEdit[] {
  return [{ start: span.start, end: span.end, newText }];
}
