/**
 * Restricted checks that replace a baseline check (seccompProfile_restricted replaces seccompProfile_baseline,
 * restrictedVolumes replaces hostPathVolumes, capabilities_restricted replaces capabilities_baseline) flag some
 * fields the baseline check flags too. The baseline rule already reports those as warnings, so the restricted
 * rule leaves them out — unless the baseline rule is turned off.
 */
import type { KubernetesDocument, PodModel } from '../kubernetes/model';
import type { PssViolation } from '../pss';
import type { Fix } from '../types';
import { placeViolation, podViolations, reportPss } from './pss';
import type { RuleContext } from './rule';

export interface ReplacedCheck {
  /** The baseline check the restricted one replaces. */
  readonly check: string;
  /** The rule that reports it. */
  readonly rule: string;
}

export function reportPssBeyondBaseline(
  ctx: RuleContext<KubernetesDocument>,
  checks: readonly string[],
  replaced: ReplacedCheck,
  fixes?: (pod: PodModel, v: PssViolation, path: readonly (string | number)[]) => Fix[],
): void {
  const flagged = new Set<string>();
  if (ctx.options.rules[replaced.rule] !== 'off') {
    for (const pod of ctx.model.pods) {
      for (const v of podViolations(pod, ctx.options)) {
        if (v.check !== replaced.check) continue;
        // The same spans the baseline rule reports (a violation with no path reports nothing here).
        if (v.paths.length) for (const span of placeViolation(pod, v, ctx.options).spans) flagged.add(`${span.start}:${span.end}`);
      }
    }
  }
  reportPss(ctx, checks, fixes, flagged.size ? (span) => !flagged.has(`${span.start}:${span.end}`) : undefined);
}
