/**
 * Navigation in a chart (engine/helm/navigate.ts), the helm-ls anchor of issue 16: Go to Definition
 * from a template's `.Values.x` to where x is set, Find All References from a values key to the
 * template expressions that read it. Helm's scoping, which decides what `.Values` is in a subchart:
 * helm/helm pkg/chartutil `coalesceDeps`/`CoalesceValues` (a subchart's values are its parent's under
 * the dependency's name or alias, over its own values.yaml, with `global` copied in).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ChartAnalyzer, type ChartAnalysis } from '../../server/src/engine/helm/analyze';
import { buildChart } from '../../server/src/engine/helm/chart';
import { valuesDefinition, valuesReferences, valuesRefs } from '../../server/src/engine/helm/navigate';
import type { Src } from '../../server/src/engine/helm/values';
import { LineIndex } from '../../server/src/engine/lines';
import { DEFAULT_OPTIONS } from '../../server/src/engine/options';

const ROOT = '/charts/shop';

const FILES: Record<string, string> = {
  'Chart.yaml': 'apiVersion: v2\nname: shop\nversion: 1.0.0\ndependencies:\n  - name: cache\n    version: 1.0.0\n    alias: redis\n',
  'values.yaml': [
    'global:',
    '  registry: example.com',
    'securityContext:',
    '  runAsUser: 1000',
    '  capabilities:',
    '    drop: [ALL]',
    'redis:',
    '  securityContext:',
    '    runAsUser: 999',
    '',
  ].join('\n'),
  'templates/deployment.yaml': [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: shop',
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    '        - name: shop',
    '          image: "{{ .Values.global.registry }}/shop:1"',
    '          securityContext:',
    '            {{- toYaml .Values.securityContext | nindent 12 }}',
    '          env:',
    '            - name: UID',
    '              value: "{{ .Values.securityContext.runAsUser }}"',
    '',
  ].join('\n'),
  'charts/cache/Chart.yaml': 'apiVersion: v2\nname: cache\nversion: 1.0.0\n',
  'charts/cache/values.yaml': 'securityContext:\n  runAsUser: 1001\n  runAsNonRoot: true\n',
  'charts/cache/templates/statefulset.yaml': [
    'apiVersion: apps/v1',
    'kind: StatefulSet',
    'metadata:',
    '  name: cache',
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    '        - name: cache',
    '          image: "{{ $.Values.global.registry }}/cache:1"',
    '          securityContext:',
    '            {{- toYaml .Values.securityContext | nindent 12 }}',
    '',
  ].join('\n'),
};

function analyze(overrides: Record<string, string> = {}): ChartAnalysis {
  const files = new Map(Object.entries(FILES).map(([k, v]) => [`${ROOT}/${k}`, v]));
  return new ChartAnalyzer().analyze(buildChart(ROOT, files), Object.entries(overrides).map(([k, v]) => ({ path: `${ROOT}/${k}`, text: v })), DEFAULT_OPTIONS);
}

/** `file:line text` of each place, file relative to the chart. */
function places(chart: ChartAnalysis, srcs: readonly Src[]): string[] {
  return srcs.map((s) => {
    const text = chart.texts.get(s.file) ?? '';
    return `${s.file.slice(ROOT.length + 1)}:${new LineIndex(text).position(s.start).line} ${text.slice(s.start, s.end)}`;
  });
}

/** The offset of the `n`th occurrence of `needle` in a chart file, plus `plus`. */
function at(file: string, needle: string, plus = 1, n = 0): number {
  const text = FILES[file]!;
  let i = -1;
  for (let k = 0; k <= n; k++) i = text.indexOf(needle, i + 1);
  assert.ok(i >= 0, `${needle} in ${file}`);
  return i + plus;
}

describe('navigation between templates and values', () => {
  test('the .Values expressions of a template, $ included', () => {
    assert.deepStrictEqual(valuesRefs('{{ .Values.a.b }} {{ $.Values.c | quote }} {{ .Values }} {{ .Release.Name }}').map((r) => r.path), [['a', 'b'], ['c']]);
  });

  test('definition: a template\'s .Values.x goes to the key that sets x', () => {
    const chart = analyze();
    const def = (file: string, needle: string, n = 0) => places(chart, valuesDefinition(chart, `${ROOT}/${file}`, at(file, needle, 12, n)));
    assert.deepStrictEqual({
      block: def('templates/deployment.yaml', '.Values.securityContext'),
      scalar: def('templates/deployment.yaml', '.Values.securityContext.runAsUser'),
      global: def('templates/deployment.yaml', '.Values.global.registry'),
      // The subchart's .Values.securityContext: the parent's `redis:` block (the alias) wins over its own defaults.
      subchart: def('charts/cache/templates/statefulset.yaml', '.Values.securityContext'),
      subchartGlobal: def('charts/cache/templates/statefulset.yaml', '$.Values.global.registry'),
    }, {
      block: ['values.yaml:3 securityContext'],
      scalar: ['values.yaml:4 runAsUser'],
      global: ['values.yaml:2 registry'],
      subchart: ['values.yaml:8 securityContext'],
      subchartGlobal: ['values.yaml:2 registry'],
    });
  });

  test('definition: an override file that sets the key wins, as it does when rendering', () => {
    const chart = analyze({ 'values-prod.yaml': 'securityContext:\n  runAsUser: 2000\n' });
    assert.deepStrictEqual(places(chart, valuesDefinition(chart, `${ROOT}/templates/deployment.yaml`, at('templates/deployment.yaml', '.Values.securityContext.runAsUser', 30))), ['values-prod.yaml:2 runAsUser']);
  });

  test('definition: a key only the subchart\'s own values.yaml sets', () => {
    const files = { ...FILES, 'values.yaml': 'global:\n  registry: example.com\n' };
    const chart = new ChartAnalyzer().analyze(buildChart(ROOT, new Map(Object.entries(files).map(([k, v]) => [`${ROOT}/${k}`, v]))), [], DEFAULT_OPTIONS);
    assert.deepStrictEqual(places(chart, valuesDefinition(chart, `${ROOT}/charts/cache/templates/statefulset.yaml`, at('charts/cache/templates/statefulset.yaml', '.Values.securityContext', 12))), ['charts/cache/values.yaml:1 securityContext']);
  });

  test('references: a values key → every expression reading it or a block holding it, subcharts through their alias', () => {
    const chart = analyze();
    const refs = (file: string, needle: string, n = 0) => places(chart, valuesReferences(chart, `${ROOT}/${file}`, at(file, needle, 1, n)));
    assert.deepStrictEqual({
      block: refs('values.yaml', 'securityContext:'),
      inner: refs('values.yaml', 'runAsUser'),
      drop: refs('values.yaml', 'drop'),
      alias: refs('values.yaml', 'securityContext:', 1),
      global: refs('values.yaml', 'registry'),
      subchartOwn: refs('charts/cache/values.yaml', 'runAsNonRoot'),
    }, {
      block: ['templates/deployment.yaml:12 .Values.securityContext', 'templates/deployment.yaml:15 .Values.securityContext.runAsUser'],
      inner: ['templates/deployment.yaml:12 .Values.securityContext', 'templates/deployment.yaml:15 .Values.securityContext.runAsUser'],
      drop: ['templates/deployment.yaml:12 .Values.securityContext'],
      alias: ['charts/cache/templates/statefulset.yaml:12 .Values.securityContext'],
      global: ['templates/deployment.yaml:10 .Values.global.registry', 'charts/cache/templates/statefulset.yaml:10 $.Values.global.registry'],
      subchartOwn: ['charts/cache/templates/statefulset.yaml:12 .Values.securityContext'],
    });
  });
});
