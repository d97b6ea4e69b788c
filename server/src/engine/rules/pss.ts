/**
 * Pod Security Standards findings: the admission controller's verdicts (../pss), turned into findings
 * of the rule that owns each upstream check. Evaluated once per pod and shared by every PSS rule.
 */
import type { Node } from 'yaml';
import { evaluatePodSecurity, parseKubeVersion, type PssViolation } from '../pss';
import type { KubernetesDocument, PodModel } from '../kubernetes/model';
import { asMap, asScalar, deepestNode, pairOf, plainOf, spanOf } from '../yaml/nodes';
import type { AnalysisOptions } from '../options';
import type { Span } from '../types';
import type { RuleContext } from './rule';
import { quotedContents, quotedListEnd } from './quoted';
import { pssMessage, type PssPlace } from './pss-messages';

const MUST_NOT_INCLUDE = 'must not include ';

const cache = new WeakMap<PodModel, { key: string; violations: PssViolation[] }>();

export function podViolations(pod: PodModel, options: AnalysisOptions): PssViolation[] {
  // An explicit per-rule severity wins over the profile (see finalSeverity), so with any override
  // both levels are evaluated and the profile filter decides per finding.
  const overridden = Object.values(options.rules).some((v) => v !== 'off');
  const baseline = options.profile !== 'privileged' || overridden;
  const restricted = options.profile === 'restricted' || overridden;
  if (!baseline) return [];
  const key = `${baseline}|${restricted}|${options.kubernetesVersion ?? ''}`;
  const hit = cache.get(pod);
  if (hit && hit.key === key) return hit.violations;
  // Baseline violations always come from the baseline evaluation (restricted replaces some baseline
  // checks by stricter ones, but a baseline violation stays a warning); restricted adds its own checks.
  const pod_ = plainPod(pod);
  const version = parseKubeVersion(options.kubernetesVersion ?? '');
  const violations = evaluatePodSecurity(pod_, 'baseline', version);
  if (restricted) violations.push(...evaluatePodSecurity(pod_, 'restricted', version, 'restricted'));
  cache.set(pod, { key, violations });
  return violations;
}

/**
 * Where a violation path points: the field's key when it exists, else the deepest existing key;
 * a container (or volume) item with none of the path's keys points at its `name`, not its whole block.
 */
export function spanOfPath(pod: PodModel, path: readonly (string | number)[]): Span {
  const found = deepestNode(pod.podObject as unknown as Node, path);
  if (found.keySpan) return found.keySpan;
  const name = spanOf(pairOf(asMap(found.node), 'name')?.value as Node | undefined);
  return name ?? spanOf(found.node) ?? pod.resource.kindSpan;
}

/** What a violation reports: one span per offending field (`spec` when it names none) and the message for each. */
interface PlacedViolation {
  readonly paths: readonly (readonly (string | number)[])[];
  readonly spans: readonly Span[];
  /** Per place: the plain-English message (./pss-messages). */
  readonly messages: readonly string[];
  /** Per place: the upstream detail narrowed to it (see `narrowDetail`); the whole detail for a pod-wide place. */
  readonly details: readonly string[];
  /** For a pod-wide place: the items of the containers it is about. */
  readonly containers?: readonly Span[];
}

const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);

/**
 * The upstream detail names every offending container at once (`containers "a", "b" must set …`,
 * see `withBadContainers`/`joinQuote` in k8s.io/pod-security-admission/policy), and the violation is
 * reported at each offending field: each place then named both containers. Narrowed to the place:
 * the clauses about this container only (`container "a" must set …`), about this field only (a
 * `drop` place does not repeat the `add` clause), and for an item of `capabilities.add`, only that
 * capability. A detail that does not parse this way is kept whole.
 */
/** A detail narrowed to one container and field: the clauses kept, each split around its capability list. */
type Narrowed = readonly { readonly head: string; readonly list?: { readonly before: string; readonly after: string } }[] | undefined;

/** One clause of an upstream detail: `[pod or ]container(s) "a", "b" <rest>`. */
interface Clause {
  readonly prefix: string;
  readonly names: ReadonlySet<string>;
  readonly rest: string;
  /** The securityContext path the clause is about (`capabilities.drop`), empty when it names none. */
  readonly field: readonly string[];
  /** Where the quoted list after `must not include ` ends in `rest`, or -1. */
  readonly listEnd: number;
}

/** What narrowing reuses across the places of one violation: the parsed clauses (once), and each place's result. */
export interface NarrowMemo {
  clauses?: readonly Clause[] | null;
  readonly byPlace: Map<string, Narrowed>;
}

/** The detail's clauses, read once (a detail may name thousands of containers); null when one does not parse. */
function parseClauses(detail: string): readonly Clause[] | null {
  const clauses: Clause[] = [];
  for (const clause of detail.split('; ')) {
    const prefix = clause.startsWith('pod or ') ? 'pod or ' : '';
    let at = prefix.length;
    if (clause.startsWith('containers ', at)) at += 'containers '.length;
    else if (clause.startsWith('container ', at)) at += 'container '.length;
    else return null;
    const listEnd = quotedListEnd(clause.slice(at));
    if (listEnd <= 0 || clause[at + listEnd] !== ' ') return null;
    const rest = clause.slice(at + listEnd + 1);
    const field = /securityContext\.([\w.]+)/.exec(rest)?.[1].split('.') ?? [];
    const mustNot = rest.startsWith(MUST_NOT_INCLUDE) ? quotedListEnd(rest.slice(MUST_NOT_INCLUDE.length)) : -1;
    clauses.push({ prefix, names: new Set(quotedContents(clause.slice(at, at + listEnd))), rest, field, listEnd: mustNot });
  }
  return clauses;
}

export function narrowDetail(pod: PodModel, detail: string, path: readonly (string | number)[], memo: NarrowMemo = { byPlace: new Map() }): string {
  const listAt = path.findIndex((step) => typeof step === 'string' && CONTAINER_LISTS.has(step));
  if (listAt < 0 || typeof path[listAt + 1] !== 'number') return detail;
  const container = asMap(deepestNode(pod.podObject as unknown as Node, path.slice(0, listAt + 2)).node);
  const name = asScalar(pairOf(container, 'name')?.value)?.value;
  if (typeof name !== 'string') return detail;
  const scIndex = path.indexOf('securityContext');
  const fieldSteps = scIndex >= 0 ? path.slice(scIndex + 1).filter((x): x is string => typeof x === 'string') : [];
  const last = path[path.length - 1];
  const item = typeof last === 'number' && path[path.length - 2] === 'add' ? asScalar(deepestNode(pod.podObject as unknown as Node, path).node)?.value : undefined;
  // The clauses depend on the container and field only: worked out once per violation and place kind (a
  // detail may list thousands of containers or capabilities, and every one of them is a place).
  const key = `${name}\0${fieldSteps.join('.')}`;
  let narrowed = memo.byPlace.get(key);
  if (!memo.byPlace.has(key)) {
    if (memo.clauses === undefined) memo.clauses = parseClauses(detail);
    const kept: { head: string; list?: { before: string; after: string } }[] = [];
    for (const clause of memo.clauses ?? []) {
      if (!clause.names.has(name)) continue;
      const n = Math.min(clause.field.length, fieldSteps.length);
      if (clause.field.length && fieldSteps.length && clause.field.slice(0, n).join('.') !== fieldSteps.slice(0, n).join('.')) continue;
      const head = `${clause.prefix}container ${JSON.stringify(name)} ${clause.rest}`;
      kept.push(clause.listEnd > 0
        ? { head, list: { before: `${clause.prefix}container ${JSON.stringify(name)} ${MUST_NOT_INCLUDE}`, after: clause.rest.slice(MUST_NOT_INCLUDE.length + clause.listEnd) } }
        : { head });
    }
    narrowed = memo.clauses && kept.length ? kept : undefined;
    memo.byPlace.set(key, narrowed);
  }
  if (!narrowed) return detail;
  return narrowed.map((c) => (c.list && typeof item === 'string' ? `${c.list.before}${JSON.stringify(item)}${c.list.after}` : c.head)).join('; ');
}

/** Per violation (cached with it): every PSS rule, and a restricted rule skipping its baseline twin's fields, reads the same places. */
const placements = new WeakMap<PssViolation, PlacedViolation>();

/** The pod object as plain JS, shared by the evaluation and the messages. */
const plainPods = new WeakMap<PodModel, unknown>();
function plainPod(pod: PodModel): unknown {
  let plain = plainPods.get(pod);
  if (plain === undefined) plainPods.set(pod, (plain = plainOf(pod.podObject)));
  return plain;
}

/** The plain value at `path`, undefined when a step is missing. */
function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  let node = root;
  for (const step of path) {
    if (typeof step === 'number') node = Array.isArray(node) ? node[step] : undefined;
    else node = node && typeof node === 'object' && !Array.isArray(node) ? (node as Record<string, unknown>)[step] : undefined;
    if (node === undefined || node === null) return undefined;
  }
  return node;
}

/** The `name` of the container or volume a path points into (`['spec', 'containers', 1, …]`), if any. */
function itemName(root: unknown, path: readonly (string | number)[], lists: ReadonlySet<string>): string | undefined {
  const at = path.findIndex((step) => typeof step === 'string' && lists.has(step));
  if (at < 0 || typeof path[at + 1] !== 'number') return undefined;
  const name = valueAt(root, [...path.slice(0, at + 2), 'name']);
  return typeof name === 'string' || typeof name === 'number' || typeof name === 'boolean' ? String(name) : '';
}

const VOLUMES = new Set(['volumes']);

/**
 * Gaps the pod closes for every container with one field: when no container sets it either (upstream's
 * "pod or containers … must set …" naming every container), they are one cause, reported once on the pod.
 */
const POD_CLOSABLE: Readonly<Record<string, readonly string[]>> = {
  runAsNonRoot: ['spec', 'securityContext', 'runAsNonRoot'],
  seccompProfile_restricted: ['spec', 'securityContext', 'seccompProfile', 'type'],
};

/** How many containers upstream's `visitContainers` sees (map items of the three lists). */
function containerCount(root: unknown): number {
  let count = 0;
  for (const list of CONTAINER_LISTS) {
    const items = valueAt(root, ['spec', list]);
    if (Array.isArray(items)) count += items.filter((c) => c && typeof c === 'object' && !Array.isArray(c)).length;
  }
  return count;
}

export function placeViolation(pod: PodModel, v: PssViolation, options: AnalysisOptions): PlacedViolation {
  let placed = placements.get(v);
  if (placed) return placed;
  const root = plainPod(pod);
  const minor = parseKubeVersion(options.kubernetesVersion ?? '').minor;
  const upstream = (detail: string): string => (detail === '' ? v.reason : `${v.reason} (${detail})`);
  const podPath = POD_CLOSABLE[v.check];
  const implicit = v.detail.startsWith('pod or ');
  // Only when the pod leaves the field out: a value of the wrong type (`runAsNonRoot: "true"`) is not "unset", and
  // its fix is the containers' (admission reads it as absent, the API server would reject it).
  if (podPath && implicit && v.paths.length > 1 && valueAt(root, podPath) === undefined && v.paths.length === containerCount(root)) {
    const containers = v.paths.map((path) => itemName(root, path, CONTAINER_LISTS) ?? '');
    const place: PssPlace = { check: v.check, level: v.level, path: podPath, value: undefined, containers, minor };
    const items = v.paths.map((path) => spanOf(deepestNode(pod.podObject as unknown as Node, path.slice(0, 3)).node)).filter((s): s is Span => s !== undefined);
    placed = { paths: [podPath], spans: [spanOfPath(pod, podPath)], messages: [pssMessage(place, upstream(v.detail))], details: [v.detail], containers: items };
  } else {
    const paths = v.paths.length ? v.paths : [['spec']];
    const memo: NarrowMemo = { byPlace: new Map() };
    const details = paths.map((path) => narrowDetail(pod, v.detail, path, memo));
    const messages = paths.map((path, i) => pssMessage({
      check: v.check,
      level: v.level,
      path,
      value: valueAt(root, path),
      container: itemName(root, path, CONTAINER_LISTS),
      volume: itemName(root, path, VOLUMES),
      minor,
    }, upstream(details[i])));
    placed = { paths, spans: paths.map((path) => spanOfPath(pod, path)), messages, details };
  }
  placements.set(v, placed);
  return placed;
}

type PssFixes = (pod: PodModel, v: PssViolation, path: readonly (string | number)[]) => import('../types').Fix[];

/**
 * Reports every violation of the given upstream checks, one finding per offending field; with `keep`, only
 * the fields whose span it keeps (their fixes are not built otherwise).
 */
export function reportPss(ctx: RuleContext<KubernetesDocument>, checks: readonly string[], fixes?: PssFixes, keep?: (span: Span) => boolean): void {
  for (const pod of ctx.model.pods) {
    for (const v of podViolations(pod, ctx.options)) {
      if (!checks.includes(v.check)) continue;
      const { paths, spans, messages, details, containers } = placeViolation(pod, v, ctx.options);
      const severity = v.level === 'baseline' ? 'warning' : 'info';
      for (let i = 0; i < paths.length; i++) {
        if (keep && !keep(spans[i])) continue;
        const pss = { level: v.level, check: v.check, reason: v.reason, detail: details[i] };
        ctx.report({ span: spans[i], message: messages[i], severity, pss, ...(containers ? { containers } : {}), fixes: fixes?.(pod, v, paths[i]) ?? [] });
      }
    }
  }
}
