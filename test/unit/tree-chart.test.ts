/**
 * The Security contexts view's entry for a chart's values file: every block a template places maps to
 * the containers it becomes, so a container fed by a pod block and a container block is still one row
 * (at the first block, with the worse verdict of the two).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChartAnalyzer } from '../../server/src/engine/helm/analyze';
import { buildChart } from '../../server/src/engine/helm/chart';
import { helmFileAnalysis } from '../../server/src/engine/helm/view';
import { DEFAULT_OPTIONS } from '../../server/src/engine/options';
import { treeFile } from '../../server/src/engine/present/tree';

const ROOT = '/charts/web';
const VALUES = 'podSecurityContext:\n  runAsNonRoot: true\nsecurityContext:\n  allowPrivilegeEscalation: false\n';
const FILES = new Map(Object.entries({
  'Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
  'values.yaml': VALUES,
  'templates/deployment.yaml': [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: web',
    'spec:',
    '  template:',
    '    spec:',
    '      securityContext:',
    '        {{- toYaml .Values.podSecurityContext | nindent 8 }}',
    '      containers:',
    '        - name: web',
    '          image: nginx:1.27',
    '          securityContext:',
    '            {{- toYaml .Values.securityContext | nindent 12 }}',
    '',
  ].join('\n'),
}).map(([k, v]) => [`${ROOT}/${k}`, v]));

test('a container two values blocks feed is one row of the values file\'s entry', () => {
  const chart = new ChartAnalyzer().analyze(buildChart(ROOT, FILES), [], DEFAULT_OPTIONS);
  const entry = treeFile(helmFileAnalysis(`${ROOT}/values.yaml`, VALUES, chart, `${ROOT}/values.yaml`, DEFAULT_OPTIONS), VALUES);
  // nginx has no USER: root, so runAsNonRoot: true means the kubelet refuses it (verifyRunAsNonRoot).
  assert.deepStrictEqual(entry?.workloads.map((w) => ({ label: w.label, containers: w.containers.map((c) => `${c.name} line ${c.line} ${c.verdict}`) })), [
    { label: 'Deployment/web', containers: ['web line 1 will-not-start'] },
  ]);
});
