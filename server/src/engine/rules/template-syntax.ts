import type { Rule } from './rule';

const CHART = 'apiVersion: v2\nname: web\nversion: 0.1.0\n';
const VALUES = 'securityContext:\n  allowPrivilegeEscalation: false\n';

/**
 * Reported by the Go template parser of engine/helm (template.ts) when a chart's template does not parse:
 * this entry gives the finding its registry metadata (docs page, SARIF rule, settings key).
 */
export const templateSyntax: Rule = {
  meta: {
    id: 'template-syntax',
    title: 'invalid Go template in a Helm chart',
    category: 'validity',
    defaultSeverity: 'error',
    reportedBy: 'parser',
    docs: {
      summary: 'Flags a template of a Helm chart whose Go template actions do not parse: an unclosed `{{`, an `{{ end }}` without its `if`/`with`/`range`/`define`, a block left open, an action with no command.',
      why: '`helm install`, `helm template` and `helm lint` stop at the first template that does not parse (text/template\'s parse error), so the chart installs nothing. secctx reports the error where it is and still judges the rest of the chart; what the broken template would have produced is not judged.',
      bad: {
        file: 'templates/pod.yaml',
        code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}-web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n      securityContext:\n        {{- toYaml .Values.securityContext | nindent 8 }\n',
        chart: { 'Chart.yaml': CHART, 'values.yaml': VALUES },
      },
      good: {
        file: 'templates/pod.yaml',
        code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}-web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n      securityContext:\n        {{- toYaml .Values.securityContext | nindent 8 }}\n',
        chart: { 'Chart.yaml': CHART, 'values.yaml': VALUES },
      },
      fix: 'None: the message names what the parser expected; close the action or the block.',
      references: ['https://pkg.go.dev/text/template', 'https://helm.sh/docs/chart_template_guide/control_structures/'],
    },
  },
};
