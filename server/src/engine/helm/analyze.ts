/**
 * A chart judged as the containers it becomes: every template is rendered with the chart's values
 * (plus override files) keeping a source map, each rendered document is analysed with the same rules
 * as a manifest, and each finding lands on the line it came from: a values file when a values block or
 * scalar produced it, the template when a literal field did. Findings that rest on something not
 * followed are dropped, never guessed. Rendered documents are analysed through a cache by text, so an
 * edit to values.yaml re-judges only the documents whose rendered text changed.
 */
import { analyzeYamlDocument, type YamlDocumentAnalysis } from '../kubernetes/analyze';
import type { PodModel } from '../kubernetes/model';
import { LineIndex } from '../lines';
import type { AnalysisOptions } from '../options';
import type { EffectiveContext } from '../effective';
import type { Finding, Fix, Span, TextEdit } from '../types';
import { splitYamlDocuments } from '../yaml/documents';
import { pairOf } from '../yaml/nodes';
import { collectDefines, joinPath, parseValuesCached, subchartKey, type ChartModel, type TemplateFile } from './chart';
import { Renderer, placeholderPattern, type NotFollowed, type Reads, type SkippedBranch } from './render';
import type { ParsedTemplate } from './template';
import { coalesceValues, emptyMap, withPathPrefix, fingerprintOf, fromPlain, mergeValues, plain, valueAt, type Seg, type Src, type VMap, type VNode, type VStr } from './values';
import { capabilitiesToContainerFix } from './fixes';
import { finalSeverity } from '../rules/run';
import { templateSyntax } from '../rules/template-syntax';

export interface ValuesFile {
  readonly path: string;
  readonly text: string;
}

export type PlacementLevel = 'pod' | 'container' | 'initContainer' | 'ephemeralContainer';

/** A place in a rendered pod where values land: a securityContext (or pod-level host field) and what fed it. */
export interface Placement {
  readonly level: PlacementLevel;
  /** `Deployment/release-name-web` (template expressions where the name is not followed). */
  readonly workload: string;
  readonly container?: string;
  /** `securityContext`, `hostNetwork`, … */
  readonly field: string;
  /** The template file rendering the pod. */
  readonly template: string;
  /** The action that placed values there (first one), in the template or a helper file. */
  readonly via?: Src;
  /** The values pieces feeding it: each key or scalar with the key path it belongs to. */
  readonly values: readonly { readonly path: string; readonly src: Src; readonly block?: string }[];
  /** The values block placed there as a whole (`controller.containerSecurityContext`), when one is. */
  readonly block?: string;
}

export interface RenderedDocument {
  readonly template: string;
  /** Offset of the document in the template's rendered text. */
  readonly offset: number;
  readonly analysis: YamlDocumentAnalysis;
}

export interface RenderedTemplate {
  readonly path: string;
  readonly text: string;
  readonly segs: readonly Seg[];
  readonly documents: readonly RenderedDocument[];
}

/** A container of the chart with its effective context and a way to map its spans back to the chart's files. */
export interface ChartContainer {
  readonly template: string;
  readonly workload: string;
  readonly context: EffectiveContext;
  /** Document offset inside the rendered template. */
  readonly offset: number;
}

export interface ChartAnalysis {
  readonly chart: ChartModel;
  /** Findings by file path (values files, templates, helpers). */
  readonly findings: ReadonlyMap<string, readonly Finding[]>;
  readonly rendered: readonly RenderedTemplate[];
  readonly placements: readonly Placement[];
  readonly containers: readonly ChartContainer[];
  readonly notFollowed: readonly NotFollowed[];
  readonly skipped: readonly SkippedBranch[];
  /** The effective values (defaults coalesced with the override files). */
  readonly values: VMap;
  readonly valuesFiles: readonly string[];
  /** Key paths of the values nodes templates read. */
  readonly used: ReadonlySet<string>;
  readonly texts: ReadonlyMap<string, string>;
}

/** Helm's default `.Capabilities.KubeVersion` (chartutil DefaultCapabilities) unless the options name one. */
function kubeVersion(options: AnalysisOptions): string {
  const v = options.kubernetesVersion?.replace(/^v/, '');
  return v ? `v${v}.0` : 'v1.33.0';
}

function releaseObject(): VNode {
  return fromPlain({ Name: 'release-name', Namespace: 'default', Service: 'Helm', IsInstall: true, IsUpgrade: false, Revision: 1 });
}

function rootContext(chart: ChartModel, values: VMap, template: string, kube: string): VMap {
  const m = /^v?(\d+)\.(\d+)/.exec(kube);
  const ctx = fromPlain({
    Chart: { Name: chart.name, Version: chart.version, AppVersion: chart.appVersion ?? '', Type: chart.type },
    Capabilities: { KubeVersion: { Version: kube, GitVersion: kube, Major: m?.[1] ?? '1', Minor: m?.[2] ?? '33' } },
    Template: { Name: `${chart.name}/${template.slice(chart.root.length + 1)}`, BasePath: `${chart.name}/templates` },
  }) as VMap;
  const entries = new Map(ctx.entries);
  entries.set('Values', values);
  entries.set('Release', releaseObject());
  return { t: 'map', entries };
}

/** Values a subchart sees: its parent's values under its name (or alias) over its defaults, plus `global`. */
function subchartValues(parent: VMap, sub: ChartModel, prefix: readonly string[]): VMap {
  const own = parent.entries.get(prefix[prefix.length - 1]);
  const user = own?.t === 'map' ? own : emptyMap();
  // Its defaults' key paths from the root's values, as the parent's own pieces already have them.
  const merged = coalesceValues(user, withPathPrefix(sub.defaults, prefix));
  const global = parent.entries.get('global');
  if (global?.t !== 'map') return merged;
  const entries = new Map(merged.entries);
  const subGlobal = merged.entries.get('global');
  entries.set('global', subGlobal?.t === 'map' ? mergeValues(subGlobal, global) : global);
  return { ...merged, entries };
}

/** Binary search of the segment holding an offset of rendered text. */
export function segAt(segs: readonly Seg[], offset: number): Seg | undefined {
  let lo = 0, hi = segs.length - 1, found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (segs[mid].at <= offset) { found = mid; lo = mid + 1; } else hi = mid - 1;
  }
  for (let i = found; i >= 0 && i > found - 4; i--) {
    const s = segs[i];
    if (offset >= s.at && (offset < s.at + s.len || (s.len === 0 && offset === s.at))) return s;
  }
  return undefined;
}

/** Where a rendered span comes from: a values scalar or key, literal template text, or the action that wrote it. */
export function mapSpan(segs: readonly Seg[], span: Span): (Src & { seg: Seg }) | undefined {
  const seg = segAt(segs, span.start);
  if (!seg || seg.unknown) return undefined;
  const src = seg.src ?? seg.via;
  if (!src) return undefined;
  if (seg.src && src.end - src.start === seg.len) {
    const start = src.start + (span.start - seg.at);
    const endInSeg = Math.min(span.end, seg.at + seg.len) - seg.at;
    return { file: src.file, start, end: Math.max(start, src.start + endInSeg), seg };
  }
  return { ...src, seg };
}

/** The index of the first segment starting at or after `offset` (segments are in rendered order). */
function firstSegFrom(segs: readonly Seg[], offset: number): number {
  let lo = 0, hi = segs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (segs[mid].at < offset) lo = mid + 1; else hi = mid;
  }
  return lo;
}

function unknownWithin(segs: readonly Seg[], start: number, end: number): boolean {
  for (let i = firstSegFrom(segs, start); i < segs.length && segs[i].at <= end; i++) if (segs[i].unknown) return true;
  return false;
}

/** The rendered range of `securityContext:` (key line to value end) in a pod spec or container. */
function securityContextRange(map: PodModel['spec'], text: string): [number, number] | undefined {
  const pair = pairOf(map, 'securityContext');
  const k = (pair?.key as { range?: number[] } | undefined)?.range;
  if (!k) return undefined;
  const v = (pair?.value as { range?: number[] } | null | undefined)?.range;
  const lineEnd = text.indexOf('\n', k[0]);
  return [k[0], Math.max(v?.[1] ?? 0, lineEnd < 0 ? text.length : lineEnd)];
}

const POD_HOST_FIELDS = ['hostNetwork', 'hostPID', 'hostIPC', 'hostUsers'];

/** A template's last rendering and what it depended on: reused while those are the same. */
interface PreviousRender {
  readonly parsed: ParsedTemplate;
  readonly chartKey: string;
  readonly definesKey: readonly ParsedTemplate[];
  /** Top-level values keys read (or `*`) → JSON of their values then. */
  readonly fingerprints: ReadonlyMap<string, string>;
  readonly out: VStr;
  readonly notFollowed: readonly NotFollowed[];
  readonly skipped: readonly SkippedBranch[];
  readonly used: ReadonlySet<string>;
}

function allSubcharts(c: ChartModel): ChartModel[] {
  return c.subcharts.flatMap((s) => [s, ...allSubcharts(s)]);
}

function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** For each values file whose text changed: the edited region of the old text and the shift after it. */
interface TextDiff { readonly from: number; readonly to: number; readonly delta: number }

function textDiffs(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): Map<string, TextDiff | 'gone'> {
  const out = new Map<string, TextDiff | 'gone'>();
  for (const [file, old] of before) {
    const now = after.get(file);
    if (now === old) continue;
    if (now === undefined) { out.set(file, 'gone'); continue; }
    let p = 0;
    const max = Math.min(old.length, now.length);
    while (p < max && old.charCodeAt(p) === now.charCodeAt(p)) p++;
    let q = 0;
    while (q < max - p && old.charCodeAt(old.length - 1 - q) === now.charCodeAt(now.length - 1 - q)) q++;
    out.set(file, { from: p, to: old.length - q, delta: now.length - old.length });
  }
  return out;
}

/** The segments with their values-file spans moved past an edit; undefined when one touches the edit. */
function remapSegs(segs: readonly Seg[], diffs: ReadonlyMap<string, TextDiff | 'gone'>): Seg[] | undefined {
  if (!diffs.size) return segs as Seg[];
  // Copied from the first segment that moves: a template reading only values before the edit keeps its array.
  let out: Seg[] | undefined;
  for (let i = 0; i < segs.length; i++) {
    const g = segs[i];
    const d = g.src && diffs.get(g.src.file);
    if (!d || !g.src || (d !== 'gone' && g.src.end <= d.from && !(g.src.end === d.from && d.from === d.to))) { out?.push(g); continue; }
    if (d === 'gone') return undefined;
    if (g.src.start >= d.to) {
      out ??= segs.slice(0, i);
      out.push({ ...g, src: { file: g.src.file, start: g.src.start + d.delta, end: g.src.end + d.delta } });
      continue;
    }
    return undefined;
  }
  return out ?? (segs as Seg[]);
}

export class ChartAnalyzer {
  private renders = new Map<string, PreviousRender>();
  /** Each template's last rendered text and its documents (with the texts their analyses are cached by). */
  private documents = new Map<string, { text: string; options: AnalysisOptions; documents: RenderedDocument[]; chunks: string[] }>();
  private valuesTexts = new Map<string, string>();
  /** Rendered document text → analysis (the previous and current generation). */
  private cache = new Map<string, YamlDocumentAnalysis>();
  private cacheOptions: AnalysisOptions | undefined;
  lastReanalysed = 0;

  analyze(chart: ChartModel, valuesFiles: readonly ValuesFile[], options: AnalysisOptions): ChartAnalysis {
    if (this.cacheOptions !== options) { this.cache = new Map(); this.cacheOptions = options; }
    const next = new Map<string, YamlDocumentAnalysis>();
    this.lastReanalysed = 0;
    let user = emptyMap();
    for (const f of valuesFiles) user = mergeValues(user, parseValuesCached(f.path, f.text).values);
    const values = coalesceValues(user, chart.defaults);
    const texts = new Map<string, string>();
    const addTexts = (c: ChartModel) => { texts.set(c.valuesPath, c.valuesText); for (const t of c.templates) texts.set(t.path, t.text); c.subcharts.forEach(addTexts); };
    addTexts(chart);
    for (const f of valuesFiles) texts.set(f.path, f.text);
    const notFollowed: NotFollowed[] = [];
    const skipped: SkippedBranch[] = [];
    const used = new Set<string>();
    const defines = collectDefines(chart);
    const definesKey = [chart, ...allSubcharts(chart)].flatMap((c) => c.templates.filter((t) => t.parsed.defines.length).map((t) => t.parsed));
    const rendered: RenderedTemplate[] = [];
    const findings = new Map<string, Finding[]>();
    const placements: Placement[] = [];
    const containers: ChartContainer[] = [];
    const kube = kubeVersion(options);
    const diffs = textDiffs(this.valuesTexts, texts);
    const nextRenders = new Map<string, PreviousRender>();
    const nextDocuments = new Map<string, { text: string; options: AnalysisOptions; documents: RenderedDocument[]; chunks: string[] }>();
    const fingerprints = new Map<VMap, Map<string, string>>();
    const fingerprint = (vals: VMap, key: string): string => {
      let memo = fingerprints.get(vals);
      if (!memo) fingerprints.set(vals, (memo = new Map()));
      let f = memo.get(key);
      if (f === undefined) memo.set(key, (f = key === '*' ? JSON.stringify(plain(vals)) ?? '' : fingerprintOf(vals.entries.get(key))));
      return f;
    };

    const renderTemplate = (c: ChartModel, t: TemplateFile, vals: VMap): PreviousRender => {
      const chartKey = `${c.name}\0${c.version}\0${c.appVersion ?? ''}\0${kube}`;
      const prev = this.renders.get(t.path);
      if (prev && prev.parsed === t.parsed && prev.chartKey === chartKey && sameItems(prev.definesKey, definesKey) && [...prev.fingerprints].every(([k, f]) => fingerprint(vals, k) === f)) {
        const segs = remapSegs(prev.out.segs, diffs);
        if (segs) return { ...prev, out: { ...prev.out, segs } };
      }
      const ctx = { defines, texts, notFollowed: [] as NotFollowed[], skipped: [] as SkippedBranch[], used: new Set<VNode>() };
      const reads: Reads = { root: vals, keys: new Set() };
      const out = new Renderer(ctx, kube).renderFile(t.path, t.parsed.nodes, rootContext(c, vals, t.path, kube), reads);
      const usedPaths = new Set<string>();
      for (const n of ctx.used) if (n.path) usedPaths.add(n.path.join('.'));
      return { parsed: t.parsed, chartKey, definesKey, fingerprints: new Map([...reads.keys].map((k) => [k, fingerprint(vals, k)])), out, notFollowed: ctx.notFollowed, skipped: ctx.skipped, used: usedPaths };
    };

    const renderChart = (c: ChartModel, vals: VMap, prefix: readonly string[]): void => {
      for (const dep of c.subcharts) {
        const declared = c.dependencies.find((d) => d.name === dep.name);
        const key = subchartKey(c, dep);
        if (declared?.condition) {
          const cond = declared.condition.split(',').map((p) => valueAt(vals, p.trim().split('.'))).find((v) => v?.t === 'scalar' && typeof v.v === 'boolean');
          if (cond?.t === 'scalar' && cond.v === false) { skipped.push({ src: { file: joinPath(c.root, 'Chart.yaml'), start: 0, end: 0 }, keys: [declared.condition], condition: declared.condition }); continue; }
        }
        renderChart(dep, subchartValues(vals, dep, [...prefix, key]), [...prefix, key]);
      }
      if (c.type === 'library') return;
      for (const t of c.templates) {
        if (!t.rendered) continue;
        const r = renderTemplate(c, t, vals);
        nextRenders.set(t.path, r);
        notFollowed.push(...r.notFollowed);
        skipped.push(...r.skipped);
        for (const u of r.used) used.add(u);
        const out = r.out;
        // The same rendered text as last time (with the same options): the same documents, not split again.
        const last = this.documents.get(t.path);
        let documents: RenderedDocument[];
        let chunks: string[];
        if (last && last.text === out.text && last.options === options) {
          ({ documents, chunks } = last);
          documents.forEach((d, i) => next.set(chunks[i], d.analysis));
        } else {
          documents = [];
          chunks = [];
          for (const chunk of splitYamlDocuments(out.text)) {
            if (!hasContent(chunk.text)) continue;
            let analysis = next.get(chunk.text) ?? this.cache.get(chunk.text);
            if (!analysis) { analysis = analyzeYamlDocument(chunk.text, options); this.lastReanalysed++; }
            next.set(chunk.text, analysis);
            documents.push({ template: t.path, offset: chunk.offset, analysis });
            chunks.push(chunk.text);
          }
        }
        nextDocuments.set(t.path, { text: out.text, options, documents, chunks });
        const rt: RenderedTemplate = { path: t.path, text: out.text, segs: out.segs, documents };
        rendered.push(rt);
        this.judge(rt, texts, findings, placements, containers);
      }
    };
    renderChart(chart, values, []);
    this.cache = next;
    this.renders = nextRenders;
    this.documents = nextDocuments;
    this.valuesTexts = new Map([...texts].filter(([f]) => !isTemplateFile(f, texts)));
    const index = indexValues(values, chart, user);
    for (let i = 0; i < placements.length; i++) placements[i] = withPaths(placements[i], index);

    for (const p of [...chart.valuesProblems, ...valuesFiles.flatMap((f) => parseValuesCached(f.path, f.text).problems)]) {
      push(findings, p.file, { rule: 'yaml-syntax', severity: 'error', message: p.message, span: p.span, fixes: [] });
    }
    for (const t of [chart, ...chart.subcharts].flatMap((c) => c.templates)) {
      for (const e of t.parsed.errors) {
        const message = `Go template: ${e.message}`;
        const severity = finalSeverity(templateSyntax.meta, { span: e.span, message }, options);
        if (severity) push(findings, t.path, { rule: 'template-syntax', severity, message, span: e.span, fixes: [] });
      }
    }
    for (const [file, list] of findings) findings.set(file, dedupe(list));
    return { chart, findings, rendered, placements, containers, notFollowed, skipped, values, valuesFiles: valuesFiles.map((f) => f.path), used, texts };
  }

  private judge(rt: RenderedTemplate, texts: ReadonlyMap<string, string>, findings: Map<string, Finding[]>, placements: Placement[], containers: ChartContainer[]): void {
    const exprs = (s: string) => s.replace(placeholderPattern(), (_m, start: string) => {
      const seg = rt.segs.find((g) => g.unknown && g.src && g.src.start === Number(start));
      const expr = seg?.src ? (texts.get(seg.src.file) ?? '').slice(seg.src.start, seg.src.end) : '…';
      return expr.startsWith('{{') ? expr : `{{ ${expr} }}`;
    });
    const lineOf = (src: Src) => `${relative(src.file, rt.path)}:${new LineIndex(texts.get(src.file) ?? '').position(src.start).line}`;
    for (const doc of rt.documents) {
      const model = doc.analysis.model;
      const uncertain: Span[] = [];
      const podOf = new Map<number, PodModel>();
      for (const pod of model?.pods ?? []) {
        const workload = exprs(pod.workload);
        const specRange = pod.spec.range;
        if (specRange) podOf.set(specRange[0], pod);
        const ranges: { level: PlacementLevel; container?: string; field: string; range: [number, number] }[] = [];
        const podSc = securityContextRange(pod.spec, doc.analysis.text);
        if (podSc) ranges.push({ level: 'pod', field: 'securityContext', range: podSc });
        for (const f of POD_HOST_FIELDS) {
          const pair = pairOf(pod.spec, f);
          const k = (pair?.key as { range?: number[] } | undefined)?.range;
          const v = (pair?.value as { range?: number[] } | null | undefined)?.range;
          if (k) ranges.push({ level: 'pod', field: f, range: [k[0], v?.[1] ?? k[1]] });
        }
        for (const c of pod.containers) {
          const r = securityContextRange(c.node, doc.analysis.text);
          if (r) ranges.push({ level: c.kind === 'initContainer' ? 'initContainer' : c.kind === 'ephemeralContainer' ? 'ephemeralContainer' : 'container', container: exprs(c.name), field: 'securityContext', range: r });
        }
        let podUncertain = false;
        for (const r of ranges) {
          const start = doc.offset + r.range[0], end = doc.offset + r.range[1];
          if (unknownWithin(rt.segs, start, end)) podUncertain = true;
          const vals: { path: string; src: Src; block?: string }[] = [];
          let via: Src | undefined;
          for (let i = firstSegFrom(rt.segs, start); i < rt.segs.length && rt.segs[i].at < end; i++) {
            const s = rt.segs[i];
            if (!s.src) continue;
            if (s.via && !via) via = s.via;
            if (s.src.file !== rt.path && !isTemplateFile(s.src.file, texts)) vals.push({ path: '', src: s.src, block: s.block });
          }
          placements.push({ level: r.level, workload, container: r.container, field: r.field, template: rt.path, via, values: vals });
        }
        if (podUncertain && specRange) uncertain.push({ start: doc.offset + specRange[0], end: doc.offset + specRange[2] });
        for (const ctx of doc.analysis.contexts) {
          if (ctx.workload === pod.workload && specRange && ctx.span.start >= specRange[0] && ctx.span.start <= specRange[2]) {
            containers.push({ template: rt.path, workload, context: { ...ctx, workload, name: exprs(ctx.name) }, offset: doc.offset });
          }
        }
      }
      for (const f of doc.analysis.findings) {
        if (f.rule === 'yaml-syntax') continue;
        const start = doc.offset + f.span.start;
        if (uncertain.some((u) => start >= u.start && start <= u.end)) continue;
        const mapped = mapSpan(rt.segs, { start, end: doc.offset + f.span.end });
        if (!mapped) continue;
        const toValues = !isTemplateFile(mapped.file, texts);
        const where = mapped.seg.via && toValues ? ` (placed by ${lineOf(mapped.seg.via)})` : '';
        const fixes = mapFixes(f.fixes, rt.segs, doc.offset, mapped.file);
        const pod = [...podOf.entries()].find(([s]) => s <= f.span.start)?.[1];
        const special = f.rule === 'capabilities-at-pod-level' && toValues && pod ? capabilitiesToContainerFix(texts.get(mapped.file) ?? '', mapped.file, { start: mapped.start, end: mapped.end }, placements, rt.path) : undefined;
        push(findings, mapped.file, {
          ...f,
          message: exprs(f.message) + where,
          span: { start: mapped.start, end: mapped.end },
          fixes: special ? [special] : fixes,
        });
      }
    }
  }
}

type ValuesIndex = Map<string, Map<number, { path: readonly string[]; kind: 'key' | 'value' | 'block' }>>;

function indexSet(index: ValuesIndex, at: Src, entry: { path: readonly string[]; kind: 'key' | 'value' | 'block' }): void {
  let byOffset = index.get(at.file);
  if (!byOffset) index.set(at.file, (byOffset = new Map()));
  byOffset.set(at.start, entry);
}

/** Every key and scalar of the values in use (defaults, overrides, subcharts' defaults), by `file:offset`. */
function indexValues(values: VMap, chart: ChartModel, user: VMap): ValuesIndex {
  const index: ValuesIndex = new Map();
  const visit = (node: VNode, prefix: readonly string[]) => {
    const path = node.path ? (prefix.length ? [...prefix, ...node.path] : node.path) : prefix;
    if (node.keySrc) indexSet(index, node.keySrc, { path, kind: 'key' });
    if (node.src) {
      const empty = (node.t === 'map' && !node.entries.size) || (node.t === 'seq' && !node.items.length);
      if (node.t === 'scalar' || empty) indexSet(index, node.src, { path, kind: empty ? 'block' : 'value' });
    }
    if (node.t === 'map') for (const c of node.entries.values()) visit(c, prefix);
    if (node.t === 'seq') for (const c of node.items) visit(c, prefix);
  };
  visit(values, []);
  visit(user, []);
  const subs = (c: ChartModel, prefix: readonly string[]) => {
    for (const sub of c.subcharts) { const p = [...prefix, subchartKey(c, sub)]; visit(sub.defaults, p); subs(sub, p); }
  };
  subs(chart, []);
  return index;
}

function withPaths(p: Placement & { values: readonly { path: string; src: Src; block?: string }[] }, index: ValuesIndex): Placement {
  const values = p.values.map((v) => {
    const hit = index.get(v.src.file)?.get(v.src.start);
    return { path: hit ? hit.path.join('.') : v.path, src: v.src };
  });
  // A whole block: every piece written by one `toYaml` of one values node.
  const blocks = new Set(p.values.map((v) => v.block));
  const block = blocks.size === 1 ? [...blocks][0] : undefined;
  return { ...p, values, ...(block && p.field === 'securityContext' ? { block } : {}) };
}

const templateFiles = new Map<string, boolean>();

function isTemplateFile(file: string, _texts: ReadonlyMap<string, string>): boolean {
  let is = templateFiles.get(file);
  if (is === undefined) {
    is = file.includes('/templates/') || file.endsWith('.tpl');
    if (templateFiles.size > 10_000) templateFiles.clear();
    templateFiles.set(file, is);
  }
  return is;
}

/** Edits that replace text inside one exactly-mapped piece (a scalar's spelling) map back; others are dropped. */
function mapFixes(fixes: readonly Fix[], segs: readonly Seg[], offset: number, file: string): Fix[] {
  const out: Fix[] = [];
  for (const fix of fixes) {
    const edits: TextEdit[] = [];
    for (const e of fix.edits) {
      if (e.file) { edits.length = 0; break; }
      const seg = segAt(segs, offset + e.start);
      if (!seg?.src || seg.unknown || seg.src.end - seg.src.start !== seg.len || offset + e.end > seg.at + seg.len || seg.src.file !== file) { edits.length = 0; break; }
      const start = seg.src.start + offset + e.start - seg.at;
      edits.push({ start, end: start + (e.end - e.start), newText: e.newText });
    }
    if (edits.length === fix.edits.length && edits.length) out.push({ ...fix, edits });
  }
  return out;
}

/** Whether a rendered document holds more than its `---` line, comments and blank lines. */
function hasContent(text: string): boolean {
  let marker = false;
  for (const line of text.split('\n')) {
    if (!marker && line.startsWith('---')) { marker = true; continue; }
    const t = line.trim();
    if (t && !t.startsWith('#')) return true;
  }
  return false;
}

function push(map: Map<string, Finding[]>, file: string, f: Finding): void {
  const list = map.get(file);
  if (list) list.push(f);
  else map.set(file, [f]);
}

function dedupe(list: readonly Finding[]): Finding[] {
  const seen = new Map<string, Finding>();
  for (const f of list) {
    const key = `${f.rule}\0${f.span.start}\0${f.span.end}`;
    const prev = seen.get(key);
    if (!prev) seen.set(key, f);
    else if (prev.message !== f.message && !prev.message.includes(f.message)) seen.set(key, prev);
  }
  return [...seen.values()].sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
}

/** `templates/deployment.yaml` for a file of the chart at `root`-ish paths. */
export function relative(file: string, anyChartFile: string): string {
  const i = anyChartFile.lastIndexOf('/templates/');
  const root = i >= 0 ? anyChartFile.slice(0, i + 1) : '';
  return root && file.startsWith(root) ? file.slice(root.length) : file.slice(file.lastIndexOf('/') + 1);
}
