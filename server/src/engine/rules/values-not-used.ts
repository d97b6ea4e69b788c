import type { Rule } from './rule';

const CHART = 'apiVersion: v2\nname: web\nversion: 0.1.0\n';
const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          securityContext:
            {{- toYaml .Values.securityContext | nindent 12 }}
`;

/**
 * Reported by the chart analysis (engine/helm/view.ts) on a chart's values files: a `…SecurityContext`
 * block that no template reads. This entry gives the finding its registry metadata.
 */
export const valuesNotUsed: Rule = {
  meta: {
    id: 'values-not-used',
    title: 'security context in values.yaml that no template uses',
    category: 'hardening',
    defaultSeverity: 'hint',
    reportedBy: 'chart',
    docs: {
      summary: 'Flags a `…SecurityContext` block in a Helm chart\'s values file that no template of the chart reads (and that no false condition disables): whatever it says reaches no container.',
      why: 'A hardening block that no template places is a setting that looks applied and is not: the pods run with whatever the templates write instead. It is usually a renamed key (`containerSecurityContext` in values, `securityContext` in the template), a block for a component the chart no longer has, or a typo in the template\'s `.Values` path. A chart without Chart.yaml (a partial copy) gets no hint, since the templates that use the block may be missing.',
      bad: {
        file: 'values.yaml',
        code: 'securityContext:\n  allowPrivilegeEscalation: false\ncontainerSecurityContext:\n  readOnlyRootFilesystem: true\n',
        chart: { 'Chart.yaml': CHART, 'templates/deployment.yaml': DEPLOYMENT },
      },
      good: {
        file: 'values.yaml',
        code: 'securityContext:\n  allowPrivilegeEscalation: false\n  readOnlyRootFilesystem: true\n',
        chart: { 'Chart.yaml': CHART, 'templates/deployment.yaml': DEPLOYMENT },
      },
      fix: 'None: move the fields into a block a template places, or place the block in a template.',
      references: ['https://helm.sh/docs/chart_template_guide/values_files/', 'https://helm.sh/docs/chart_best_practices/values/'],
    },
  },
};
