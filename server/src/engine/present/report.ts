/**
 * The effective-context report as data: per file, per workload, a card per container with its user,
 * groups and capabilities (each with where it came from), its findings and the capability flow
 * (runtime default → +add → −drop → bounding → effective). Pure; rendered as HTML (the VS Code panel,
 * `secctx explain --format html`) and Markdown ("Copy as Markdown", `--format markdown`).
 */
import type { FileAnalysis } from '../analyze';
import { ALL_CAPABILITIES, type Runtime } from '../capabilities';
import type { EffectiveContext, Provenance } from '../effective';
import { LineIndex } from '../lines';
import type { Severity, Span } from '../types';
import { capabilityFlow, type CapabilityFlow } from './capabilityFlow';
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

export function reportFile(analysis: FileAnalysis, text: string, display = analysis.path): ReportFile {
  const lines = new LineIndex(text);
  const path = analysis.path;
  const claimed = new Set<object>();
  const workloads = new Map<string, ReportContainer[]>();
  for (const c of analysis.contexts) {
    const own = findingsOfContainer(analysis.findings, c);
    own.forEach((f) => claimed.add(f));
    const runtime = runtimeOf(c, analysis.options.runtime);
    const values: ReportValue[] = [
      { label: 'User', value: formatUser(c), source: sourceOf(c.user, path, lines) },
      { label: 'Group', value: c.group.value === undefined ? 'unknown' : `gid ${c.group.value}`, source: sourceOf(c.group, path, lines) },
      { label: 'Supplemental groups', value: c.supplementalGroups.value.length ? c.supplementalGroups.value.join(', ') : 'none', source: sourceOf(c.supplementalGroups, path, lines) },
      { label: 'Privilege escalation', value: c.allowPrivilegeEscalation.value ? 'allowed' : 'blocked (no_new_privs)', source: sourceOf(c.allowPrivilegeEscalation, path, lines) },
      { label: 'runAsNonRoot', value: verdictText(c).replace(/\*\*/g, ''), source: sourceOf(c.runAsNonRoot, path, lines) },
      { label: 'Seccomp', value: c.seccomp.value, source: sourceOf(c.seccomp, path, lines) },
      { label: 'Read-only root fs', value: c.readOnlyRootFilesystem.value ? 'yes' : 'no', source: sourceOf(c.readOnlyRootFilesystem, path, lines) },
    ];
    const entry = workloads.get(c.workload) ?? [];
    entry.push({
      name: c.name,
      kind: c.kind,
      line: lines.position(c.nameSpan.start).line,
      ...(c.image ? { image: c.image } : {}),
      verdict: containerVerdict(c, own),
      values,
      ...(c.capabilities ? { capabilities: capabilityFlow(c, runtime) } : {}),
      findings: own.map((f) => findingOf(f, lines)),
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

export function reportModel(files: readonly { readonly analysis: FileAnalysis; readonly text: string; readonly display?: string }[]): ReportModel {
  return { files: files.map((f) => reportFile(f.analysis, f.text, f.display)).filter((f) => f.workloads.length || f.stages.length || f.findings.length) };
}

/** The number of capabilities, for diagrams: `ALL` spelled as what it is. */
export const CAPABILITY_COUNT = ALL_CAPABILITIES.length;
