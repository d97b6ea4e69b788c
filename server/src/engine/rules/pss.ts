/**
 * Pod Security Standards findings: the admission controller's verdicts (../pss), turned into findings
 * of the rule that owns each upstream check. Evaluated once per pod and shared by every PSS rule.
 */
import type { Node } from 'yaml';
import { evaluatePodSecurity, parseKubeVersion, type PssViolation } from '../pss';
import type { KubernetesDocument, PodModel } from '../kubernetes/model';
import { asMap, deepestNode, pairOf, plainOf, spanOf } from '../yaml/nodes';
import type { AnalysisOptions } from '../options';
import type { Span } from '../types';
import type { RuleContext } from './rule';

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

/** What a violation reports: one span per offending field (`spec` when it names none) and its message. */
interface PlacedViolation {
  readonly paths: readonly (readonly (string | number)[])[];
  readonly spans: readonly Span[];
  readonly message: string;
}

/** Per violation (cached with it): every PSS rule, and a restricted rule skipping its baseline twin's fields, reads the same spans. */
const placements = new WeakMap<PssViolation, PlacedViolation>();

export function placeViolation(pod: PodModel, v: PssViolation): PlacedViolation {
  let placed = placements.get(v);
  if (!placed) {
    const paths = v.paths.length ? v.paths : [['spec']];
    placed = { paths, spans: paths.map((path) => spanOfPath(pod, path)), message: `${v.reason} (${v.detail})` };
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
      const { paths, spans, message } = placeViolation(pod, v);
      const severity = v.level === 'baseline' ? 'warning' : 'info';
      const pss = { level: v.level, check: v.check };
      for (let i = 0; i < paths.length; i++) {
        if (keep && !keep(spans[i])) continue;
        ctx.report({ span: spans[i], message, severity, pss, fixes: fixes?.(pod, v, paths[i]) ?? [] });
      }
    }
  }
}
