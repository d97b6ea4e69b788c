/**
 * The shape of a rule: metadata and documentation apart from the checks (eslint's model).
 * A rule implements a hook per kind of file it understands; the registry (./index.ts) lists them all.
 */
import type { AnalysisOptions } from '../options';
import type { Fix, FixSafety, PssFinding, PssLevel, Severity, Span } from '../types';

export type RuleCategory = 'validity' | 'kubelet' | 'runtime' | 'pod-security' | 'hardening' | 'image' | 'docker';

export interface DocExample {
  /** File name that decides how the example is analysed: `pod.yaml`, `Dockerfile`, `compose.yaml`, `run.sh`. */
  readonly file: string;
  readonly code: string;
  /** For a Helm chart's file: the chart's other files by path relative to the chart (`file` is one too). */
  readonly chart?: Readonly<Record<string, string>>;
}

export interface RuleDocs {
  /** What it flags, one sentence. */
  readonly summary: string;
  /** Why it matters: what actually happens at run time. */
  readonly why: string;
  /** Raises exactly this rule (tested). */
  readonly bad: DocExample;
  /** Raises nothing from this rule (tested). */
  readonly good: DocExample;
  /** What the fix does, and whether it is safe or unsafe. */
  readonly fix?: string;
  /**
   * The fix safety audit, one row per fix (or per case of one fix): safe only when the container can do
   * nothing after it that it cannot do today, beyond what the author wrote. Required with a fix.
   */
  readonly fixSafety?: readonly FixAudit[];
  readonly references: readonly string[];
}

/** One row of the fix safety audit: the fix (its title, or the case), its safety, and why. */
export interface FixAudit {
  readonly fix: string;
  readonly safety: FixSafety;
  readonly why: string;
}

export interface RuleMeta {
  /** Stable kebab-case id: the diagnostic code, the suppression key, the settings key. */
  readonly id: string;
  readonly title: string;
  readonly category: RuleCategory;
  readonly defaultSeverity: Severity;
  /**
   * Set for a finding no hook runs: the parser reports it, or the Helm chart analysis (engine/helm);
   * the entry still gives it docs and settings.
   */
  readonly reportedBy?: 'parser' | 'chart';
  /**
   * Rules that say the same cause in their own words (`run-as-root` on `runAsUser: 0`): where one of them
   * reports at the same span, this rule's finding is left out, so a cause is said once per place.
   */
  readonly yieldsTo?: readonly string[];
  /** The Pod Security Standards checks it implements. */
  readonly pss?: { readonly level: PssLevel; readonly checks: readonly string[] };
  readonly docs: RuleDocs;
}

export interface Report {
  readonly span: Span;
  readonly message: string;
  /** Overrides the rule's default severity for this finding (e.g. by Pod Security level). */
  readonly severity?: Severity;
  readonly pss?: PssFinding;
  /** For a cause reported once on the pod for several containers: their items' spans (see Finding.containers). */
  readonly containers?: readonly Span[];
  readonly fixes?: readonly Fix[];
}

export interface RuleContext<Model> {
  readonly model: Model;
  /** The text the model's spans refer to. */
  readonly text: string;
  readonly options: AnalysisOptions;
  report(report: Report): void;
}

export interface Rule {
  readonly meta: RuleMeta;
  /** Kubernetes resources of one YAML document. */
  kubernetes?(ctx: RuleContext<import('../kubernetes/model').KubernetesDocument>): void;
  /** A Dockerfile. */
  dockerfile?(ctx: RuleContext<import('../dockerfile/model').DockerfileModel>): void;
  /** Compose services and `docker run` command lines of one file. */
  docker?(ctx: RuleContext<import('../docker/model').DockerFileModel>): void;
}

export const DOCS_BASE_URL = 'https://github.com/secctx/secctx/blob/main/docs/rules/';
export function ruleDocsUrl(id: string): string {
  return `${DOCS_BASE_URL}${id}.md`;
}
