/** Analysis of one YAML document (a chunk of a stream): model, effective contexts, findings. Spans are chunk-relative. */
import { yamlSyntax } from '../rules/yaml-syntax';
import type { EffectiveContext } from '../effective';
import type { AnalysisOptions } from '../options';
import { finalSeverity, runRules } from '../rules/run';
import { isSuppressed, parseSuppressions } from '../suppression';
import type { Finding } from '../types';
import { hasTemplateDirectives, parseYamlChunk } from '../yaml/documents';
import { buildKubernetesDocument, isKubernetesResource, type KubernetesDocument } from './model';
import { resolveContainer } from './resolve';

export interface YamlDocumentAnalysis {
  readonly text: string;
  /** `skipped`: Helm/Go templates or not a Kubernetes resource. */
  readonly status: 'kubernetes' | 'skipped' | 'syntax-error';
  readonly model?: KubernetesDocument;
  readonly findings: readonly Finding[];
  readonly contexts: readonly EffectiveContext[];
}

/** A root `apiVersion` and a `kind` key, in YAML or JSON spelling: meant as a Kubernetes resource even when it does not parse. */
export function looksKubernetes(text: string): boolean {
  // `^[ \t]*`, not `^\s*`: with /m every line start is tried, and `\s*` ran over all the blank lines after each.
  return (/^apiVersion[ \t]*:/m.test(text) || /"apiVersion"\s*:/.test(text)) && (/^[ \t]*kind[ \t]*:/m.test(text) || /"kind"\s*:/.test(text));
}

export function analyzeYamlDocument(text: string, options: AnalysisOptions): YamlDocumentAnalysis {
  if (hasTemplateDirectives(text)) return { text, status: 'skipped', findings: [], contexts: [] };
  const parsed = parseYamlChunk(text);
  const findings: Finding[] = [];
  if (parsed.syntaxError && looksKubernetes(text)) {
    // The parser's finding, under its registry entry's settings (`rules: {yaml-syntax: warning}` applies).
    const report = { span: parsed.syntaxError.span, message: `YAML syntax error: ${parsed.syntaxError.message}` };
    const severity = finalSeverity(yamlSyntax.meta, report, options);
    if (severity) findings.push({ rule: 'yaml-syntax', severity, ...report, fixes: [] });
  }
  if (!isKubernetesResource(parsed.doc.contents)) {
    return { text, status: parsed.syntaxError ? 'syntax-error' : 'skipped', findings, contexts: [] };
  }
  const model = buildKubernetesDocument(parsed.doc);
  for (const pod of model.pods) for (const c of pod.containers) model.contexts.push(resolveContainer(pod, c, options));
  const suppressions = parseSuppressions(text);
  const ignoring = model.resources.filter((r) => r.ignored.length > 0);
  // Containers that share an anchor (`securityContext: *sc`) share its spans: one finding per span and message.
  // (Keyed without the message: Pod Security messages list every container, and copying them into keys cost more
  // than the rules.)
  const seen = new Map<string, string[]>();
  for (const f of runRules('kubernetes', model, text, options)) {
    const key = `${f.rule} ${f.span.start} ${f.span.end}`;
    const messages = seen.get(key);
    if (messages?.includes(f.message)) continue;
    if (messages) messages.push(f.message);
    else seen.set(key, [f.message]);
    if (isSuppressed(f, text, suppressions)) continue;
    const ignoredBy = ignoring.find((r) => r.ignored.includes(f.rule) && r.node.range && f.span.start >= r.node.range[0] && f.span.start <= r.node.range[2]);
    if (!ignoredBy) findings.push(f);
  }
  return { text, status: parsed.syntaxError ? 'syntax-error' : 'kubernetes', model, findings, contexts: model.contexts };
}
