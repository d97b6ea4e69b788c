/** Moving pod-level capabilities into containers. */
import { isScalar, type YAMLSeq } from 'yaml';
import type { ContainerModel, PodModel } from '../kubernetes/model';
import type { Fix, TextEdit } from '../types';
import { asMap, asSeq, pairOf } from '../yaml/nodes';
import { listStyleOf, normalizeEdits, removePath, tryWriteChanges, type Change, type ListStyle } from './edits';

interface CapabilityList {
  readonly key: 'add' | 'drop';
  readonly items: readonly string[];
  /** How the pod-level list is written: a list created in a container is written the same way. */
  readonly style: ListStyle;
}

function names(seq: YAMLSeq<unknown>): string[] {
  const out: string[] = [];
  for (const item of seq.items) {
    if (isScalar(item) && (typeof item.value === 'string' || typeof item.value === 'number') && !out.includes(String(item.value))) out.push(String(item.value));
  }
  return out;
}

/** The pod-level `add` and `drop` lists that have names in them. */
function podLists(text: string, pod: PodModel): CapabilityList[] {
  const caps = asMap(pairOf(pod.securityContext, 'capabilities')?.value);
  const lists: CapabilityList[] = [];
  for (const key of ['add', 'drop'] as const) {
    const pair = pairOf(caps, key);
    const seq = asSeq(pair?.value);
    if (!pair || !seq) continue;
    const items = names(seq);
    if (items.length) lists.push({ key, items, style: listStyleOf(text, seq, pair) });
  }
  return lists;
}

/** Edits that merge the lists into one container (union, its own order first, its own list style kept). */
function mergeInto(text: string, container: ContainerModel, lists: readonly CapabilityList[]): TextEdit[] | undefined {
  const changes: Change[] = lists.map((l) => ({ path: ['securityContext', 'capabilities', l.key], leaf: { kind: 'list', items: l.items, style: l.style } }));
  return tryWriteChanges(text, container.node, changes);
}

function moveFix(text: string, pod: PodModel, targets: readonly ContainerModel[], lists: readonly CapabilityList[], title: string, preferred: boolean): Fix | undefined {
  const edits = [...removePath(text, pod.spec, ['securityContext', 'capabilities'])];
  if (edits.length === 0) return undefined;
  for (const container of targets) {
    const merged = mergeInto(text, container, lists);
    if (!merged) return undefined; // a container whose securityContext is not a map: no silent loss
    edits.push(...merged);
  }
  // The pod level applies to no container: an `add` that reaches containers grants capabilities they do not
  // have today (unsafe for --fix and fix-all, still the preferred quick fix). Moving only `drop` narrows: safe.
  const grants = targets.length > 0 && lists.some((l) => l.key === 'add');
  return { title, safety: grants ? 'unsafe' : 'safe', ...(preferred ? { preferred } : {}), edits: normalizeEdits(edits) };
}

/**
 * "Move capabilities to all containers" (preferred; unsafe when it moves an `add`, safe for `drop` alone): removes the pod-level `capabilities` (and the pod
 * securityContext when nothing else is in it) and merges its `add`/`drop` into every container, init and
 * ephemeral containers included; then, when there is more than one container, one "Move capabilities to
 * container "X" only" per container. Without names to move, the one fix removes the pod-level field.
 */
export function moveCapabilitiesFixes(text: string, pod: PodModel): Fix[] {
  if (!pairOf(pod.securityContext, 'capabilities')) return [];
  const lists = podLists(text, pod);
  if (lists.length === 0 || pod.containers.length === 0) {
    const fix = moveFix(text, pod, [], [], 'Remove the pod-level capabilities (they apply to no container)', true);
    return fix ? [fix] : [];
  }
  const fixes: Fix[] = [];
  const all = moveFix(text, pod, pod.containers, lists, 'Move capabilities to all containers', true);
  if (all) fixes.push(all);
  if (pod.containers.length > 1) {
    for (const container of pod.containers) {
      const one = moveFix(text, pod, [container], lists, `Move capabilities to container "${container.name}" only`, false);
      if (one) fixes.push(one);
    }
  }
  return fixes;
}
