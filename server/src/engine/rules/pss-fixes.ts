/**
 * Fix builders shared by the Pod Security rules, over the fix layer (../fixes): find the container a
 * violation path points into, and replace a scalar value in place (keeping its quoting).
 */
import { isScalar, type Node } from 'yaml';
import type { PodModel } from '../kubernetes/model';
import { replaceSpan } from '../fixes/edits';
import { deepestNode, isQuoted, spanOf, type YamlPath } from '../yaml/nodes';
import type { Fix, TextEdit } from '../types';

/** The container a violation path (relative to the pod object) points into, if any: an indexed lookup. */
export { containerAtPath as containerAt } from '../fixes/fields';

/**
 * Replaces the scalar at `path` (relative to the pod object) by `value`, in the same quotes it was written
 * with: `type: Unconfined` → `type: RuntimeDefault`. No fix when the path does not end at a scalar.
 */
export function replaceValueFix(pod: PodModel, path: YamlPath, value: string, title: string): Fix[] {
  const found = deepestNode(pod.podObject as unknown as Node, path);
  if (found.depth !== path.length || !isScalar(found.node)) return [];
  const span = spanOf(found.node);
  if (!span || span.end <= span.start) return [];
  const quote = !isQuoted(found.node) ? '' : found.node.type === 'QUOTE_DOUBLE' ? '"' : "'";
  return unsafeFix(title, replaceSpan(span, `${quote}${value}${quote}`));
}

/** The preferred, unsafe fix with these edits; none when a builder had nothing to edit. */
export function unsafeFix(title: string, edits: readonly TextEdit[]): Fix[] {
  return edits.length ? [{ title, safety: 'unsafe', preferred: true, edits }] : [];
}
