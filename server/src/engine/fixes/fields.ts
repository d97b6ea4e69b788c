/**
 * Fixes that set, move and remove securityContext fields, built on the text edits in ./edits.
 * Safety follows Biome's terms: moving a misplaced field carries out what the manifest says (safe, unless the
 * field then grants something the containers cannot do today: ./grants); setting or removing a value changes
 * what the workload may do (unsafe).
 */
import { isMap, isScalar, isSeq, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { imageUserOf } from '../images/user';
import type { ContainerModel, PodModel } from '../kubernetes/model';
import type { AnalysisOptions } from '../options';
import type { Fix, TextEdit } from '../types';
import { asMap, asSeq, pairOf, type YamlPath } from '../yaml/nodes';
import { decoded, safetyFor } from './grants';
import { FLOW_LIST, blockLines, inlineText, normalizeEdits, quoteOf, removeListItems, removePath, replaceEntry, scalarText, tryWriteChanges, writeChanges, type Change, type Leaf } from './edits';

/** The capability restricted allows to be added back. */
export const RESTRICTED_ADDABLE_CAPABILITIES: readonly string[] = ['NET_BIND_SERVICE'];

function quoteNames(names: readonly string[]): string {
  return names.map((n) => `"${n}"`).join(', ');
}

/** The preferred, unsafe fix with these edits; none when a builder had nothing to edit. */
export function unsafeFix(title: string, edits: readonly TextEdit[]): Fix[] {
  return edits.length ? [{ title, safety: 'unsafe', preferred: true, edits }] : [];
}

/** A trie of container paths: each step of a path leads to the container at that prefix, or further. */
interface ContainerTrie {
  container?: ContainerModel;
  readonly next: Map<string | number, ContainerTrie>;
}

/** Each pod's containers by path: one walk along a violation path finds its container. */
const containerIndex = new WeakMap<PodModel, ContainerTrie>();

/** The container a path (relative to the pod object) points into (the shortest prefix that is a container's path). */
export function containerAtPath(pod: PodModel, path: YamlPath): ContainerModel | undefined {
  let root = containerIndex.get(pod);
  if (!root) {
    root = { next: new Map() };
    for (const c of pod.containers) {
      let node = root;
      for (const step of c.path) {
        let child = node.next.get(step);
        if (!child) node.next.set(step, (child = { next: new Map() }));
        node = child;
      }
      node.container ??= c;
    }
    containerIndex.set(pod, root);
  }
  let node: ContainerTrie | undefined = root;
  for (let i = 0; node && !node.container && i < path.length; i++) node = node.next.get(path[i]);
  return node?.container;
}

/** The value of a pair as something to write elsewhere: its one-line text, or its block lines. */
function leafOf(text: string, pair: Pair<unknown, unknown>): Leaf | undefined {
  const inline = inlineText(text, pair.value);
  if (inline !== undefined) return { kind: 'value', text: inline };
  const lines = blockLines(text, pair);
  return lines ? { kind: 'block', lines } : undefined;
}

/** Compares values as the API server would decode them. */
function sameValue(a: unknown, b: unknown): boolean {
  const json = (v: unknown): string => JSON.stringify(decoded(v) ?? null);
  return json(a) === json(b);
}

function plural(names: readonly string[]): string {
  return names.length > 1 ? `containers ${quoteNames(names)}` : `container ${quoteNames(names)}`;
}

/**
 * Moves a container-only field from the pod securityContext into every container (a container's own value
 * wins; the title says so). Safe when the value only narrows (`readOnlyRootFilesystem: true`): the field does
 * nothing at pod level, and this is where it was meant to go. Unsafe when it grants (`privileged: true`,
 * `procMount: Unmasked`): the containers that take it can then do what they cannot today.
 */
export function moveFieldToContainersFix(text: string, pod: PodModel, field: string): Fix[] {
  const pair = pairOf(pod.securityContext, field);
  if (!pair) return [];
  const edits: TextEdit[] = [...removePath(text, pod.spec, ['securityContext', field])];
  if (edits.length === 0) return [];
  const keepers = pod.containers.filter((c) => pairOf(c.securityContext, field));
  const targets = pod.containers.filter((c) => !pairOf(c.securityContext, field));
  const leaf = pair.value === null || (isScalar(pair.value) && pair.value.value === null) ? undefined : leafOf(text, pair);
  if (leaf) {
    for (const container of targets) {
      const set = tryWriteChanges(text, container.node, [{ path: ['securityContext', field], leaf }]);
      if (!set) return [];
      edits.push(...set);
    }
  }
  const title = !leaf
    ? `Remove the empty ${field} from the pod securityContext`
    : pod.containers.length === 0
      ? `Remove ${field} from the pod securityContext (there are no containers)`
      : targets.length === 0
        ? `Remove ${field} from the pod securityContext (every container sets its own)`
        : keepers.length === 0
          ? `Move ${field} to all containers`
          : `Move ${field} to all containers (${plural(keepers.map((c) => c.name))} keep${keepers.length > 1 ? '' : 's'} its own)`;
  const safety = leaf && targets.length > 0 ? safetyFor(field, decoded(pair.value)) : 'safe';
  return [{ title, safety, preferred: true, edits: normalizeEdits(edits) }];
}

/**
 * Hoists a pod-only field from a container to the pod (removing it from every container that sets the same
 * value); returns the reason as a string when another container, or the pod, has a different value.
 * Removing a copy the pod already sets is safe (it did nothing); writing it at pod level is unsafe when it
 * grants (`fsGroup`, `supplementalGroups`, `sysctls`): there it applies to every container, not only this one.
 */
export function hoistFieldToPodFix(text: string, pod: PodModel, container: ContainerModel, field: string): Fix[] | string {
  const pair = pairOf(container.securityContext, field);
  if (!pair) return [];
  const setters = pod.containers.filter((c) => pairOf(c.securityContext, field));
  const disagree = setters.filter((c) => !sameValue(pairOf(c.securityContext, field)?.value, pair.value));
  if (disagree.length) {
    return `It cannot simply move to the pod: ${plural(disagree.map((c) => c.name))} set${disagree.length > 1 ? '' : 's'} a different ${field}.`;
  }
  const podPair = pairOf(pod.securityContext, field);
  if (podPair && !sameValue(podPair.value, pair.value)) {
    return `It cannot simply move to the pod: the pod securityContext sets a different ${field}, which applies to every container.`;
  }
  const edits: TextEdit[] = [];
  for (const c of setters) edits.push(...removePath(text, c.node, ['securityContext', field]));
  if (!podPair) {
    const leaf = leafOf(text, pair);
    const set = leaf && tryWriteChanges(text, pod.spec, [{ path: ['securityContext', field], leaf }]);
    if (!set || set.length === 0) return [];
    edits.push(...set);
  }
  const title = podPair
    ? `Remove ${field} from the container${setters.length > 1 ? 's' : ''} (the pod securityContext already sets it)`
    : `Move ${field} to the pod securityContext`;
  return [{ title, safety: podPair ? 'safe' : safetyFor(field, decoded(pair.value)), preferred: true, edits: normalizeEdits(edits) }];
}

/** A uid the container's image is known to run as (a linked Dockerfile, image facts, the table), else `defaultNonRootUid`. */
export function nonRootUid(container: ContainerModel, options: AnalysisOptions): number {
  const uid = container.image ? imageUserOf(options, container.image)?.uid : undefined;
  return uid !== undefined && uid > 0 ? uid : options.defaultNonRootUid;
}

/** A `runAsUser` that is written down and not 0 (whatever its type: the type is another rule's business). */
function setsNonZeroUser(map: YAMLMap<unknown, unknown> | undefined): boolean | undefined {
  const pair = pairOf(map, 'runAsUser');
  if (!pair || !isScalar(pair.value) || pair.value.value === null) return undefined;
  return pair.value.value !== 0;
}

/** `runAsNonRoot` as written in a securityContext: true, false, or undefined when absent or not a boolean. */
function requiresNonRoot(map: YAMLMap<unknown, unknown> | undefined): boolean | undefined {
  const value = pairOf(map, 'runAsNonRoot')?.value;
  return isScalar(value) && typeof value.value === 'boolean' ? value.value : undefined;
}

/**
 * Sets securityContext fields in one container: `non-root` → runAsNonRoot: true unless the container (or the pod)
 * already requires it, plus runAsUser: <uid> unless the container (or the pod) already runs as a non-zero uid; `numeric-user` → runAsUser: <uid>. The uid comes
 * from a linked Dockerfile when known, else options.defaultNonRootUid. Unsafe: the image must work as that user.
 */
export function setFieldFixes(text: string, pod: PodModel, container: ContainerModel, options: AnalysisOptions, what: 'non-root' | 'numeric-user'): Fix[] {
  const uid = nonRootUid(container, options);
  const changes: Change[] = [];
  let title: string;
  if (what === 'non-root') {
    // Already required when the container says so, or the pod does and the container does not say otherwise.
    const required = requiresNonRoot(container.securityContext) ?? requiresNonRoot(pod.securityContext) ?? false;
    if (!required) changes.push({ path: ['securityContext', 'runAsNonRoot'], leaf: { kind: 'value', text: 'true' } });
    const nonZero = setsNonZeroUser(container.securityContext) ?? setsNonZeroUser(pod.securityContext);
    if (nonZero !== true) changes.push({ path: ['securityContext', 'runAsUser'], leaf: { kind: 'value', text: String(uid) } });
    if (changes.length === 0) return [];
    title = nonZero === true ? 'Require a non-root user (runAsNonRoot: true)'
      : required ? `Run as non-root uid ${uid} (runAsUser: ${uid})`
      : `Run as non-root uid ${uid} (runAsNonRoot: true, runAsUser: ${uid})`;
  } else {
    changes.push({ path: ['securityContext', 'runAsUser'], leaf: { kind: 'value', text: String(uid) } });
    title = `Run as uid ${uid} (runAsUser: ${uid})`;
  }
  return unsafeFix(title, writeChanges(text, container.node, changes));
}

/**
 * `runAsNonRoot: true` in the pod securityContext, for every container that does not say otherwise, plus
 * `runAsUser: <uid>` unless the pod already runs as a non-zero uid, so the kubelet can verify the user. The uid is
 * the one every container's image is known to run as when they agree, else options.defaultNonRootUid. Unsafe.
 */
export function podNonRootFixes(text: string, pod: PodModel, options: AnalysisOptions): Fix[] {
  const uids = new Set(pod.containers.map((c) => nonRootUid(c, options)));
  const uid = uids.size === 1 ? [...uids][0] : options.defaultNonRootUid;
  const changes: Change[] = [{ path: ['securityContext', 'runAsNonRoot'], leaf: { kind: 'value', text: 'true' } }];
  const nonZero = setsNonZeroUser(pod.securityContext) === true;
  if (!nonZero) changes.push({ path: ['securityContext', 'runAsUser'], leaf: { kind: 'value', text: String(uid) } });
  const title = nonZero ? 'Require a non-root user for the pod (runAsNonRoot: true)' : `Run the pod as non-root uid ${uid} (runAsNonRoot: true, runAsUser: ${uid})`;
  return unsafeFix(title, writeChanges(text, pod.spec, changes));
}

interface Located {
  /** The map holding the last key, or the sequence holding the last index. */
  readonly parent: YAMLMap<unknown, unknown> | YAMLSeq<unknown>;
  readonly last: string | number;
  /** Where pruning of emptied maps stops: the map after the last list index, or the pod spec. */
  readonly root: YAMLMap<unknown, unknown>;
  /** Keys from root to the field (when the path ends at a key). */
  readonly keys: readonly string[];
  readonly value: unknown;
}

function locate(pod: PodModel, path: YamlPath): Located | undefined {
  if (path.length === 0) return undefined;
  let node: unknown = pod.podObject;
  let root: YAMLMap<unknown, unknown> = pod.podObject;
  let keys: string[] = [];
  for (let i = 0; i < path.length - 1; i++) {
    const step = path[i];
    if (typeof step === 'number') node = asSeq(node)?.items[step];
    else node = pairOf(asMap(node), step)?.value;
    const map = asMap(node);
    if (!map && !asSeq(node)) return undefined;
    if (map && (typeof step === 'number' || map === pod.spec)) {
      root = map;
      keys = [];
    } else if (typeof step === 'string') keys.push(step);
  }
  const last = path[path.length - 1];
  if (typeof last === 'number') {
    const seq = asSeq(node);
    if (!seq || last >= seq.items.length) return undefined;
    return { parent: seq, last, root, keys, value: seq.items[last] };
  }
  const map = asMap(node);
  const pair = pairOf(map, last);
  if (!map || !pair) return undefined;
  return { parent: map, last, root, keys: [...keys, last], value: pair.value };
}

/** Removes the field at `path` (relative to the pod object), e.g. `privileged: true`, or one list item. Unsafe. */
export function removeFieldFix(text: string, pod: PodModel, path: readonly (string | number)[]): Fix[] {
  const found = locate(pod, path);
  if (!found) return [];
  const shown = inlineText(text, found.value);
  if (typeof found.last === 'number') {
    if (!isSeq(found.parent)) return [];
    return unsafeFix(`Remove ${shown ?? 'the item'}`, removeListItems(text, found.parent, [found.last]));
  }
  const what = shown !== undefined && shown.length <= 40 ? `${found.last}: ${shown}` : found.last;
  return unsafeFix(`Remove ${what}`, removePath(text, found.root, found.keys));
}

/** Sets `securityContext.<field>: <valueYaml>` in the container that `path` (relative to the pod object) points into. Unsafe. */
export function setContainerFieldFix(text: string, pod: PodModel, path: readonly (string | number)[], field: string, valueYaml: string, title: string): Fix[] {
  const container = containerAtPath(pod, path);
  if (!container) return [];
  return unsafeFix(title, writeChanges(text, container.node, [{ path: ['securityContext', field], leaf: { kind: 'value', text: valueYaml } }]));
}

/** Sets `spec.securityContext.<path>: <valueYaml>` for the whole pod. Unsafe. */
export function setPodFieldFix(text: string, pod: PodModel, path: readonly string[], valueYaml: string, title: string): Fix[] {
  return unsafeFix(title, writeChanges(text, pod.spec, [{ path: ['securityContext', ...path], leaf: { kind: 'value', text: valueYaml } }]));
}

/**
 * Replaces the scalar at `path` (relative to the pod object) by `value`, in the quotes it was written with
 * (`type: Unconfined` → `type: RuntimeDefault`, an annotation `unconfined` → `runtime/default`). Unsafe.
 */
export function replaceScalarFix(text: string, pod: PodModel, path: YamlPath, value: string, title: string): Fix[] {
  const found = locate(pod, path);
  if (!found || !isScalar(found.value) || !found.value.range || found.value.range[1] <= found.value.range[0]) return [];
  const [start, end] = found.value.range;
  const newText = scalarText(value, quoteOf(found.value));
  return text.slice(start, end) === newText ? [] : unsafeFix(title, [{ start, end, newText }]);
}

/**
 * A seccomp or AppArmor profile at `path` set to the runtime's default where it is written: the
 * deprecated annotation (`metadata.annotations…`) takes `runtime/default`, the field `RuntimeDefault`. Unsafe.
 */
export function runtimeDefaultProfileFix(text: string, pod: PodModel, path: YamlPath, profile: 'seccomp' | 'AppArmor'): Fix[] {
  const value = path[0] === 'metadata' ? 'runtime/default' : 'RuntimeDefault';
  return replaceScalarFix(text, pod, path, value, `Use the runtime's default ${profile} profile (${value})`);
}

/** `seccompProfile: {type: RuntimeDefault}` in the pod securityContext (every container without its own inherits it). Unsafe. */
export function podSeccompRuntimeDefaultFix(text: string, pod: PodModel): Fix[] {
  return setPodFieldFix(text, pod, ['seccompProfile', 'type'], 'RuntimeDefault', 'Use the runtime\'s default seccomp profile for the pod (RuntimeDefault)');
}

/** `seccompProfile.type: RuntimeDefault` in one container. Unsafe. */
export function containerSeccompRuntimeDefaultFix(text: string, container: ContainerModel): Fix[] {
  return unsafeFix('Use the runtime\'s default seccomp profile (RuntimeDefault)', writeChanges(text, container.node, [{ path: ['securityContext', 'seccompProfile', 'type'], leaf: { kind: 'value', text: 'RuntimeDefault' } }]));
}

/** `allowPrivilegeEscalation: false` in one container. Unsafe. */
export function disallowPrivilegeEscalationFix(text: string, container: ContainerModel): Fix[] {
  return unsafeFix('Set allowPrivilegeEscalation: false', writeChanges(text, container.node, [{ path: ['securityContext', 'allowPrivilegeEscalation'], leaf: { kind: 'value', text: 'false' } }]));
}

/**
 * A `drop` entry that means ALL to the runtime but not to Pod Security (`all`, `CAP_ALL`): the fix respells it
 * instead of adding a second `ALL` (with capability-case's fix in the same pass that wrote `drop: [ALL, ALL]`).
 */
function misspelledDropAll(container: ContainerModel): { start: number; end: number; quote: ReturnType<typeof quoteOf>; inList: boolean } | undefined {
  const value = pairOf(asMap(pairOf(container.securityContext, 'capabilities')?.value), 'drop')?.value;
  const seq = asSeq(value);
  const items = seq ? seq.items : [value];
  for (const item of items) {
    if (!isScalar(item) || typeof item.value !== 'string' || !item.range) continue;
    if (item.value === 'ALL') return undefined;
    const upper = item.value.toUpperCase();
    if (upper === 'ALL' || upper === 'CAP_ALL') return { start: item.range[0], end: item.range[1], quote: quoteOf(item), inList: !!seq };
  }
  return undefined;
}

function dropAllEdits(text: string, container: ContainerModel): TextEdit[] | undefined {
  const spelled = misspelledDropAll(container);
  if (spelled) return [{ start: spelled.start, end: spelled.end, newText: spelled.inList ? scalarText('ALL', spelled.quote) : `[${scalarText('ALL', spelled.quote)}]` }];
  return tryWriteChanges(text, container.node, [{ path: ['securityContext', 'capabilities', 'drop'], leaf: { kind: 'list', items: ['ALL'], style: FLOW_LIST } }]);
}

/** Adds `ALL` to the container's `capabilities.drop` (keeping the list's style, or creating `drop: ["ALL"]`). Unsafe. */
export function dropAllCapabilitiesFix(text: string, container: ContainerModel): Fix[] {
  return unsafeFix('Drop all capabilities (drop: ["ALL"])', dropAllEdits(text, container) ?? []);
}

function addedCapabilities(container: ContainerModel): { seq: YAMLSeq<unknown>; forbidden: number[]; names: string[] } | undefined {
  const seq = asSeq(pairOf(asMap(pairOf(container.securityContext, 'capabilities')?.value), 'add')?.value);
  if (!seq) return undefined;
  const forbidden: number[] = [];
  const names: string[] = [];
  seq.items.forEach((item, i) => {
    const name = isScalar(item) && item.value !== null ? String(item.value) : undefined;
    if (name === undefined || RESTRICTED_ADDABLE_CAPABILITIES.includes(name)) return;
    forbidden.push(i);
    if (!names.includes(name)) names.push(name);
  });
  return { seq, forbidden, names };
}

/**
 * Removes one added capability (the `add` item at `index`; the whole `add` when it is the only item). Unsafe:
 * the workload loses what the capability allowed.
 */
export function removeAddedCapabilityFix(text: string, container: ContainerModel, index: number): Fix[] {
  // Called once per added name: reads only the one item (10,000 adds stay linear).
  const seq = asSeq(pairOf(asMap(pairOf(container.securityContext, 'capabilities')?.value), 'add')?.value);
  const item = seq?.items[index];
  if (!seq || !isScalar(item) || item.value === null) return [];
  const edits = seq.items.length === 1 ? removePath(text, container.node, ['securityContext', 'capabilities', 'add']) : removeListItems(text, seq, [index]);
  return unsafeFix(`Remove capability ${String(item.value)}`, edits);
}

/** Removes the capabilities a container adds other than NET_BIND_SERVICE (restricted allows only that one). Unsafe. */
export function removeForbiddenCapabilitiesFix(text: string, container: ContainerModel): Fix[] {
  const added = addedCapabilities(container);
  if (!added || added.forbidden.length === 0) return [];
  const all = added.forbidden.length === added.seq.items.length;
  const edits = all ? removePath(text, container.node, ['securityContext', 'capabilities', 'add']) : removeListItems(text, added.seq, added.forbidden);
  return unsafeFix(`Remove added capabilities other than NET_BIND_SERVICE (${added.names.join(', ')})`, edits);
}

/**
 * What restricted asks of a container's capabilities, in one fix: `ALL` in `drop`, nothing but NET_BIND_SERVICE
 * in `add` (an `add` left empty goes). Unsafe.
 */
export function restrictCapabilitiesFix(text: string, container: ContainerModel): Fix[] {
  const added = addedCapabilities(container);
  const drop: Change = { path: ['securityContext', 'capabilities', 'drop'], leaf: { kind: 'list', items: ['ALL'], style: FLOW_LIST } };
  if (!added || added.forbidden.length === 0) return dropAllCapabilitiesFix(text, container);
  const caps = asMap(pairOf(container.securityContext, 'capabilities')?.value);
  const all = added.forbidden.length === added.seq.items.length;
  let edits: TextEdit[] | undefined;
  if (all && caps && !pairOf(caps, 'drop') && caps.items.length === 1) {
    edits = replaceEntry(text, caps, 'add', 'drop', drop.leaf);
  } else {
    const removal = all ? removePath(text, container.node, ['securityContext', 'capabilities', 'add']) : removeListItems(text, added.seq, added.forbidden);
    const set = dropAllEdits(text, container);
    edits = set && normalizeEdits([...removal, ...set]);
  }
  return unsafeFix(`Drop all capabilities and remove added ones other than NET_BIND_SERVICE (${added.names.join(', ')})`, edits ?? []);
}

