/**
 * A kustomization file read as kustomize reads it: what it loads (resources, components, patch and
 * generator files), its patches and replacements in the order kustomize applies them, and the name
 * transformations that happen after its patches. Pure: the host resolves the paths on disk.
 */
import { isScalar, parseDocument, type Node, type Scalar } from 'yaml';
import type { Span } from '../types';
import { asMap, asScalar, asSeq, entries, mapAt, spanOf, stringAt, valueNode } from '../yaml/nodes';
import type { FieldPath, FieldStep } from './fieldPath';

export const KUSTOMIZATION_FILE_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;

export function isKustomizationFileName(base: string): boolean {
  return (KUSTOMIZATION_FILE_NAMES as readonly string[]).includes(base);
}

/** A path a kustomization makes kustomize load: a resource or component (file or directory) or a plain file. */
export interface KustomizationRef {
  readonly field: string;
  readonly value: string;
  readonly span: Span;
  /** `base`: resources/bases/components entries, which kustomize tries as a git repository when they are no local file. */
  readonly kind: 'base' | 'component' | 'file';
}

export interface Selector {
  readonly kind?: string;
  readonly name?: string;
  readonly namespace?: string;
  /** A target with a label or annotation selector: matched to every resource of the kind (secctx does not evaluate selectors). */
  readonly bySelector?: boolean;
}

/** Where an inline patch's text sits in the kustomization file: offsets in the patch map to offsets in the file. */
export interface InlineText {
  readonly text: string;
  readonly toFile: (offset: number) => number;
}

export interface PatchEntry {
  readonly field: 'patchesStrategicMerge' | 'patches' | 'patchesJson6902';
  /** The patch file, relative to the kustomization's directory. */
  readonly path?: string;
  readonly inline?: InlineText;
  readonly target?: Selector;
  readonly span: Span;
}

export interface ReplacementTarget {
  readonly select: Selector;
  readonly fieldPaths: readonly { readonly path: FieldPath; readonly span: Span }[];
}

export interface ReplacementEntry {
  /** Replacements kept in another file (`- path: replacements.yaml`), relative to the kustomization's directory. */
  readonly path?: string;
  readonly targets: readonly ReplacementTarget[];
  readonly span: Span;
}

export interface Kustomization {
  readonly kind: 'Kustomization' | 'Component';
  readonly namePrefix: string;
  readonly nameSuffix: string;
  readonly refs: readonly KustomizationRef[];
  /** In kustomize's order: patchesStrategicMerge, patches, patchesJson6902 (`configureBuiltinTransformers`). */
  readonly patches: readonly PatchEntry[];
  /** Applied after every patch of the same kustomization. */
  readonly replacements: readonly ReplacementEntry[];
  /** `helmCharts`/`helmChartInflationGenerator`: secctx runs kustomize without `--enable-helm`. */
  readonly helm?: Span;
  readonly syntaxError?: { readonly message: string; readonly span: Span };
}

/** Offsets in a block scalar's value → offsets in the file: line k of the value is line k after the header, shifted by the indentation. */
export function inlineText(fileText: string, scalar: Scalar): InlineText {
  const text = String(scalar.value ?? '');
  const start = scalar.range?.[0] ?? 0;
  if (scalar.type !== 'BLOCK_LITERAL' && scalar.type !== 'BLOCK_FOLDED') return { text, toFile: () => start };
  const firstLine = fileText.indexOf('\n', start) + 1;
  const lineStarts: number[] = [];
  for (let at = firstLine; at > 0 && at <= fileText.length; ) {
    lineStarts.push(at);
    const nl = fileText.indexOf('\n', at);
    if (nl < 0) break;
    at = nl + 1;
  }
  const indent = /^[ ]*/.exec(fileText.slice(firstLine).split('\n').find((l) => l.trim()) ?? '')?.[0].length ?? 0;
  const valueLineStarts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) valueLineStarts.push(i + 1);
  return {
    text,
    toFile(offset: number): number {
      let line = 0;
      while (line + 1 < valueLineStarts.length && valueLineStarts[line + 1] <= offset) line++;
      const fileLine = lineStarts[line];
      return fileLine === undefined ? start : fileLine + indent + (offset - valueLineStarts[line]);
    },
  };
}

function selector(node: Node | undefined): Selector | undefined {
  const map = asMap(node);
  if (!map) return undefined;
  const bySelector = !!(stringAt(map, 'labelSelector') || stringAt(map, 'annotationSelector'));
  return { kind: stringAt(map, 'kind'), name: stringAt(map, 'name'), namespace: stringAt(map, 'namespace'), ...(bySelector ? { bySelector } : {}) };
}

/** `spec.template.spec.containers.[name=web].securityContext` → steps; cut where a step is not a field or a by-name item (wildcards, other keys). */
export function parseReplacementFieldPath(path: string): FieldPath {
  // A bracket step holds no `[` (`[^\][]`): with `[^\]]*` a run of `[` rescanned to the end from each one.
  const parts = path.match(/\[[^\][]*\]|[^.[\]]+/g) ?? [];
  const steps: FieldStep[] = [];
  for (const part of parts) {
    const keyed = /^\[name=(.*)\]$/.exec(part);
    if (keyed) steps.push({ name: keyed[1] });
    else if (part.startsWith('[') || part === '*' || /^\d+$/.test(part)) break;
    else steps.push(part);
  }
  return steps;
}

export function parseReplacementTargets(node: Node | undefined): ReplacementTarget[] {
  const targets: ReplacementTarget[] = [];
  for (const t of asSeq(node)?.items ?? []) {
    const map = asMap(t);
    const select = selector(valueNode(map, 'select')) ?? {};
    const fieldPaths = (asSeq(valueNode(map, 'fieldPaths'))?.items ?? []).flatMap((p) => {
      const s = asScalar(p);
      const span = spanOf(s);
      return s && typeof s.value === 'string' && span ? [{ path: parseReplacementFieldPath(s.value), span }] : [];
    });
    targets.push({ select, fieldPaths });
  }
  return targets;
}

export function parseKustomization(text: string): Kustomization {
  const doc = parseDocument(text, { uniqueKeys: false, prettyErrors: false, strict: false });
  const refs: KustomizationRef[] = [];
  const patches: PatchEntry[] = [];
  const replacements: ReplacementEntry[] = [];
  const root = asMap(doc.contents);
  const err = doc.errors[0];
  const syntaxError = err ? { message: err.message.split('\n')[0], span: { start: err.pos[0], end: Math.max(err.pos[1], err.pos[0] + 1) } } : undefined;
  const ref = (field: string, node: unknown, kind: KustomizationRef['kind']) => {
    const s = asScalar(node);
    const span = spanOf(s);
    if (s && typeof s.value === 'string' && span && !s.value.includes('\n')) refs.push({ field, value: s.value, span, kind });
  };
  const list = (key: string) => asSeq(valueNode(root, key))?.items ?? [];
  for (const item of list('resources')) ref('resources', item, 'base');
  for (const item of list('bases')) ref('bases', item, 'base');
  for (const item of list('components')) ref('components', item, 'component');
  for (const key of ['configurations', 'crds']) for (const item of list(key)) ref(key, item, 'file');
  // generators/transformers/validators: a string that is a YAML object inline is a config, anything else a path.
  for (const key of ['generators', 'transformers', 'validators']) for (const item of list(key)) {
    const s = asScalar(item);
    if (s && typeof s.value === 'string' && !/\n|:\s/.test(s.value)) ref(key, item, 'base');
  }
  const openapi = valueNode(mapAt(root, 'openapi'), 'path');
  if (openapi) ref('openapi', openapi, 'file');
  for (const key of ['configMapGenerator', 'secretGenerator']) for (const g of list(key)) {
    const map = asMap(g);
    for (const f of asSeq(valueNode(map, 'files'))?.items ?? []) {
      const s = asScalar(f);
      if (s && typeof s.value === 'string') {
        const file = s.value.includes('=') ? s.value.slice(s.value.indexOf('=') + 1) : s.value;
        const span = spanOf(s);
        if (span) refs.push({ field: key, value: file, span, kind: 'file' });
      }
    }
    for (const e of asSeq(valueNode(map, 'envs'))?.items ?? []) ref(key, e, 'file');
    const env = valueNode(map, 'env');
    if (env) ref(key, env, 'file');
  }
  for (const item of list('patchesStrategicMerge')) {
    const s = asScalar(item);
    const span = spanOf(s);
    if (!s || typeof s.value !== 'string' || !span) continue;
    if (s.value.includes('\n')) patches.push({ field: 'patchesStrategicMerge', inline: inlineText(text, s), span });
    else {
      ref('patchesStrategicMerge', item, 'file');
      patches.push({ field: 'patchesStrategicMerge', path: s.value, span });
    }
  }
  for (const field of ['patches', 'patchesJson6902'] as const) for (const item of list(field)) {
    const map = asMap(item);
    const span = spanOf(item as Node);
    if (!map || !span) continue;
    const target = selector(valueNode(map, 'target'));
    const pathNode = valueNode(map, 'path');
    const patchNode = asScalar(valueNode(map, 'patch'));
    if (pathNode) {
      ref(field, pathNode, 'file');
      const p = asScalar(pathNode)?.value;
      if (typeof p === 'string') patches.push({ field, path: p, ...(target ? { target } : {}), span });
    } else if (patchNode && isScalar(patchNode)) {
      patches.push({ field, inline: inlineText(text, patchNode), ...(target ? { target } : {}), span });
    }
  }
  for (const item of list('replacements')) {
    const map = asMap(item);
    const span = spanOf(item as Node);
    if (!map || !span) continue;
    const p = stringAt(map, 'path');
    if (p !== undefined) {
      ref('replacements', valueNode(map, 'path'), 'file');
      replacements.push({ path: p, targets: [], span });
    } else replacements.push({ targets: parseReplacementTargets(valueNode(map, 'targets')), span });
  }
  let helm: Span | undefined;
  for (const e of entries(root)) if (e.key === 'helmCharts' || e.key === 'helmChartInflationGenerator' || e.key === 'helmGlobals') helm ??= e.keySpan;
  return {
    kind: stringAt(root, 'kind') === 'Component' ? 'Component' : 'Kustomization',
    namePrefix: stringAt(root, 'namePrefix') ?? '',
    nameSuffix: stringAt(root, 'nameSuffix') ?? '',
    refs, patches, replacements,
    ...(helm ? { helm } : {}),
    ...(syntaxError ? { syntaxError } : {}),
  };
}

/**
 * A reference kustomize would fetch over the network instead of reading from disk: a URL (any loaded
 * file: kustomize's `FileLoader.Load` GETs `http(s)://` paths) or a git repository spec (resources,
 * bases, components: `accumulateResources` falls back to cloning what is no local file).
 */
export function isRemoteRef(value: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(value) || /^git@|^git::|^gh:|^(github|gitlab|bitbucket)\.(com|org)[/:]/i.test(value) || /[?&]ref=|\.git($|[/?])|\/_git\/|^[\w.-]+\.[a-z]{2,}\/.*\/\//i.test(value);
}
