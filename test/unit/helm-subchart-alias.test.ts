/**
 * A subchart pulled in under an alias: its own values.yaml is read under the alias, so every answer
 * about those values (placements, findings, hovers, values-file contexts, definition, completion,
 * unused blocks) speaks of the alias's key path and points into the subchart's values.yaml. Helm:
 * helm/helm pkg/chartutil dependencies.go `getAliasDependency` renames the dependency's chart to its
 * alias (`md.Name = dep.Alias`), then coalesce.go `coalesceDeps` merges `dest[subchart.Name()]` over
 * the subchart's values (`coalesceValues`), so the alias is the key its values sit under.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ChartAnalyzer, type ChartAnalysis } from '../../server/src/engine/helm/analyze';
import { buildChart } from '../../server/src/engine/helm/chart';
import { helmCompletionsAt } from '../../server/src/engine/helm/complete';
import { contextsForFile } from '../../server/src/engine/helm/contexts';
import { helmHover } from '../../server/src/engine/helm/hover';
import { valuesDefinition } from '../../server/src/engine/helm/navigate';
import { helmFileAnalysis } from '../../server/src/engine/helm/view';
import { LineIndex } from '../../server/src/engine/lines';
import { DEFAULT_OPTIONS } from '../../server/src/engine/options';
import type { Span } from '../../server/src/engine/types';

const ROOT = '/charts/shop';

const pod = (name: string) => [
  'apiVersion: v1',
  'kind: Pod',
  'metadata:',
  `  name: ${name}`,
  'spec:',
  '  containers:',
  `    - name: ${name}`,
  '      image: nginx',
  '      securityContext:',
  '        {{- toYaml .Values.securityContext | nindent 8 }}',
  '',
].join('\n');

const FILES: Record<string, string> = {
  'Chart.yaml': 'apiVersion: v2\nname: shop\nversion: 1.0.0\ndependencies:\n  - name: cache\n    version: 1.0.0\n    alias: redis\n',
  // The parent's own securityContext, and a `redis:` block that sets nothing security-related.
  'values.yaml': 'securityContext:\n  runAsUser: 1000\nredis:\n  replicas: 2\n',
  'templates/pod.yaml': pod('shop'),
  'charts/cache/Chart.yaml': 'apiVersion: v2\nname: cache\nversion: 1.0.0\n',
  'charts/cache/values.yaml': 'securityContext:\n  runAsUser: 0\n  privileged: true\npodSecurityContext:\n  fsGroup: 1\n',
  'charts/cache/templates/pod.yaml': pod('cache'),
};

const file = (rel: string) => `${ROOT}/${rel}`;

function analyze(): ChartAnalysis {
  return new ChartAnalyzer().analyze(buildChart(ROOT, new Map(Object.entries(FILES).map(([k, v]) => [file(k), v]))), [], DEFAULT_OPTIONS);
}

/** `file:line` of a span, file relative to the chart. */
function place(chart: ChartAnalysis, path: string, span: Span): string {
  return `${path.slice(ROOT.length + 1)}:${new LineIndex(chart.texts.get(path) ?? '').position(span.start).line}`;
}

/** The offset just inside the `n`th `needle` of a chart file. */
function at(rel: string, needle: string, n = 0): number {
  let i = -1;
  for (let k = 0; k <= n; k++) i = FILES[rel]!.indexOf(needle, i + 1);
  assert.ok(i >= 0, `${needle} in ${rel}`);
  return i + 1;
}

describe('a subchart under an alias', () => {
  test('its values.yaml is read under the alias: findings, hovers, contexts, definition, completion and unused blocks point there', () => {
    const chart = analyze();
    const view = (rel: string) => helmFileAnalysis(file(rel), FILES[rel]!, chart, file(rel), DEFAULT_OPTIONS);
    const becomes = (rel: string, needle: string, n = 0) => (helmHover(view(rel), at(rel, needle, n)) ?? '').match(/^`[^`]+`|\*\*Becomes\*\* [^—]+/gm);
    const contexts = (rel: string) => contextsForFile(chart, file(rel), 'values').map((c) => `${c.workload}/${c.name} at ${place(chart, file(rel), c.nameSpan)}`);
    const sub = 'charts/cache/values.yaml';
    assert.deepStrictEqual({
      placements: chart.placements.map((p) => `${p.workload} ${p.block} <- ${[...new Set(p.values.map((v) => `${v.path} (${place(chart, v.src.file, v.src)})`))].join(', ')}`),
      subFindings: view(sub).findings.map((f) => `${place(chart, file(sub), f.span)} ${f.rule}`),
      hoverAlias: becomes('values.yaml', 'redis:'),
      hoverParentBlock: becomes('values.yaml', 'securityContext:'),
      hoverSubBlock: becomes(sub, 'securityContext:'),
      hoverSubScalar: becomes(sub, 'privileged'),
      parentContexts: contexts('values.yaml'),
      subContexts: contexts(sub),
      definition: valuesDefinition(chart, file('charts/cache/templates/pod.yaml'), at('charts/cache/templates/pod.yaml', '.Values.securityContext') + 10).map((s) => place(chart, s.file, s)),
      completion: helmCompletionsAt(view(sub).helm!, FILES[sub]!.replace('  privileged: true\n', '  privileged: true\n  \n'), at(sub, 'podSecurityContext') + 1, DEFAULT_OPTIONS.runtime).map((c) => c.detail).slice(0, 1),
    }, {
      placements: [
        'Pod/cache redis.securityContext <- redis.securityContext.runAsUser (charts/cache/values.yaml:2), redis.securityContext.privileged (charts/cache/values.yaml:3)',
        'Pod/shop securityContext <- securityContext.runAsUser (values.yaml:2)',
      ],
      subFindings: ['charts/cache/values.yaml:2 run-as-root', 'charts/cache/values.yaml:3 privileged', 'charts/cache/values.yaml:4 values-not-used'],
      hoverAlias: ['`redis`', '**Becomes** container `cache` of `Pod/cache` '],
      hoverParentBlock: ['`securityContext`', '**Becomes** container `shop` of `Pod/shop` '],
      hoverSubBlock: ['`redis.securityContext`', '**Becomes** container `cache` of `Pod/cache` '],
      hoverSubScalar: ['`redis.securityContext.privileged`', '**Becomes** container `cache` of `Pod/cache` '],
      parentContexts: ['Pod/shop/shop at values.yaml:1'],
      subContexts: ['Pod/cache/cache at charts/cache/values.yaml:1'],
      definition: ['charts/cache/values.yaml:1'],
      completion: ['container securityContext (`redis.securityContext`)'],
    });
  });
});
