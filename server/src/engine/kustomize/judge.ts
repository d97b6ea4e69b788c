/**
 * A kustomize build judged as built: the built stream is analysed like any manifest, then every finding
 * and every effective value is carried back to the file a person would edit — the patch (and line) that
 * last set that field, else the resource's origin file (kustomize's `config.kubernetes.io/origin`).
 */
import { parseAllDocuments, parseDocument, type Document, type Node } from 'yaml';
import type { Analyzer } from '../analyze';
import type { EffectiveContext } from '../effective';
import type { AnalysisOptions } from '../options';
import type { Finding, Span } from '../types';
import { asMap, asScalar, stringAt, valueNode } from '../yaml/nodes';
import { carrySpan, isPrefix, nodeAt, pathAt, type FieldPath } from './fieldPath';
import { appliesTo, nameAtLevel, patchSources, type BuildTree, type BuiltResource, type Mention, type PatchSource } from './patches';

export const ORIGIN_ANNOTATION = 'config.kubernetes.io/origin';

/** A place in an input file. */
export interface SourceSpan {
  readonly file: string;
  readonly span: Span;
  /** `patch`: a patch or replacement set the field; `origin`: the resource's own file has it (or its nearest parent). */
  readonly via: 'patch' | 'origin';
}

export interface MappedFinding extends SourceSpan {
  /** The finding as on the built resource, its span replaced by `span` in `file`; fixes dropped (they edit the built text). */
  readonly finding: Finding;
  /** `Deployment/prod-podinfo`. */
  readonly resource: string;
  /** Where it is in the built text (where the built containers' spans are). */
  readonly built: Span;
}

export const CONTAINER_VALUES = ['user', 'group', 'privileged', 'allowPrivilegeEscalation', 'runAsNonRoot', 'capabilities', 'seccomp', 'readOnlyRootFilesystem', 'appArmor', 'seLinux', 'procMount'] as const;
export type ContainerValue = typeof CONTAINER_VALUES[number];

export interface BuiltContainer {
  /** The effective context as built (spans in the built text). */
  readonly context: EffectiveContext;
  /** Where the container is defined (its name in the origin file). */
  readonly at?: SourceSpan;
  /** Where each value that some field decides was set. */
  readonly values: Readonly<Partial<Record<ContainerValue, SourceSpan>>>;
}

export interface BuildJudgement {
  readonly findings: readonly MappedFinding[];
  readonly containers: readonly BuiltContainer[];
  /** Files the build's resources come from (origin annotations). */
  readonly origins: ReadonlySet<string>;
  /** Files holding patches or replacements (kustomization files with inline ones included). */
  readonly patchFiles: ReadonlySet<string>;
}

interface BuiltDoc extends BuiltResource {
  readonly start: number;
  readonly end: number;
  readonly origin?: string;
}

function originPath(root: Node | null | undefined): string | undefined {
  const annotations = asMap(valueNode(asMap(valueNode(asMap(root), 'metadata')), 'annotations'));
  const raw = stringAt(annotations, ORIGIN_ANNOTATION);
  if (!raw) return undefined;
  const parsed = asMap(parseDocument(raw).contents);
  return asScalar(valueNode(parsed, 'repo')) ? undefined : stringAt(parsed, 'path');
}

/**
 * Judges the built stream of `tree`. `originFile` turns an origin annotation's path (relative to where
 * kustomize ran) into the absolute path of the input file, or undefined when it is none of ours.
 */
export function judgeBuild(tree: BuildTree, built: string, originFile: (annotationPath: string) => string | undefined, analyzer: Analyzer, options: AnalysisOptions, virtualPath: string): BuildJudgement {
  const analysis = analyzer.analyze(virtualPath, built, options, Number.MAX_SAFE_INTEGER);
  const docs: BuiltDoc[] = [];
  const parsed = parseAllDocuments(built, { uniqueKeys: false, prettyErrors: false, strict: false });
  for (const d of Array.isArray(parsed) ? parsed : [parsed]) {
    const root = d.contents;
    const origin = originPath(root);
    const file = origin !== undefined ? originFile(origin) : undefined;
    docs.push({
      kind: stringAt(asMap(root), 'kind') ?? '',
      name: stringAt(asMap(valueNode(asMap(root), 'metadata')), 'name') ?? '',
      root,
      start: d.range[0],
      end: d.range[2],
      ...(file ? { origin: file } : {}),
    });
  }
  const sources = patchSources(tree);
  const patchFiles = new Set(sources.map((s) => s.file));
  const mentionsCache = new Map<BuiltDoc, readonly Mention[]>();
  const mentionsOf = (doc: BuiltDoc) => {
    let m = mentionsCache.get(doc);
    if (!m) {
      m = sources.filter((s: PatchSource) => appliesTo(s, doc)).flatMap((s) => s.mentions(doc));
      mentionsCache.set(doc, m);
    }
    return m;
  };
  const originDocs = new Map<string, Document.Parsed[]>();
  const originRoot = (doc: BuiltDoc): Node | null | undefined => {
    if (!doc.origin) return undefined;
    let list = originDocs.get(doc.origin);
    if (!list) {
      const text = tree.files.get(doc.origin) ?? '';
      const all = parseAllDocuments(text, { uniqueKeys: false, prettyErrors: false, strict: false });
      list = Array.isArray(all) ? all : [all];
      originDocs.set(doc.origin, list);
    }
    const named = (d: Document.Parsed) => ({ kind: stringAt(asMap(d.contents), 'kind'), name: stringAt(asMap(valueNode(asMap(d.contents), 'metadata')), 'name') ?? '' });
    const sameKind = list.filter((d) => named(d).kind === doc.kind);
    const exact = sameKind.find((d) => named(d).name === doc.name) ?? sameKind.find((d) => doc.name.includes(named(d).name) && named(d).name);
    return (exact ?? sameKind[0] ?? list[0])?.contents;
  };
  const docAt = (offset: number) => docs.find((d) => offset >= d.start && offset < Math.max(d.end, d.start + 1));

  /** The input that last set the field at `span` of the built text, and the same part of it there. */
  const locate = (span: Span): SourceSpan | undefined => {
    const doc = docAt(span.start);
    if (!doc) return undefined;
    const path: FieldPath = pathAt(doc.root, span.start);
    const from = nodeAt(doc.root, path);
    const mentions = mentionsOf(doc);
    // The last input that set this field or a field containing it (last applied wins).
    for (let i = mentions.length - 1; i >= 0; i--) {
      const m = mentions[i];
      if (!isPrefix(m.path, path)) continue;
      const carried = m.path.length === path.length ? carrySpan(span, from, m) : (m.keySpan ?? m.valueSpan);
      if (carried) return { file: m.file, span: carried, via: 'patch' };
    }
    // Else the resource's own file, when it has the field; a field only patches created (they set fields
    // inside it) lands on the last of them.
    const to = doc.origin ? nodeAt(originRoot(doc), path) : undefined;
    if (doc.origin && to && to.depth === path.length) return { file: doc.origin, span: carrySpan(span, from, to) ?? { start: 0, end: 0 }, via: 'origin' };
    for (let i = mentions.length - 1; i >= 0; i--) {
      const m = mentions[i];
      if (!isPrefix(path, m.path)) continue;
      const parent = m.parent?.(path);
      const carried = parent ? carrySpan(span, from, parent) : (m.keySpan ?? m.valueSpan);
      if (carried) return { file: m.file, span: carried, via: 'patch' };
    }
    if (!doc.origin || !to) return undefined;
    return { file: doc.origin, span: (to.keySpan ?? to.valueSpan) ?? { start: 0, end: 0 }, via: 'origin' };
  };

  const findings: MappedFinding[] = [];
  for (const f of analysis.findings) {
    const doc = docAt(f.span.start);
    const at = locate(f.span);
    if (!doc || !at) continue;
    findings.push({ ...at, resource: `${doc.kind}/${doc.name}`, built: f.span, finding: { ...f, span: at.span, fixes: [] } });
  }
  const containers: BuiltContainer[] = analysis.contexts.map((c) => {
    const values: Partial<Record<ContainerValue, SourceSpan>> = {};
    for (const key of CONTAINER_VALUES) {
      const v = key === 'capabilities' ? c.capabilities?.provenance : c[key];
      const at = v?.span ? locate(v.span) : undefined;
      if (at) values[key] = at;
    }
    const at = locate(c.nameSpan);
    return { context: c, ...(at ? { at } : {}), values };
  });
  const origins = new Set(docs.flatMap((d) => (d.origin ? [d.origin] : [])));
  return { findings, containers, origins, patchFiles };
}

export { nameAtLevel };
