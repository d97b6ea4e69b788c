/**
 * The effective-context report of a Helm chart (`secctx explain --format markdown|html`, the VS Code
 * report panel): each container once. Its card stands under the template that renders it, and the values
 * files' findings about it join that card with their own file and line (as a kustomize patch's do). A values file reported alone (the panel on values.yaml) has one
 * card per container at its first block, as the Security contexts tree has one row (present/report.ts
 * containersOfFile, shared by both).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCliCaptured } from '../support/cli';
import { CHART_DEPLOYMENT } from '../support/helm';
import { ChartAnalyzer } from '../../server/src/engine/helm/analyze';
import { buildChart } from '../../server/src/engine/helm/chart';
import { helmFileAnalysis } from '../../server/src/engine/helm/view';
import { DEFAULT_OPTIONS } from '../../server/src/engine/options';
import { reportModel } from '../../server/src/engine/present/report';

/** A pod block and a container block, both feeding container `web`; uid 0 is a finding on values.yaml:4. */
const VALUES = 'podSecurityContext:\n  runAsNonRoot: true\nsecurityContext:\n  runAsUser: 0\n';

/** Headings, each card's place and each finding (severity, place, rule) of a Markdown report. */
const outline = (markdown: string) => markdown.split('\n').filter((l) => /^#{2,4} |^\S+:\d+( ·|$)|^- \*\*/.test(l)).map((l) => l.replace(/^- \*\*(\w+)\*\* (\S+) .*\(`([\w-]+)`\)$/, '$1 $2 $3'));

describe('the report of a chart lists each container once', () => {
  const dir = mkdtempSync(join(tmpdir(), 'secctx-report-chart-'));
  before(() => {
    mkdirSync(join(dir, 'web', 'templates'), { recursive: true });
    writeFileSync(join(dir, 'web', 'Chart.yaml'), 'apiVersion: v2\nname: web\nversion: 0.1.0\n');
    writeFileSync(join(dir, 'web', 'values.yaml'), VALUES);
    writeFileSync(join(dir, 'web', 'templates', 'deployment.yaml'), CHART_DEPLOYMENT);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('explain --format markdown: one card, under the template, with the values file\'s findings about it naming their file', async () => {
    const r = await runCliCaptured(['explain', '--format', 'markdown', 'web'], { cwd: dir });
    assert.deepStrictEqual({ code: r.code, outline: outline(r.stdout) }, {
      code: 0,
      outline: [
        '## web/templates/deployment.yaml',
        '### Deployment/release-name-web',
        '#### web — will not start',
        'web/templates/deployment.yaml:11 · image `nginx`',
        'info web/templates/deployment.yaml:13 privilege-escalation',
        'info web/templates/deployment.yaml:13 restricted-capabilities',
        'info web/templates/deployment.yaml:13 seccomp-profile-required',
        'error web/values.yaml:4 run-as-non-root-violation',
        'warning web/values.yaml:4 run-as-root',
      ],
    });
  });

  test('a values file reported alone: one card for the container both blocks feed, with the findings of both', () => {
    const root = '/charts/web';
    const files = new Map([['Chart.yaml', 'apiVersion: v2\nname: web\nversion: 0.1.0\n'], ['values.yaml', VALUES], ['templates/deployment.yaml', CHART_DEPLOYMENT]].map(([k, v]) => [`${root}/${k}`, v]));
    const chart = new ChartAnalyzer().analyze(buildChart(root, files), [], DEFAULT_OPTIONS);
    const analysis = helmFileAnalysis(`${root}/values.yaml`, VALUES, chart, `${root}/values.yaml`, DEFAULT_OPTIONS);
    const [file] = reportModel([{ analysis, text: VALUES, display: 'values.yaml' }]).files;
    assert.deepStrictEqual(file?.workloads.map((w) => ({ label: w.label, containers: w.containers.map((c) => ({ name: c.name, line: c.line, verdict: c.verdict, findings: c.findings.map((f) => `${f.line} ${f.rule}`) })) })), [
      { label: 'Deployment/release-name-web', containers: [{ name: 'web', line: 1, verdict: 'will-not-start', findings: ['4 run-as-non-root-violation', '4 run-as-root'] }] },
    ]);
  });
});
