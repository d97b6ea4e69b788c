/** Runs the registry's hooks over a model and turns reports into findings with their final severity. */
import type { AnalysisOptions } from '../options';
import type { Finding, Severity } from '../types';
import { RULES } from './index';
import type { Report, Rule, RuleContext, RuleMeta } from './rule';
import { splitQuoted } from './quoted';

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

const PLURAL_VERBS: Record<string, string> = { is: 'are', has: 'have', does: 'do' };

/** A message as text between quoted strings, and the names merged into one of them. */
interface Named { readonly parts: string[]; names: string[]; slot?: number }

/**
 * Two reports of one rule at one place that differ only in one quoted name (a pod-level field read
 * by two containers: `Container "app" runs as root …`, `Container "sidecar" runs as root …`)
 * become one message naming both: `Containers "app", "sidecar" run as root …`. Undefined when the
 * messages differ otherwise.
 */
export function mergeNamed(named: Named, message: string): string | undefined {
  const other = splitQuoted(message);
  if (other.length !== named.parts.length) return undefined;
  const differ = other.map((p, i) => (p !== named.parts[i] ? i : -1)).filter((i) => i >= 0);
  if (differ.length > 1 || (differ.length === 1 && (differ[0] % 2 === 0 || (named.slot !== undefined && named.slot !== differ[0])))) return undefined;
  if (!differ.length) return undefined;
  const slot = differ[0];
  if (named.slot === undefined) { named.slot = slot; named.names = [named.parts[slot]]; }
  if (!named.names.includes(other[slot])) named.names.push(other[slot]);
  const parts = [...named.parts];
  parts[slot] = named.names.join(', ');
  parts[slot - 1] = parts[slot - 1].replace(/\b([Cc]ontainer|[Ss]ervice|[Ii]mage|[Ss]tage)( )$/, '$1s$2');
  parts[slot + 1] = parts[slot + 1].replace(/^ (\w+)\b/, (m, verb: string) => ` ${PLURAL_VERBS[verb] ?? (verb.length > 3 && verb.endsWith('s') ? verb.slice(0, -1) : verb)}`);
  return parts.join('');
}

export function runRules<H extends Hook>(hook: H, model: ModelOf<H>, text: string, options: AnalysisOptions, rules: readonly Rule[] = RULES): Finding[] {
  const findings: Finding[] = [];
  /** One finding per rule and place: a second report of a rule at the same span (with the same fixes) is merged into the first. */
  const placed = new Map<string, number>();
  const mergedNames = new Map<number, Named>();
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
        const key = `${rule.meta.id}:${span.start}:${span.end}`;
        const at = placed.get(key);
        // Merged only when the fixes agree: a fix must clear the whole finding it is offered on.
        if (at !== undefined && JSON.stringify(findings[at].fixes) === JSON.stringify(fixes)) {
          const first = findings[at];
          const names = mergedNames.get(at);
          const joined = names ? mergeNamed(names, message) : undefined;
          if (joined) findings[at] = { ...first, message: joined };
          else if (!first.message.includes(message)) findings[at] = { ...first, message: `${first.message}${/[.!?]$/.test(first.message) ? ' ' : '; '}${message}` };
          return;
        }
        if (at === undefined) {
          mergedNames.set(findings.length, { parts: splitQuoted(message), names: [] });
          placed.set(key, findings.length);
        }
        findings.push({ rule: rule.meta.id, severity, message, span, ...(pss ? { pss } : {}), ...(report.containers ? { containers: report.containers } : {}), fixes });
      },
    };
    check.call(rule, ctx);
  }
  return withoutRepeatedCauses(findings, rules);
}

/** Drops the findings of a rule at a span where a rule it yields to (`meta.yieldsTo`) reports too. */
function withoutRepeatedCauses(findings: Finding[], rules: readonly Rule[]): Finding[] {
  const yielding = new Map<string, readonly string[]>();
  for (const rule of rules) if (rule.meta.yieldsTo?.length) yielding.set(rule.meta.id, rule.meta.yieldsTo);
  if (!yielding.size) return findings;
  const at = new Set(findings.map((f) => `${f.rule}:${f.span.start}:${f.span.end}`));
  return findings.filter((f) => !yielding.get(f.rule)?.some((other) => at.has(`${other}:${f.span.start}:${f.span.end}`)));
}
