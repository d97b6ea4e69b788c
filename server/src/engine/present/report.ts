/**
 * The effective-context report as data: per file, per workload, a card per container with its user,
 * groups and capabilities (each with where it came from), its findings and the capability flow
 * (runtime default → +add → −drop → bounding → effective). Pure; rendered as HTML (the VS Code panel,
 * `secctx explain --format html`) and Markdown ("Copy as Markdown", `--format markdown`).
 */
import type { FileAnalysis } from '../analyze';
import { ALL_CAPABILITIES, type Runtime } from '../capabilities';
import type { EffectiveContext, Provenance } from '../effective';
import type { BuildJudgement, ContainerValue, MappedFinding } from '../kustomize/judge';
import { LineIndex } from '../lines';
import type { Severity, Span } from '../types';
import { capabilityFlow, type CapabilityFlow } from './capabilityFlow';
import { templatesOfContainer } from '../helm/contexts';
import { describeSource, formatUser, verdictText } from './markdown';

export type { CapabilityFlow } from './capabilityFlow';

/** The worst thing to say of a container, most severe first (the tree and the report use the same icons). */
export type ContainerVerdict = 'will-not-start' | 'privileged' | 'root' | 'restricted-gaps' | 'ok' | 'unknown-user';

export const VERDICT_LABEL: Readonly<Record<ContainerVerdict, string>> = {
  'will-not-start': 'will not start',
  privileged: 'privileged',
  root: 'runs as root',
  'unknown-user': 'user unknown',
  'restricted-gaps': 'restricted gaps',
  ok: 'restricted',
};

/** A value with where it came from: the sentence and, when it is in a file, that file's line. */
export interface ReportSource {
  readonly text: string;
  readonly path?: string;
  readonly line?: number;
}

export interface ReportValue {
  readonly label: string;
  readonly value: string;
  readonly source: ReportSource;
}


export interface ReportFinding {
  readonly rule: string;
  readonly severity: Severity;
  readonly message: string;
  readonly line: number;
  /** Set when the finding is in another file than the report file's (a kustomize patch): that file. */
  readonly path?: string;
  readonly display?: string;
}

export interface ReportContainer {
  readonly name: string;
  readonly kind: EffectiveContext['kind'];
  readonly line: number;
  readonly image?: string;
  readonly verdict: ContainerVerdict;
  readonly values: readonly ReportValue[];
  readonly capabilities?: CapabilityFlow;
  readonly findings: readonly ReportFinding[];
}

export interface ReportWorkload {
  readonly label: string;
  readonly containers: readonly ReportContainer[];
}

/** A Dockerfile stage: what its image runs as. */
export interface ReportStage {
  readonly name: string;
  readonly line: number;
  readonly final: boolean;
  readonly base: string;
  readonly user: string;
  readonly source: ReportSource;
}

export interface ReportFile {
  readonly path: string;
  readonly display: string;
  /** Set for a file as a kustomize build judges it: the build's name. */
  readonly build?: string;
  readonly workloads: readonly ReportWorkload[];
  readonly stages: readonly ReportStage[];
  readonly findings: readonly ReportFinding[];
}

export interface ReportModel {
  readonly files: readonly ReportFile[];
}

/** A container's findings: those inside its item, and those reported once on the pod for it and others (Finding.containers). */
export function findingsOfContainer<F extends { readonly span: Span; readonly containers?: readonly Span[] }>(findings: readonly F[], c: EffectiveContext): F[] {
  return findings.filter((f) => (f.span.start >= c.span.start && f.span.end <= c.span.end) || (f.containers?.some((s) => s.start === c.span.start && s.end === c.span.end) ?? false));
}

/** One container of a file with every finding about it. */
export interface FileContainer<F> {
  readonly context: EffectiveContext;
  readonly findings: readonly F[];
}

/** What makes two contexts of a file the same container: its workload, kind and name. */
function containerKey(c: { readonly workload: string; readonly kind: string; readonly name: string }): string {
  return `${c.workload}\0${c.kind}\0${c.name}`;
}

/**
 * The containers of a file, each once per workload: a chart's values file maps several blocks (pod and
 * container) onto the same container, which then stands at its first block with the findings of all of
 * them. The tree and the report both list containers this way.
 */
export function containersOfFile<F extends { readonly span: Span; readonly containers?: readonly Span[] }>(contexts: readonly EffectiveContext[], findings: readonly F[]): FileContainer<F>[] {
  const out: { context: EffectiveContext; findings: F[] }[] = [];
  const at = new Map<string, number>();
  for (const c of contexts) {
    const own = findingsOfContainer(findings, c);
    const key = containerKey(c);
    const i = at.get(key);
    if (i === undefined) { at.set(key, out.length); out.push({ context: c, findings: own }); continue; }
    const first = out[i]!;
    for (const f of own) if (!first.findings.includes(f)) first.findings.push(f);
  }
  return out;
}

export function containerVerdict(c: EffectiveContext, findings: readonly { readonly severity: Severity; readonly pss?: unknown }[] = []): ContainerVerdict {
  if (c.runAsNonRoot.verdict === 'fail' || c.runAsNonRoot.verdict === 'unverifiable') return 'will-not-start';
  if (c.privileged.value) return 'privileged';
  if (c.user.value === 0) return 'root';
  if (c.user.value === undefined) return 'unknown-user';
  return findings.some((f) => f.pss) ? 'restricted-gaps' : 'ok';
}

function sourceOf(p: Provenance, path: string, lines: LineIndex): ReportSource {
  const text = describeSource(p);
  if (p.span) return { text, path, line: lines.position(p.span.start).line };
  if (p.elsewhere) return { text, path: p.elsewhere.path, line: p.elsewhere.line };
  return { text };
}


function findingOf(f: FileAnalysis['findings'][number], lines: LineIndex): ReportFinding {
  return { rule: f.rule, severity: f.severity, message: f.message, line: lines.position(f.span.start).line };
}

/** The runtime whose arithmetic applies to a container: Docker's for Compose services and `docker run`. */
export function runtimeOf(c: EffectiveContext, runtime: Runtime): Runtime {
  return c.kind === 'compose-service' || c.kind === 'docker-run' ? 'docker' : runtime;
}

/** The rows of a container's card; `source` says where each value came from. */
function valuesOf(c: EffectiveContext, source: (p: Provenance, key: ContainerValue | 'supplementalGroups') => ReportSource): ReportValue[] {
  return [
    { label: 'User', value: formatUser(c), source: source(c.user, 'user') },
    { label: 'Group', value: c.group.value === undefined ? 'unknown' : `gid ${c.group.value}`, source: source(c.group, 'group') },
    { label: 'Supplemental groups', value: c.supplementalGroups.value.length ? c.supplementalGroups.value.join(', ') : 'none', source: source(c.supplementalGroups, 'supplementalGroups') },
    { label: 'Privilege escalation', value: c.allowPrivilegeEscalation.value ? 'allowed' : 'blocked (no_new_privs)', source: source(c.allowPrivilegeEscalation, 'allowPrivilegeEscalation') },
    { label: 'runAsNonRoot', value: verdictText(c).replace(/\*\*/g, ''), source: source(c.runAsNonRoot, 'runAsNonRoot') },
    { label: 'Seccomp', value: c.seccomp.value, source: source(c.seccomp, 'seccomp') },
    { label: 'Read-only root fs', value: c.readOnlyRootFilesystem.value ? 'yes' : 'no', source: source(c.readOnlyRootFilesystem, 'readOnlyRootFilesystem') },
  ];
}

/**
 * A file's card: its containers (each once), Dockerfile stages and the findings no card holds.
 * `cardedElsewhere` takes the containers another file of the same report has the card of (a chart
 * container under its template), with this file's findings about them, and says so.
 */
export function reportFile(analysis: FileAnalysis, text: string, display = analysis.path, cardedElsewhere?: (c: EffectiveContext, findings: readonly ReportFinding[]) => boolean): ReportFile {
  const lines = new LineIndex(text);
  const path = analysis.path;
  const claimed = new Set<object>();
  const workloads = new Map<string, ReportContainer[]>();
  for (const { context: c, findings: own } of containersOfFile(analysis.contexts, analysis.findings)) {
    own.forEach((f) => claimed.add(f));
    if (cardedElsewhere?.(c, own.map((f) => ({ ...findingOf(f, lines), path, display })))) continue;
    const runtime = runtimeOf(c, analysis.options.runtime);
    const values = valuesOf(c, (p) => sourceOf(p, path, lines));
    const entry = workloads.get(c.workload) ?? [];
    entry.push({
      name: c.name,
      kind: c.kind,
      line: lines.position(c.nameSpan.start).line,
      ...(c.image ? { image: c.image } : {}),
      verdict: containerVerdict(c, own),
      values,
      ...(c.capabilities ? { capabilities: capabilityFlow(c, runtime) } : {}),
      findings: [...own].sort((a, b) => a.span.start - b.span.start).map((f) => findingOf(f, lines)),
    });
    workloads.set(c.workload, entry);
  }
  const rest = analysis.findings.filter((f) => !claimed.has(f)).map((f) => findingOf(f, lines));
  const stages: ReportStage[] = (analysis.dockerfile?.stages ?? []).map((s, i, all) => ({
    name: s.name ?? `stage ${s.index}`,
    line: s.line,
    final: i === all.length - 1,
    base: s.base.raw,
    user: s.user.uid !== undefined ? (s.user.uid === 0 ? 'uid 0 (root)' : `uid ${s.user.uid}${s.user.name ? ` (${s.user.name})` : ''}`) : s.user.spec ? `${s.user.spec} (uid unknown)` : 'unknown',
    source: { text: s.user.line !== undefined ? `USER, line ${s.user.line}` : s.user.reason ?? s.user.source, ...(s.user.line !== undefined ? { path, line: s.user.line } : {}) },
  }));
  return {
    path,
    display,
    workloads: [...workloads].map(([label, w]) => ({ label, containers: w })),
    stages,
    findings: rest,
  };
}

/**
 * A kustomize build's containers as cards in the files that define them (the base's Deployment), each value
 * from the input that set it (a patch, or the resource's own file), and the build's findings: on the card of
 * the container they are about (in whichever input file they are), else under their file's other findings.
 */
export function reportBuildFiles(build: string, judgement: BuildJudgement, textOf: (file: string) => string, displayOf: (file: string) => string, runtime: Runtime): ReportFile[] {
  const indexes = new Map<string, LineIndex>();
  const lineOf = (file: string, offset: number): number => {
    let index = indexes.get(file);
    if (!index) indexes.set(file, (index = new LineIndex(textOf(file))));
    return index.position(offset).line;
  };
  const finding = (f: MappedFinding, file: string): ReportFinding => ({
    rule: f.finding.rule,
    severity: f.finding.severity,
    message: f.finding.message,
    line: lineOf(f.file, f.span.start),
    ...(f.file !== file ? { path: f.file, display: displayOf(f.file) } : {}),
  });
  const files = new Map<string, { workloads: Map<string, ReportContainer[]>; findings: ReportFinding[] }>();
  const entry = (file: string) => {
    let e = files.get(file);
    if (!e) files.set(file, (e = { workloads: new Map(), findings: [] }));
    return e;
  };
  const claimed = new Set<MappedFinding>();
  // The built findings with their spans in the built text, where the containers' spans are.
  const built = judgement.findings.map((f) => ({ span: f.built, ...(f.finding.containers ? { containers: f.finding.containers } : {}), mapped: f }));
  for (const b of judgement.containers) {
    const file = b.at?.file;
    if (!file || !b.at) continue;
    const c = b.context;
    const own = findingsOfContainer(built, c).map((f) => f.mapped);
    own.forEach((f) => claimed.add(f));
    const values = valuesOf(c, (p, key) => {
      const at = key === 'supplementalGroups' ? undefined : b.values[key];
      return at ? { text: `${describeSource(p)}${at.via === 'patch' ? ' (set by a patch)' : ''}`, path: at.file, line: lineOf(at.file, at.span.start) } : { text: describeSource(p) };
    });
    const workloads = entry(file).workloads;
    const list = workloads.get(c.workload) ?? [];
    list.push({
      name: c.name,
      kind: c.kind,
      line: lineOf(file, b.at.span.start),
      ...(c.image ? { image: c.image } : {}),
      verdict: containerVerdict(c, own.map((f) => f.finding)),
      values,
      ...(c.capabilities ? { capabilities: capabilityFlow(c, runtimeOf(c, runtime)) } : {}),
      findings: own.map((f) => finding(f, file)),
    });
    workloads.set(c.workload, list);
  }
  for (const f of judgement.findings) if (!claimed.has(f)) entry(f.file).findings.push(finding(f, f.file));
  return [...files].map(([file, e]) => ({
    path: file,
    display: displayOf(file),
    build,
    workloads: [...e.workloads].map(([label, containers]) => ({ label, containers })),
    stages: [],
    findings: e.findings,
  }));
}

/**
 * The report of several files, each container once: a chart's container has its card under its template
 * when the template is in the report, and the values files' findings about it join that card (naming
 * their file, as a kustomize patch's do).
 */
export function reportModel(files: readonly { readonly analysis: FileAnalysis; readonly text: string; readonly display?: string }[]): ReportModel {
  const templateAt = new Map<string, number>();
  files.forEach((f, i) => { const h = f.analysis.helm; if (h?.role === 'template') templateAt.set(`${h.chart.chart.root}\0${h.file}`, i); });
  const joining = new Map<number, { context: EffectiveContext; findings: readonly ReportFinding[] }[]>();
  const out = files.map((f) => {
    const h = f.analysis.helm;
    const elsewhere = h?.role === 'values' && templateAt.size ? (c: EffectiveContext, findings: readonly ReportFinding[]) => {
      const at = templatesOfContainer(h.chart, c).map((t) => templateAt.get(`${h.chart.chart.root}\0${t}`)).find((i) => i !== undefined);
      if (at === undefined) return false;
      joining.set(at, [...(joining.get(at) ?? []), { context: c, findings }]);
      return true;
    } : undefined;
    return reportFile(f.analysis, f.text, f.display, elsewhere);
  });
  for (const [i, list] of joining) {
    const file = out[i]!;
    out[i] = {
      ...file,
      workloads: file.workloads.map((w) => ({
        ...w,
        containers: w.containers.map((card) => {
          const key = containerKey({ workload: w.label, kind: card.kind, name: card.name });
          const more = list.filter((j) => containerKey(j.context) === key).flatMap((j) => j.findings);
          return more.length ? { ...card, findings: [...card.findings, ...more] } : card;
        }),
      })),
    };
  }
  return { files: out.filter((f) => f.workloads.length || f.stages.length || f.findings.length) };
}

/** The number of capabilities, for diagrams: `ALL` spelled as what it is. */
export const CAPABILITY_COUNT = ALL_CAPABILITIES.length;
