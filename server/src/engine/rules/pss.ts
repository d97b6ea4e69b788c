/**
 * Pod Security Standards findings: the admission controller's verdicts (../pss), turned into findings
 * of the rule that owns each upstream check. Evaluated once per pod and shared by every PSS rule.
 */
import type { Node } from 'yaml';
import { evaluatePodSecurity, parseKubeVersion, type PssViolation } from '../pss';
import type { KubernetesDocument, PodModel } from '../kubernetes/model';
import { asMap, deepestNode, pairOf, spanOf } from '../yaml/nodes';
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
  const pod_ = pod.podObject.toJSON() as unknown;
  const version = parseKubeVersion(options.kubernetesVersion ?? '');
  const violations = evaluatePodSecurity(pod_, 'baseline', version);
  if (restricted) violations.push(...evaluatePodSecurity(pod_, 'restricted', version).filter((v) => v.level === 'restricted'));
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

/** Reports every violation of the given upstream checks, one finding per offending field. */
export function reportPss(ctx: RuleContext<KubernetesDocument>, checks: readonly string[], fixes?: (pod: PodModel, v: PssViolation, path: readonly (string | number)[]) => import('../types').Fix[]): void {
  for (const pod of ctx.model.pods) {
    for (const v of podViolations(pod, ctx.options)) {
      if (!checks.includes(v.check)) continue;
      const paths = v.paths.length ? v.paths : [['spec']];
      for (const path of paths) {
        ctx.report({
          span: spanOfPath(pod, path),
          message: `${v.reason} (${v.detail})`,
          severity: v.level === 'baseline' ? 'warning' : 'info',
          pss: { level: v.level, check: v.check },
          fixes: fixes?.(pod, v, path) ?? [],
        });
      }
    }
  }
}
