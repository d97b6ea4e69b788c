/**
 * The "Security contexts" tree: per file, its workloads and their containers (Compose services and
 * `docker run` lines too), each with its one-line summary and the worst verdict, for the icons.
 * Pure: the language server streams one entry per analysed file; the client only draws them.
 */
import type { FileAnalysis, FileKind } from '../analyze';
import { LineIndex } from '../lines';
import { summaryLine } from './markdown';
import { containerVerdict, containersOfFile, type ContainerVerdict } from './report';

export interface TreeContainer {
  readonly name: string;
  readonly kind: string;
  /** 1-based line of the container's name. */
  readonly line: number;
  readonly verdict: ContainerVerdict;
  readonly summary: string;
}

export interface TreeWorkload {
  readonly label: string;
  readonly line: number;
  readonly verdict: ContainerVerdict;
  readonly containers: readonly TreeContainer[];
}

export interface TreeFile {
  readonly path: string;
  readonly kind: FileKind;
  readonly verdict: ContainerVerdict;
  readonly workloads: readonly TreeWorkload[];
  readonly errors: number;
  readonly warnings: number;
}

/** Most severe first: a workload or file shows its worst container's verdict. */
export const VERDICT_ORDER: readonly ContainerVerdict[] = ['will-not-start', 'privileged', 'root', 'unknown-user', 'restricted-gaps', 'ok'];

export function worstVerdict(verdicts: Iterable<ContainerVerdict>): ContainerVerdict {
  let worst = VERDICT_ORDER.length - 1;
  for (const v of verdicts) worst = Math.min(worst, VERDICT_ORDER.indexOf(v));
  return VERDICT_ORDER[worst];
}

/** The tree entry of one analysed file; undefined when it has no containers. */
export function treeFile(analysis: FileAnalysis, text: string): TreeFile | undefined {
  if (analysis.contexts.length === 0) return undefined;
  const lines = new LineIndex(text);
  const workloads = new Map<string, TreeContainer[]>();
  // One row per container (a chart's values file maps several blocks onto one), with all its findings.
  for (const { context: c, findings: own } of containersOfFile(analysis.contexts, analysis.findings)) {
    const list = workloads.get(c.workload) ?? [];
    list.push({ name: c.name, kind: c.kind, line: lines.position(c.nameSpan.start).line, verdict: containerVerdict(c, own), summary: summaryLine(c) });
    workloads.set(c.workload, list);
  }
  const entries: TreeWorkload[] = [...workloads].map(([label, containers]) => ({
    label,
    line: Math.min(...containers.map((c) => c.line)),
    verdict: worstVerdict(containers.map((c) => c.verdict)),
    containers,
  }));
  return {
    path: analysis.path,
    kind: analysis.kind,
    verdict: worstVerdict(entries.map((w) => w.verdict)),
    workloads: entries,
    errors: analysis.findings.filter((f) => f.severity === 'error').length,
    warnings: analysis.findings.filter((f) => f.severity === 'warning').length,
  };
}
