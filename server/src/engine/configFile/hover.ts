/**
 * Hover in `.secctx.yaml`: what a setting means and the values it takes, what a value means, and for a
 * rule id under `rules:` its title, default severity and documentation.
 */
import { parseDocument } from 'yaml';
import { ruleById } from '../rules/index';
import { ruleDocsUrl } from '../rules/rule';
import type { Span } from '../types';
import { asMap, asScalar, entries, spanOf } from '../yaml/nodes';
import { configSettings, SEVERITY_VALUES, type ConfigValue } from './schema';

export interface ConfigHover {
  readonly markdown: string;
  readonly span: Span;
}

const within = (span: Span | undefined, offset: number): span is Span => !!span && span.start <= offset && offset <= span.end;

function valueList(values: readonly ConfigValue[]): string {
  return values.map((v) => `- \`${v.value}\`: ${v.description}`).join('\n');
}

export function configHoverAt(text: string, offset: number): ConfigHover | undefined {
  const doc = parseDocument(text, { prettyErrors: false });
  const root = asMap(doc.contents);
  if (!root) return undefined;
  const settings = configSettings();
  for (const entry of entries(root)) {
    const setting = settings.find((s) => s.key === entry.key);
    if (!setting) continue;
    if (within(entry.keySpan, offset)) {
      return { span: entry.keySpan, markdown: `**${setting.key}** (secctx)\n\n${setting.description}${setting.values ? `\n\n${valueList(setting.values)}` : ''}` };
    }
    const scalar = asScalar(entry.value);
    const valueSpan = spanOf(entry.value);
    if (scalar && setting.values && within(valueSpan, offset)) {
      const value = setting.values.find((v) => v.value === scalar.value);
      if (value) return { span: valueSpan, markdown: `**${setting.key}: ${value.value}**\n\n${value.description}` };
    }
    if (entry.key === 'rules') {
      for (const rule of entries(asMap(entry.value))) {
        const meta = ruleById(rule.key)?.meta;
        const severity = SEVERITY_VALUES.find((v) => v.value === asScalar(rule.value)?.value);
        const ruleValueSpan = spanOf(rule.value);
        if (meta && within(rule.keySpan, offset)) {
          return { span: rule.keySpan, markdown: `**${meta.id}**: ${meta.title}\n\n${meta.docs.summary}\n\nDefault severity: \`${meta.defaultSeverity}\`. [Documentation](${ruleDocsUrl(meta.id)})` };
        }
        if (severity && within(ruleValueSpan, offset)) return { span: ruleValueSpan, markdown: `**${severity.value}**: ${severity.description}` };
      }
    }
  }
  return undefined;
}
