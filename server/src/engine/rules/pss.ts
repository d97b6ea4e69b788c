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
  const pod_ = plainOf(pod.podObject);
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
  /** Per path: the upstream message narrowed to that place (see `narrowDetail`). */
  readonly messages: readonly string[];
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

export function narrowDetail(pod: PodModel, detail: string, path: readonly (string | number)[], memo = new Map<string, Narrowed>()): string {
  const listAt = path.findIndex((step) => typeof step === 'string' && CONTAINER_LISTS.has(step));
  if (listAt < 0 || typeof path[listAt + 1] !== 'number') return detail;
  const container = asMap(deepestNode(pod.podObject as unknown as Node, path.slice(0, listAt + 2)).node);
  const name = asScalar(pairOf(container, 'name')?.value)?.value;
  if (typeof name !== 'string') return detail;
  const scIndex = path.indexOf('securityContext');
  const fieldSteps = scIndex >= 0 ? path.slice(scIndex + 1).filter((x): x is string => typeof x === 'string') : [];
  const last = path[path.length - 1];
  const item = typeof last === 'number' && path[path.length - 2] === 'add' ? asScalar(deepestNode(pod.podObject as unknown as Node, path).node)?.value : undefined;
  // The clauses depend on the container and field only: worked out once per violation (a detail may
  // list thousands of capabilities, and every one of them is a place).
  const key = `${name}\0${fieldSteps.join('.')}`;
  let narrowed = memo.get(key);
  if (!memo.has(key)) {
    const kept: { head: string; list?: { before: string; after: string } }[] = [];
    let parsed = true;
    for (const clause of detail.split('; ')) {
      const m = /^(pod or )?containers? ((?:"(?:[^"\\]|\\.)*"(?:, )?)+) (.*)$/.exec(clause);
      if (!m) { parsed = false; break; }
      const names = quotedContents(m[2]);
      if (!names.includes(name)) continue;
      const field = /securityContext\.([\w.]+)/.exec(m[3])?.[1].split('.') ?? [];
      const n = Math.min(field.length, fieldSteps.length);
      if (field.length && fieldSteps.length && field.slice(0, n).join('.') !== fieldSteps.slice(0, n).join('.')) continue;
      const head = `${m[1] ?? ''}container ${JSON.stringify(name)} ${m[3]}`;
      const listEnd = m[3].startsWith(MUST_NOT_INCLUDE) ? quotedListEnd(m[3].slice(MUST_NOT_INCLUDE.length)) : -1;
      kept.push(listEnd > 0 ? { head, list: { before: `${m[1] ?? ''}container ${JSON.stringify(name)} ${MUST_NOT_INCLUDE}`, after: m[3].slice(MUST_NOT_INCLUDE.length + listEnd) } } : { head });
    }
    narrowed = parsed && kept.length ? kept : undefined;
    memo.set(key, narrowed);
  }
  if (!narrowed) return detail;
  return narrowed.map((c) => (c.list && typeof item === 'string' ? `${c.list.before}${JSON.stringify(item)}${c.list.after}` : c.head)).join('; ');
}

/** Per violation (cached with it): every PSS rule, and a restricted rule skipping its baseline twin's fields, reads the same spans. */
const placements = new WeakMap<PssViolation, PlacedViolation>();

export function placeViolation(pod: PodModel, v: PssViolation): PlacedViolation {
  let placed = placements.get(v);
  if (!placed) {
    const paths = v.paths.length ? v.paths : [['spec']];
    const memo = new Map<string, Narrowed>();
    placed = { paths, spans: paths.map((path) => spanOfPath(pod, path)), messages: paths.map((path) => `${v.reason} (${narrowDetail(pod, v.detail, path, memo)})`) };
    placements.set(v, placed);
  }
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
      const { paths, spans, messages } = placeViolation(pod, v);
      const severity = v.level === 'baseline' ? 'warning' : 'info';
      const pss = { level: v.level, check: v.check };
      for (let i = 0; i < paths.length; i++) {
        if (keep && !keep(spans[i])) continue;
        ctx.report({ span: spans[i], message: messages[i], severity, pss, fixes: fixes?.(pod, v, paths[i]) ?? [] });
      }
    }
  }
}
