/** Runs the registry's hooks over a model and turns reports into findings with their final severity. */
import type { AnalysisOptions } from '../options';
import type { Finding, Severity } from '../types';
import { RULES } from './index';
import type { Report, Rule, RuleContext, RuleMeta } from './rule';

type Hook = 'kubernetes' | 'dockerfile' | 'docker';
type ModelOf<H extends Hook> = Parameters<NonNullable<Rule[H]>>[0] extends RuleContext<infer M> ? M : never;

/**
 * The severity a report ends with, or undefined when the profile or the settings hide it.
 * Explicit per-rule settings win; `baseline` hides restricted-only findings; `privileged` keeps errors only.
 */
export function finalSeverity(meta: RuleMeta, report: Report, options: AnalysisOptions): Severity | undefined {
  const override = options.rules[meta.id];
  if (override === 'off') return undefined;
  if (override) return override;
  const severity = report.severity ?? meta.defaultSeverity;
  if (options.profile === 'baseline' && report.pss?.level === 'restricted') return undefined;
  if (options.profile === 'privileged' && severity !== 'error') return undefined;
  return severity;
}

export function runRules<H extends Hook>(hook: H, model: ModelOf<H>, text: string, options: AnalysisOptions, rules: readonly Rule[] = RULES): Finding[] {
  const findings: Finding[] = [];
  for (const rule of rules) {
    const check = rule[hook] as ((ctx: RuleContext<ModelOf<H>>) => void) | undefined;
    if (!check || options.rules[rule.meta.id] === 'off') continue;
    const ctx: RuleContext<ModelOf<H>> = {
      model,
      text,
      options,
      report(report) {
        const severity = finalSeverity(rule.meta, report, options);
        if (!severity) return;
        const { message, span, pss } = report;
        const fixes = report.fixes ?? [];
        findings.push(pss ? { rule: rule.meta.id, severity, message, span, pss, fixes } : { rule: rule.meta.id, severity, message, span, fixes });
      },
    };
    check.call(rule, ctx);
  }
  return findings;
}
