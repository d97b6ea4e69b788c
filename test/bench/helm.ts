/**
 * Helm: edit→diagnostics for values.yaml of a chart of 100 templates, over the language server as an
 * editor speaks it. Each edit flips `securityContext.runAsUser` between 0 and 1000 (the diagnostics
 * change each time), timed from didChange to the publishDiagnostics answering it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { LspClient, type LspServerCommand } from '../support/lsp-client';

export const HELM_TEMPLATES = 100;

const DEPLOYMENT = (i: number) => `{{- if .Values.component${i}.enabled }}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "bench.fullname" . }}-c${i}
  labels:
    {{- include "bench.labels" . | nindent 4 }}
spec:
  replicas: {{ .Values.replicaCount }}
  template:
    metadata:
      labels:
        {{- include "bench.labels" . | nindent 8 }}
    spec:
      {{- with .Values.podSecurityContext }}
      securityContext:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      containers:
        - name: c${i}
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"
          securityContext:
            {{- toYaml .Values.component${i}.securityContext | nindent 12 }}
          ports:
            - containerPort: {{ add 8000 ${i} }}
{{- end }}
`;

const HELPERS = `{{- define "bench.fullname" -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- define "bench.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}
`;

function values(): string {
  const parts = ['replicaCount: 1', 'image:', '  repository: nginx', '  tag: "1.27"', 'podSecurityContext:', '  runAsNonRoot: true', '  runAsUser: 1000', '  seccompProfile:', '    type: RuntimeDefault'];
  for (let i = 0; i < HELM_TEMPLATES; i++) {
    parts.push(`component${i}:`, '  enabled: true', '  securityContext:', '    allowPrivilegeEscalation: false', '    runAsUser: 1000', '    capabilities:', '      drop: [ALL]');
  }
  return parts.join('\n') + '\n';
}

/** Writes the chart under `dir`; returns the values file. */
export function writeBenchChart(dir: string): string {
  mkdirSync(path.join(dir, 'templates'), { recursive: true });
  writeFileSync(path.join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: bench\nversion: 0.1.0\nappVersion: "1.0"\n');
  writeFileSync(path.join(dir, 'templates', '_helpers.tpl'), HELPERS);
  for (let i = 0; i < HELM_TEMPLATES; i++) writeFileSync(path.join(dir, 'templates', `deployment-${i}.yaml`), DEPLOYMENT(i));
  const file = path.join(dir, 'values.yaml');
  writeFileSync(file, values());
  return file;
}

/**
 * Median and p95 of edit→diagnostics on the chart's values.yaml (ms). `block`: `component` edits one
 * workload's container block (`component50.securityContext.runAsUser`: one template re-rendered),
 * `shared` the pod block every template places (all 100 re-rendered and re-judged).
 */
export async function helmEditLatency(command: LspServerCommand, dir: string, edits: number, warmup: number, block: 'component' | 'shared' = 'component'): Promise<{ median: number; p95: number; n: number; load: string }> {
  const file = writeBenchChart(dir);
  const disk = values();
  const offset = disk.indexOf('runAsUser: 1000', block === 'shared' ? 0 : disk.indexOf(`component${HELM_TEMPLATES >> 1}:`)) + 'runAsUser: '.length;
  // The editor's buffer starts with the edited user at 0: the chart's findings (run as root) show the chart is read.
  const text = `${disk.slice(0, offset)}0${disk.slice(offset + '1000'.length)}`;
  const uri = pathToFileURL(file).href;
  const client = await LspClient.start(command, { rootUri: pathToFileURL(dir).href, timeoutMs: 60_000 });
  try {
    let mark = client.mark();
    await client.open(uri, text, 1);
    // The first answer is values.yaml alone; the chart is read in the background and its findings follow.
    await client.waitForDiagnosticsMatching(uri, (d) => d.version === 1 && d.diagnostics.length > 0, 120_000, mark);
    const line = text.slice(0, offset).split('\n').length - 1;
    const character = offset - (text.lastIndexOf('\n', offset - 1) + 1);
    let current = '0';
    const samples: number[] = [];
    for (let i = 0; i < edits + warmup; i++) {
      const next = current === '1000' ? '0' : '1000';
      const version = i + 2;
      mark = client.mark();
      const sent = performance.now();
      await client.change(uri, version, [{ range: { start: { line, character }, end: { line, character: character + current.length } }, text: next }]);
      const d = await client.waitForDiagnostics(uri, version, 120_000, mark);
      if (i >= warmup) samples.push(d.receivedAt - sent);
      current = next;
    }
    const sorted = samples.sort((a, b) => a - b);
    const rank = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
    // The 1, 5 and 15 minute load averages as the measurement ends: 2 cores shared with other work make timings noisy.
    return { median: rank(0.5), p95: rank(0.95), n: sorted.length, load: os.loadavg().map((l) => l.toFixed(2)).join(' ') };
  } finally {
    await client.shutdown();
  }
}
