/** A Helm chart's one template, as the chart tests write it: a pod block and a container block placed with toYaml. */

/** `templates/deployment.yaml`: `.Values.podSecurityContext` at pod level (line 9), `.Values.securityContext` in container `web` (line 14). */
export const CHART_DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-web
spec:
  template:
    spec:
      securityContext:
        {{- toYaml .Values.podSecurityContext | nindent 8 }}
      containers:
        - name: web
          image: nginx
          securityContext:
            {{- toYaml .Values.securityContext | nindent 12 }}
`;
