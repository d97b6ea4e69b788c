/** Reading typed securityContext values from YAML, as the API server would decode them. */
import type { Node, Scalar, YAMLMap } from 'yaml';
import type { Span } from '../types';
import { aliasName, asScalar, pairOf, seqAt, spanOf } from '../yaml/nodes';

export interface FieldValue<T> {
  readonly value: T;
  /** The value's span. */
  readonly span: Span;
  /** The key's span. */
  readonly keySpan: Span;
  /** `*name` when the value is an alias: `span` is then the anchor's value. */
  readonly alias?: string;
}

export const MAX_ID = 2147483647;

function field<T>(map: YAMLMap<unknown, unknown> | undefined, key: string, read: (s: Scalar) => T | undefined): FieldValue<T> | undefined {
  const pair = pairOf(map, key);
  const s = asScalar(pair?.value);
  if (!pair || !s) return undefined;
  const value = read(s);
  const span = spanOf(s);
  const keySpan = spanOf(pair.key as Node);
  if (value === undefined || !span || !keySpan) return undefined;
  const alias = aliasName(pair.value);
  return alias ? { value, span, keySpan, alias } : { value, span, keySpan };
}

/** A user or group id the API accepts: an integer in [0, 2147483647]. */
export function idField(map: YAMLMap<unknown, unknown> | undefined, key: string): FieldValue<number> | undefined {
  return field(map, key, (s) => (typeof s.value === 'number' && Number.isInteger(s.value) && s.value >= 0 && s.value <= MAX_ID ? s.value : undefined));
}

export function boolField(map: YAMLMap<unknown, unknown> | undefined, key: string): FieldValue<boolean> | undefined {
  return field(map, key, (s) => (typeof s.value === 'boolean' ? s.value : undefined));
}

export function stringField(map: YAMLMap<unknown, unknown> | undefined, key: string): FieldValue<string> | undefined {
  return field(map, key, (s) => (typeof s.value === 'string' ? s.value : undefined));
}

export interface ListItem {
  readonly value: string;
  readonly span: Span;
}

/** String items of a sequence (non-strings skipped). */
export function stringList(map: YAMLMap<unknown, unknown> | undefined, key: string): ListItem[] {
  const out: ListItem[] = [];
  for (const item of seqAt(map, key)?.items ?? []) {
    const s = asScalar(item);
    const span = spanOf(s);
    if (s && span && (typeof s.value === 'string' || typeof s.value === 'number')) out.push({ value: String(s.value), span });
  }
  return out;
}

export function idList(map: YAMLMap<unknown, unknown> | undefined, key: string): number[] {
  const out: number[] = [];
  for (const item of seqAt(map, key)?.items ?? []) {
    const v = asScalar(item)?.value;
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0) out.push(v);
  }
  return out;
}
