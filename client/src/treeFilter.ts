/**
 * What the "Security contexts" view shows under a verdict filter: the files, workloads and containers
 * to draw, and the filter a Quick Pick selection means. Pure (no `vscode`), so it is unit-tested
 * (test/unit/tree-filter.test.ts); ./tree.ts only draws what these functions return.
 */

export type Verdict = 'will-not-start' | 'privileged' | 'root' | 'unknown-user' | 'restricted-gaps' | 'ok';

export interface TreeContainer { readonly name: string; readonly kind: string; readonly line: number; readonly verdict: Verdict; readonly summary: string }
export interface TreeWorkload { readonly label: string; readonly line: number; readonly verdict: Verdict; readonly containers: readonly TreeContainer[] }
export interface TreeFile { readonly path: string; readonly kind: string; readonly verdict: Verdict; readonly workloads: readonly TreeWorkload[]; readonly errors: number; readonly warnings: number }

/** Every verdict, most severe first (the server's VERDICT_ORDER), with its label and codicon. */
export const VERDICTS: readonly { readonly verdict: Verdict; readonly label: string; readonly icon: string; readonly color?: string }[] = [
  { verdict: 'will-not-start', label: 'will not start', icon: 'error', color: 'errorForeground' },
  { verdict: 'privileged', label: 'privileged', icon: 'flame', color: 'errorForeground' },
  { verdict: 'root', label: 'runs as root', icon: 'warning', color: 'editorWarning.foreground' },
  { verdict: 'unknown-user', label: 'user unknown', icon: 'question' },
  { verdict: 'restricted-gaps', label: 'restricted gaps', icon: 'shield' },
  { verdict: 'ok', label: 'restricted', icon: 'pass', color: 'testing.iconPassed' },
];

/** Undefined: no filter, everything shows. */
export type VerdictFilter = ReadonlySet<Verdict> | undefined;

/** The filter a Quick Pick selection means: picking every verdict, or none, is no filter. */
export function filterOf(picked: readonly Verdict[]): VerdictFilter {
  const set = new Set(picked);
  return set.size === 0 || set.size === VERDICTS.length ? undefined : set;
}

/** The view's description for a filter: `filtered: runs as root, privileged` in the verdicts' order; undefined without one. */
export function filterDescription(filter: VerdictFilter): string | undefined {
  return filter ? `filtered: ${VERDICTS.filter((v) => filter.has(v.verdict)).map((v) => v.label).join(', ')}` : undefined;
}

export function shows(filter: VerdictFilter, c: TreeContainer): boolean {
  return !filter || filter.has(c.verdict);
}

export function visibleContainers(filter: VerdictFilter, workload: TreeWorkload): TreeContainer[] {
  return workload.containers.filter((c) => shows(filter, c));
}

/** Workloads with at least one container the filter shows. */
export function visibleWorkloads(filter: VerdictFilter, file: TreeFile): TreeWorkload[] {
  return file.workloads.filter((w) => w.containers.some((c) => shows(filter, c)));
}

/** Files with at least one container the filter shows, by URI. */
export function visibleFiles(filter: VerdictFilter, files: Iterable<readonly [string, TreeFile]>): [string, TreeFile][] {
  return [...files].filter(([, f]) => visibleWorkloads(filter, f).length > 0).sort(([a], [b]) => a.localeCompare(b)).map(([uri, f]) => [uri, f]);
}

/**
 * Ids for sibling rows under `parent`, one per key, made unique with an occurrence count: VS Code
 * refuses a refresh in which two siblings get the same id (by default, their label), and the view
 * would stay stale. Stable while the rows do not change, so expansion state survives a re-render.
 */
export function uniqueIds(parent: string, keys: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return keys.map((key) => {
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    return `${parent}\u0000${key}${n ? `\u0000${n}` : ''}`;
  });
}
