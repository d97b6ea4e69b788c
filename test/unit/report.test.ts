/**
 * The effective-context report: `secctx explain --format html|markdown` and the page the VS Code report
 * panel shows. The HTML is loaded in headless Chromium (Debian's, as the editor tests use) to check that it
 * is well-formed, that its Content-Security-Policy admits its own style and script and nothing else, that it
 * asks for nothing over the network, and that its numbers are those of `explain --format json`.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { runCliCaptured } from '../support/cli';
import { Analyzer } from '../../server/src/engine/analyze';
import { DEFAULT_OPTIONS } from '../../server/src/engine/options';
import { reportHtml } from '../../server/src/engine/present/html';
import { reportModel } from '../../server/src/engine/present/report';
import { reportMarkdown } from '../../server/src/engine/present/reportMarkdown';

const ROOT = path.resolve(__dirname, '../..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const cli = (...argv: string[]) => runCliCaptured(argv, { cwd: ROOT });

const POD = `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
    - name: root-app
      image: app:1
      securityContext:
        runAsUser: 0
        capabilities: {add: [NET_ADMIN, CAP_SYS_TIME], drop: [NET_RAW]}
    - name: hardened
      image: app:1
      securityContext:
        runAsUser: 1000
        allowPrivilegeEscalation: false
        capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}
    - name: priv
      image: app:1
      securityContext: {privileged: true}
`;

describe('report model', () => {
  const analysis = new Analyzer().analyze('/ws/pod.yaml', POD, DEFAULT_OPTIONS);
  const [file] = reportModel([{ analysis, text: POD, display: 'pod.yaml' }]).files;
  const byName = new Map(file.workloads.flatMap((w) => w.containers).map((c) => [c.name, c]));

  test('the capability flow, step by step: containerd ignores CAP_SYS_TIME; drop ALL then add; privileged is all of them', () => {
    const { runtimeDefault: _default, ...rootFlow } = byName.get('root-app')!.capabilities!;
    assert.deepStrictEqual({ ...rootFlow, bounding: rootFlow.bounding.length, effective: rootFlow.effective.length }, {
      runtime: 'containerd', added: ['NET_ADMIN'], dropped: ['NET_RAW'], ignored: ['CAP_SYS_TIME'], addAll: false, dropAll: false, privileged: false,
      bounding: 14, effective: 14, effectiveWhy: 'uid 0 keeps the bounding set',
    });
    const hardened = byName.get('hardened')!.capabilities!;
    assert.deepStrictEqual([hardened.dropAll, hardened.added, hardened.bounding, hardened.effective], [true, ['NET_BIND_SERVICE'], ['NET_BIND_SERVICE'], []]);
    assert.equal(byName.get('priv')!.capabilities!.bounding.length, 41);
  });

  test('verdicts: root, restricted gaps, privileged', () => {
    assert.deepStrictEqual([...byName.values()].map((c) => [c.name, c.verdict]), [['root-app', 'root'], ['hardened', 'restricted-gaps'], ['priv', 'privileged']]);
  });

  test('a Dockerfile has a report: its stages and the user each runs as', () => {
    const text = 'FROM debian:12 AS build\nRUN make\nFROM gcr.io/distroless/static:nonroot\nCOPY --from=build /out /app\n';
    const df = reportModel([{ analysis: new Analyzer().analyze('/ws/Dockerfile', text, DEFAULT_OPTIONS), text, display: 'Dockerfile' }]).files[0];
    assert.deepStrictEqual(df.stages.map((s) => [s.name, s.final, s.base, s.user]), [
      ['build', false, 'debian:12', 'uid 0 (root)'],
      ['stage 1', true, 'gcr.io/distroless/static:nonroot', 'uid 65532 (nonroot)'],
    ]);
  });

  test('Markdown: a section per container with its verdict and the flow', () => {
    const md = reportMarkdown(reportModel([{ analysis, text: POD, display: 'pod.yaml' }]));
    assert.ok(md.startsWith('# Effective security context\n\n## pod.yaml\n\n### Pod/p\n\n#### root-app — runs as root\n'), md.slice(0, 200));
    assert.ok(md.includes('- ignored by containerd: `CAP_SYS_TIME`\n'));
    assert.ok(md.includes('- **privileged**: every capability (all 41) and every host device; add and drop do not apply\n'));
  });
});

describe('report HTML in Chromium', { skip: existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM} (npm test installs it)` }, () => {
  let browser: Browser;
  before(async () => { browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'] }); });
  after(async () => { await browser?.close(); });

  /** Loads a page; returns what the DOM says plus every request and console message it caused. */
  async function load(html: string, init?: string) {
    const page = await browser.newPage();
    const requests: string[] = [];
    const console_: string[] = [];
    page.on('console', (m) => console_.push(m.text()));
    await page.route('**/*', (route) => {
      requests.push(route.request().url());
      return route.request().url() === 'http://report.test/' ? route.fulfill({ body: html, contentType: 'text/html' }) : route.abort();
    });
    if (init) await page.addInitScript(init);
    await page.goto('http://report.test/');
    return { page, requests, console: console_ };
  }

  test('explain --format html: well-formed, strict CSP, no requests, and the numbers of explain --format json', async () => {
    const html = await cli('explain', '--format', 'html', 'examples');
    const json = await cli('explain', '--format', 'json', 'examples');
    assert.deepStrictEqual([html.code, json.code, html.stderr], [0, 0, '']);
    const { page, requests, console: messages } = await load(html.stdout);
    try {
      // Chromium re-serialises what it parsed: a well-formed page survives with its structure.
      const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
      assert.match(csp ?? '', /^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'$/);
      // The style block is applied (its hash admits it): cards have a border.
      assert.notEqual(await page.locator('.card').first().evaluate((e) => getComputedStyle(e).borderTopStyle), 'none');
      const cards = await page.locator('.card').evaluateAll((els) => els.map((e) => ({
        name: e.getAttribute('data-container'),
        bounding: e.getAttribute('data-bounding'),
        effective: e.getAttribute('data-effective'),
      })));
      const expected = (JSON.parse(json.stdout) as { containers: { name: string; capabilities: { bounding: string[]; effective: string[] } | null }[] }).containers
        .map((c) => ({ name: c.name, bounding: c.capabilities ? String(c.capabilities.bounding.length) : null, effective: c.capabilities ? String(c.capabilities.effective.length) : null }));
      assert.deepStrictEqual(cards, expected);
      assert.deepStrictEqual(requests, ['http://report.test/']);
      assert.deepStrictEqual(messages, []);
      assert.equal(await page.locator('script').count(), 0);
    } finally {
      await page.close();
    }
  });

  test('the panel page: its script runs under the CSP and a link posts the line to open', async () => {
    const analysis = new Analyzer().analyze('/ws/pod.yaml', POD, DEFAULT_OPTIONS);
    const html = reportHtml(reportModel([{ analysis, text: POD, display: 'pod.yaml' }]), { mode: 'panel' });
    // The webview's acquireVsCodeApi, stood in for by an init script (it runs outside the page's CSP, as VS Code's does).
    const { page, console: messages } = await load(html, 'window.posted = []; window.acquireVsCodeApi = () => ({ postMessage: (m) => window.posted.push(m) });');
    try {
      await page.locator('[data-container="hardened"] h4 a').click();
      await page.locator('#copy-markdown').click();
      assert.deepStrictEqual(await page.evaluate(() => (window as unknown as { posted: unknown[] }).posted), [
        { type: 'open', path: '/ws/pod.yaml', line: POD.split('\n').findIndex((l) => l.includes('name: hardened')) + 1 },
        { type: 'copyMarkdown' },
      ]);
      assert.deepStrictEqual(messages, []);
    } finally {
      await page.close();
    }
  });
});

test('the README documents explain --format html and markdown', () => {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  assert.match(readme, /--format html/);
  assert.match(readme, /--format markdown/);
});
