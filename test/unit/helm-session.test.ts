/**
 * The host's chart cache (host/helm/session.ts) as the server uses it: a chart file is answered
 * undefined until its chart is read in the background (then onReady names the chart), a file changed
 * on disk is read again alone, a closed buffer goes back to the disk's text, and a deleted chart
 * folder is forgotten.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { DEFAULT_OPTIONS } from '../../server/src/engine/options';
import { HelmCharts } from '../../server/src/host/helm/session';

const DEPLOYMENT = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      securityContext:\n        {{- toYaml .Values.podSecurityContext | nindent 8 }}\n      containers:\n        - name: web\n          image: nginx\n';
const VALUES = 'podSecurityContext:\n  capabilities:\n    add: [NET_ADMIN]\n';

describe('the host\'s chart cache', () => {
  const dir = mkdtempSync(join(tmpdir(), 'secctx-helm-session-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const root = join(dir, 'web').split('\\').join('/');
  const values = `${root}/values.yaml`;
  const template = `${root}/templates/deployment.yaml`;
  mkdirSync(join(dir, 'web', 'templates'), { recursive: true });
  writeFileSync(join(dir, 'web', 'Chart.yaml'), 'apiVersion: v2\nname: web\nversion: 0.1.0\n');
  writeFileSync(values, VALUES);
  writeFileSync(template, DEPLOYMENT);
  const ready: string[] = [];
  const charts = new HelmCharts((r) => ready.push(r));
  const caps = () => charts.fileAnalysis(values, VALUES, DEFAULT_OPTIONS)?.findings.filter((f) => f.rule === 'capabilities-at-pod-level').map((f) => f.message.slice(f.message.indexOf('(placed by')));

  test('unknown at first (read in the background), then judged through the chart once onReady names it', async () => {
    assert.equal(charts.fileAnalysis(values, VALUES, DEFAULT_OPTIONS), undefined);
    await charts.settled();
    assert.deepStrictEqual({ ready, caps: caps() }, { ready: [root], caps: ['(placed by templates/deployment.yaml:9)'] });
  });

  test('a template changed on disk is read again and the chart is ready again', async () => {
    writeFileSync(template, `# moved down one line\n${DEPLOYMENT}`);
    charts.fileChanged(template);
    await charts.settled();
    assert.deepStrictEqual({ ready, caps: caps() }, { ready: [root, root], caps: ['(placed by templates/deployment.yaml:10)'] });
  });

  test('an open template\'s buffer wins over the disk until it is closed', async () => {
    // A file the chart has already read is judged with it at once: no root lookup, no first result of the template alone.
    assert.notEqual(charts.fileAnalysis(template, DEPLOYMENT, DEFAULT_OPTIONS)?.helm, undefined);
    assert.deepStrictEqual(caps(), ['(placed by templates/deployment.yaml:9)']);
    charts.closed(template);
    await charts.settled();
    assert.deepStrictEqual(caps(), ['(placed by templates/deployment.yaml:10)']);
  });

  test('a deleted chart folder is forgotten: its files are no chart\'s', async () => {
    rmSync(join(dir, 'web'), { recursive: true, force: true });
    charts.fileChanged(root, false, true);
    assert.equal(charts.fileAnalysis(values, VALUES, DEFAULT_OPTIONS), undefined);
    await charts.settled();
    assert.deepStrictEqual({ again: charts.fileAnalysis(values, VALUES, DEFAULT_OPTIONS), root: charts.knownRoot(values) }, { again: undefined, root: undefined });
  });
});

describe('a subchart\'s template when the parent chart is read', () => {
  const dir = mkdtempSync(join(tmpdir(), 'secctx-helm-sub-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const root = join(dir, 'app').split('\\').join('/');
  const sub = `${root}/charts/db`;
  mkdirSync(`${root}/templates`, { recursive: true });
  mkdirSync(`${sub}/templates`, { recursive: true });
  writeFileSync(`${root}/Chart.yaml`, 'apiVersion: v2\nname: app\nversion: 0.1.0\n');
  writeFileSync(`${root}/values.yaml`, VALUES);
  writeFileSync(`${root}/templates/deployment.yaml`, DEPLOYMENT);
  writeFileSync(`${sub}/Chart.yaml`, 'apiVersion: v2\nname: db\nversion: 0.1.0\n');
  writeFileSync(`${sub}/values.yaml`, VALUES);
  writeFileSync(`${sub}/templates/deployment.yaml`, DEPLOYMENT);

  test('is its own chart\'s (helm\'s nearest Chart.yaml), found by a lookup, never taken for the parent\'s', async () => {
    const charts = new HelmCharts();
    assert.equal(charts.fileAnalysis(`${root}/values.yaml`, VALUES, DEFAULT_OPTIONS), undefined);
    await charts.settled();
    assert.equal(charts.fileAnalysis(`${sub}/templates/deployment.yaml`, DEPLOYMENT, DEFAULT_OPTIONS), undefined);
    await charts.settled();
    assert.equal(charts.fileAnalysis(`${sub}/templates/deployment.yaml`, DEPLOYMENT, DEFAULT_OPTIONS)?.helm?.chart.chart.root, sub);
  });
});
