/**
 * values.schema.json cannot change what secctx judges: Helm only validates the merged values against it
 * (chartutil ValidateAgainstSchema → ValidateAgainstSingleSchema, gojsonschema) and never fills defaults
 * or converts types from it, so the templates render the same with or without it. A chart with a schema
 * — one its values break, or one that is not even JSON — loads from disk and is judged exactly as the
 * same chart without it.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { ChartAnalyzer, type ChartAnalysis } from '../../server/src/engine/helm/analyze';
import { DEFAULT_OPTIONS } from '../../server/src/engine/options';
import { loadChart } from '../../server/src/host/helm/charts';
import { CHART_DEPLOYMENT } from '../support/helm';

const VALUES = 'podSecurityContext:\n  runAsUser: 0\nsecurityContext:\n  privileged: true\n';
/** Says runAsUser ≥ 1000, privileged false and a default seccomp profile: Helm would refuse these values, never apply the default. */
const SCHEMA = JSON.stringify({
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  properties: {
    podSecurityContext: { type: 'object', properties: { runAsUser: { type: 'integer', minimum: 1000 }, seccompProfile: { type: 'object', default: { type: 'RuntimeDefault' } } } },
    securityContext: { type: 'object', properties: { privileged: { type: 'boolean', enum: [false] } } },
  },
});

describe('values.schema.json', () => {
  const dir = mkdtempSync(join(tmpdir(), 'secctx-helm-schema-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  async function judged(name: string, schema?: string): Promise<unknown> {
    const root = join(dir, name);
    mkdirSync(join(root, 'templates'), { recursive: true });
    writeFileSync(join(root, 'Chart.yaml'), 'apiVersion: v2\nname: web\nversion: 0.1.0\n');
    writeFileSync(join(root, 'values.yaml'), VALUES);
    writeFileSync(join(root, 'templates', 'deployment.yaml'), CHART_DEPLOYMENT);
    if (schema !== undefined) writeFileSync(join(root, 'values.schema.json'), schema);
    const chart = await loadChart(root);
    assert.ok(chart, name);
    const a: ChartAnalysis = new ChartAnalyzer().analyze(chart, [], DEFAULT_OPTIONS);
    const rel = (f: string) => f.slice(a.chart.root.length + 1);
    return {
      findings: [...a.findings].map(([file, list]) => [rel(file), list.map((f) => [f.rule, f.severity, f.span.start, f.message])]),
      contexts: a.containers.map((c) => [c.workload, c.context.name, c.context.user, c.context.privileged.value, c.context.seccomp.value]),
    };
  }

  test('a chart with a schema its values break, or with one that is not JSON, is judged as without it', async () => {
    const without = await judged('plain');
    assert.match(JSON.stringify(without), /"privileged"/);
    assert.deepStrictEqual({ schema: await judged('schema', SCHEMA), broken: await judged('broken', '{ not json') }, { schema: without, broken: without });
  });
});
