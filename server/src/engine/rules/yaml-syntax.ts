import type { Rule } from './rule';

/**
 * Reported by the YAML parser itself (engine/kubernetes/analyze.ts), not by a check over a model:
 * this entry gives the finding its registry metadata (docs page, SARIF rule, settings key).
 */
export const yamlSyntax: Rule = {
  meta: {
    id: 'yaml-syntax',
    title: 'invalid YAML',
    category: 'validity',
    defaultSeverity: 'error',
    reportedBy: 'parser',
    docs: {
      summary: 'Flags a YAML file that does not parse, at the first syntax error.',
      why: '`kubectl apply` and the API server refuse the whole file, and nothing in it can be judged until it parses: secctx reports the syntax error as a finding (an error, in the report and the exit status) instead of silently skipping the file.',
      bad: { file: 'pod.yaml', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\n  labels: {tier: [}\nspec:\n  containers:\n    - name: app\n      image: app:1\n' },
      good: { file: 'pod.yaml', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\n  labels: {tier: web}\nspec:\n  containers:\n    - name: app\n      image: app:1\n      securityContext:\n        allowPrivilegeEscalation: false\n' },
      fix: 'None: the message names the parser error and the span points at it.',
      references: ['https://yaml.org/spec/1.2.2/'],
    },
  },
};
