/**
 * UI tests: a person's view of secctx in a real VS Code workbench (code-server in headless
 * Chromium, driven by playwright-core). Run by test/vscode/run.ts after the extension-host suite,
 * in the same window; each test starts from closed editors and a fresh copy of its manifest.
 * Screenshots of passing tests go to .test-results/screenshots/, or to docs/images/ (the README
 * shows them) with SECCTX_UPDATE_SCREENSHOTS=1 (see screenshots.ts); a failing test leaves
 * a screenshot of the moment it failed in .test-results/ui/.
 */
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import type { TestOutcome } from './results';

export interface UiContext {
  readonly page: Page;
  /** The workspace folder code-server has open (a copy of test/vscode/fixtures). */
  readonly workspaceDir: string;
  readonly fixturesDir: string;
  /** Where passing tests' screenshots are copied: .test-results/screenshots, or docs/images when refreshing them. */
  readonly imagesDir: string;
  /** Scratch space for screenshots: .test-results/ui. */
  readonly scratchDir: string;
  /** The palette title ("Category: Title") of a command contributed by secctx's package.json. */
  commandTitle(command: string): string | undefined;
}

interface UiTestRun {
  /** Saves a screenshot that is published to <imagesDir>/<name>.png if the test passes. */
  screenshot(name: string): Promise<void>;
}

interface UiTest {
  readonly title: string;
  run(context: UiContext, run: UiTestRun): Promise<void>;
}

/** The runner's copy of pod-level-caps.yaml for the UI tests (its own name: quick open finds exactly it). */
const UI_FILE = 'ui/pod.yaml';
const UI_FIXTURE = 'pod-level-caps.yaml';
const MOVED_FIXTURE = 'expected/pod-level-caps.moved-to-containers.yaml';
/** How long a secctx feature may take to show up in the workbench. */
const FEATURE_TIMEOUT_MS = 30_000;
/** How long the workbench itself may take (palette, quick open, tabs). */
const WORKBENCH_TIMEOUT_MS = 15_000;

class UiAssertionError extends Error {}

function fail(message: string): never {
  throw new UiAssertionError(message);
}

// ---- workbench helpers ------------------------------------------------------------------------

async function runPaletteCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: WORKBENCH_TIMEOUT_MS });
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ state: 'visible', timeout: WORKBENCH_TIMEOUT_MS });
  await row.click();
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: WORKBENCH_TIMEOUT_MS });
}

/** Closes every editor; an edited one (e.g. an untitled report) asks whether to save: "Don't Save". */
async function closeAllEditors(page: Page): Promise<void> {
  await page.keyboard.press('Escape');
  await runPaletteCommand(page, 'View: Close All Editors');
  const tabs = page.locator('.tabs-container .tab');
  const dontSave = page.locator('.monaco-dialog-box .monaco-button', { hasText: "Don't Save" });
  const deadline = Date.now() + WORKBENCH_TIMEOUT_MS;
  while ((await tabs.count()) > 0) {
    if (await dontSave.isVisible()) await dontSave.click();
    if (Date.now() > deadline) fail(`${await tabs.count()} editor(s) still open after "Close All Editors"`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function openFile(page: Page, relativePath: string): Promise<Locator> {
  const name = path.basename(relativePath);
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: WORKBENCH_TIMEOUT_MS });
  await input.fill(relativePath);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first();
  await row.waitFor({ state: 'visible', timeout: WORKBENCH_TIMEOUT_MS });
  await page.keyboard.press('Enter');
  await page.locator('.tabs-container .tab.active', { hasText: name }).waitFor({ timeout: WORKBENCH_TIMEOUT_MS });
  const editor = page.locator('.editor-instance .monaco-editor').first();
  await editor.locator('.view-line').first().waitFor({ timeout: WORKBENCH_TIMEOUT_MS });
  return editor;
}

/** The rendered editor line containing `text` (Monaco renders spaces as U+00A0; Playwright normalizes them). */
function editorLine(editor: Locator, text: string | RegExp): Locator {
  return editor.locator('.view-lines .view-line', { hasText: text }).first();
}

/** The token span whose whole text is `token`, on the line containing `lineText`. */
function token(editor: Locator, lineText: string, tokenText: string): Locator {
  return editorLine(editor, lineText).locator('span > span', { hasText: new RegExp(`^${tokenText}$`) }).first();
}

/** innerText with Monaco's U+00A0 spaces (and any run of whitespace) as one plain space. */
async function textOf(locator: Locator): Promise<string> {
  return (await locator.innerText()).replace(/\s+/g, ' ');
}

/** Bounded polling of something outside the DOM (the file on disk). */
async function pollUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() >= deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

// ---- the tests --------------------------------------------------------------------------------

export const uiTests: readonly UiTest[] = [
  {
    title: 'the pod-level capabilities key is squiggled as an error',
    async run({ page }) {
      const editor = await openFile(page, UI_FILE);
      const squiggle = editor.locator('.view-overlays .squiggly-error').first();
      await squiggle.waitFor({ state: 'attached', timeout: FEATURE_TIMEOUT_MS });
      const line = await editorLine(editor, 'capabilities:').boundingBox();
      const mark = await squiggle.boundingBox();
      if (!line || !mark) fail('the capabilities line or its squiggle has no box on screen');
      if (Math.abs(mark.y + mark.height / 2 - (line.y + line.height / 2)) > line.height / 2) {
        fail(`the error squiggle is at y=${mark.y}, not on the capabilities line (y=${line.y}..${line.y + line.height})`);
      }
    },
  },
  {
    title: 'hovering a container name shows the uid it runs as',
    async run({ page }, run) {
      const editor = await openFile(page, UI_FILE);
      await token(editor, 'name: sidecar', 'sidecar').hover();
      const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: /\buid\b/ }).first();
      await hover.waitFor({ state: 'visible', timeout: FEATURE_TIMEOUT_MS });
      const text = await textOf(hover);
      if (!/\buid 1000\b/.test(text)) fail(`the hover on container "sidecar" (runAsUser: 1000) does not say "uid 1000":\n${text}`);
      await run.screenshot('hover');
    },
  },
  {
    title: 'inlay hints show each container\'s effective uid after its name',
    async run({ page }, run) {
      const editor = await openFile(page, UI_FILE);
      const app = editorLine(editor, /name:\s+app.*\b(uid|root)\b/);
      await app.waitFor({ timeout: FEATURE_TIMEOUT_MS });
      const sidecar = await textOf(editorLine(editor, /name:\s+sidecar/));
      const appText = await textOf(app);
      if (!/\b(uid 0|root)\b/.test(appText)) fail(`the line of container "app" shows neither "uid 0" nor "root": ${appText}`);
      if (!/\buid 1000\b/.test(sidecar)) fail(`the line of container "sidecar" shows no "uid 1000" hint: ${sidecar}`);
      await run.screenshot('inlay-hints');
    },
  },
  {
    title: 'Ctrl+click on the uid part of a container\'s inlay hint goes to the runAsUser that decided it',
    async run({ page, fixturesDir }) {
      const editor = await openFile(page, UI_FILE);
      const app = editorLine(editor, /name:\s+app.*\broot\b/);
      await app.waitFor({ timeout: FEATURE_TIMEOUT_MS });
      // The hint's parts are spans of injected text after the name; "root" comes from the pod's runAsUser: 0.
      const part = app.locator('span', { hasText: /^\s*root\s*$/ }).last();
      const box = await part.boundingBox();
      if (!box) fail('the "root" part of the hint has no box on screen');
      // As a person does it: point at the part, hold Ctrl (the part becomes a link), click.
      const x = box.x + box.width / 2;
      const y = box.y + box.height / 2;
      await page.mouse.move(x - 2, y);
      await page.keyboard.down('Control');
      await page.mouse.move(x, y, { steps: 3 });
      await page.mouse.down();
      await page.mouse.up();
      await page.keyboard.up('Control');
      const status = page.locator('#status\\.editor\\.selection');
      const podLine = (await readFile(path.join(fixturesDir, UI_FIXTURE), 'utf8')).split('\n').findIndex((l) => /^\s+runAsUser: 0\b/.test(l)) + 1;
      const landed = await pollUntil(() => status.innerText().catch(() => ''), (t) => t.includes(`Ln ${podLine},`), WORKBENCH_TIMEOUT_MS);
      if (!landed.includes(`Ln ${podLine},`)) fail(`Ctrl+click on the "root" part (${JSON.stringify(box)}, "${await part.evaluate((e) => e.outerHTML)}") did not go to line ${podLine} (runAsUser: 0); the status bar says "${landed}"`);
    },
  },
  {
    title: 'Ctrl+. on the pod-level capabilities moves them to the containers, and saving writes that to disk',
    async run({ page, workspaceDir, fixturesDir }, run) {
      const editor = await openFile(page, UI_FILE);
      await editor.locator('.view-overlays .squiggly-error').first().waitFor({ state: 'attached', timeout: FEATURE_TIMEOUT_MS });
      await token(editor, 'capabilities:', 'capabilities').click();
      await page.keyboard.press('Control+Period');
      const menu = page.locator('.action-widget').first();
      await menu.waitFor({ state: 'visible', timeout: FEATURE_TIMEOUT_MS });
      const move = menu.locator('.monaco-list-row', { hasText: 'Move capabilities to all containers' }).first();
      try {
        await move.waitFor({ state: 'visible', timeout: WORKBENCH_TIMEOUT_MS });
      } catch {
        fail(`the quick-fix menu has no "Move capabilities to all containers"; it shows:\n${await menu.innerText()}`);
      }
      // A person picks it with the arrow keys (the menu's pointer block swallows synthetic mouse moves).
      const focused = menu.locator('.monaco-list-row.focused');
      const rows = await menu.locator('.monaco-list-row').count();
      for (let i = 0; i < rows && !(await focused.innerText().catch(() => '')).includes('Move capabilities to all containers'); i++) {
        await page.keyboard.press('ArrowDown');
      }
      if (!(await focused.innerText()).includes('Move capabilities to all containers')) fail('could not focus "Move capabilities to all containers" with the arrow keys');
      await run.screenshot('quick-fix');
      await page.keyboard.press('Enter');
      await menu.waitFor({ state: 'hidden', timeout: WORKBENCH_TIMEOUT_MS });
      await page.locator('.tabs-container .tab.active.dirty').waitFor({ timeout: WORKBENCH_TIMEOUT_MS });
      await page.keyboard.press('Control+S');
      await page.locator('.tabs-container .tab.active:not(.dirty)').waitFor({ timeout: WORKBENCH_TIMEOUT_MS });

      const expected = await readFile(path.join(fixturesDir, MOVED_FIXTURE), 'utf8');
      const onDisk = await pollUntil(() => readFile(path.join(workspaceDir, UI_FILE), 'utf8'), (text) => text === expected, 5_000);
      if (onDisk !== expected) fail(`the saved file differs from ${MOVED_FIXTURE}.\n--- saved\n${onDisk}\n--- expected\n${expected}`);
    },
  },
  {
    title: 'the effective-context report opens from the command palette',
    async run(context, run) {
      const { page } = context;
      const title = context.commandTitle('secctx.showEffectiveContext');
      if (!title) fail('package.json contributes no command secctx.showEffectiveContext');
      await openFile(page, UI_FILE);
      const tabs = page.locator('.tabs-container .tab');
      const before = await tabs.count();
      await runPaletteCommand(page, title);
      await tabs.nth(before).waitFor({ timeout: FEATURE_TIMEOUT_MS });
      // The report panel is a webview (the page is in an iframe inside an iframe); a plain
      // text report would open beside the manifest, in the second editor group.
      const preview = page.locator('iframe.webview.ready').last().contentFrame().locator('#active-frame').contentFrame().locator('body');
      const beside = page.locator('.editor-group-container').nth(1).locator('.view-lines');
      const readReport = async (): Promise<string> => {
        for (const candidate of [preview, beside]) {
          const text = (await candidate.count()) > 0 ? await textOf(candidate).catch(() => '') : '';
          if (text.includes('sidecar')) return text;
        }
        return '';
      };
      const text = await pollUntil(readReport, (report) => report.length > 0, FEATURE_TIMEOUT_MS);
      if (!text) fail('no report with the containers appeared (neither a preview nor a text editor beside the manifest)');
      const missing = ['app', 'sidecar', 'uid 0', 'uid 1000', 'containerd default (14)', '= bounding (14)', 'effective (0)'].filter((needle) => !text.includes(needle));
      if (missing.length > 0) fail(`the report does not show ${JSON.stringify(missing)}:\n${text}`);
      await run.screenshot('report');
      // One panel, reused: asking again opens no other tab.
      const after = await tabs.count();
      await runPaletteCommand(page, title);
      await pollUntil(async () => (await readReport()).length, (n) => n > 0, FEATURE_TIMEOUT_MS);
      if ((await tabs.count()) !== after) fail(`a second report tab opened (${after} → ${await tabs.count()} tabs)`);
    },
  },
  {
    title: 'the Security contexts view lists containers with their verdicts and filters them',
    async run(context, run) {
      const { page } = context;
      await openFile(page, UI_FILE);
      await runPaletteCommand(page, 'Explorer: Focus on Security contexts View');
      // The explorer's folder pane is collapsed so the view has the height to draw every row (lists render only visible rows).
      const folders = page.locator('.pane-header', { hasText: /^workspace/i }).first();
      if ((await folders.getAttribute('aria-expanded')) === 'true') await folders.click();
      const view = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Security contexts' }) });
      const rows = view.locator('.monaco-list-row');
      await rows.filter({ hasText: 'sidecar' }).first().waitFor({ timeout: FEATURE_TIMEOUT_MS });
      const sidecar = await textOf(rows.filter({ hasText: 'sidecar' }).first());
      if (!sidecar.includes('uid 1000')) fail(`the sidecar row does not show its uid: ${sidecar}`);
      await run.screenshot('security-contexts');
      // Filter: only "runs as root" (the app container), through the view's quick pick.
      const filter = context.commandTitle('secctx.securityContexts.filter');
      if (!filter) fail('package.json contributes no command secctx.securityContexts.filter');
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget .quick-input-box input');
      await input.fill(`>${filter}`);
      await page.locator('.quick-input-list .monaco-list-row', { hasText: filter }).first().click();
      const toggleAll = page.locator('.quick-input-widget .quick-input-check-all');
      await toggleAll.waitFor({ state: 'visible', timeout: WORKBENCH_TIMEOUT_MS });
      await toggleAll.click(); // everything was picked: now nothing is
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'runs as root' }).first().locator('.monaco-checkbox, input[type=checkbox]').first().click();
      await page.keyboard.press('Enter');
      // The view re-renders: wait for the filtered rows (app present, sidecar gone), not for an empty moment.
      // A row's text runs its label and description together (`approot · 14 caps`): match the label itself.
      const named = (name: string) => rows.filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${name}$`) }) });
      const counts = async () => ({ app: await named('app').count(), sidecar: await named('sidecar').count() });
      const seen = await pollUntil(counts, (c) => c.app > 0 && c.sidecar === 0, FEATURE_TIMEOUT_MS);
      if (seen.sidecar > 0) fail('the filter "runs as root" left the non-root sidecar in the view');
      if (seen.app === 0) fail('the filter "runs as root" hid the root app container');
      await run.screenshot('security-contexts-filtered');
    },
  },
];

function slug(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);
}

/** Runs every UI test; a failing test does not stop the next one. */
export async function runUiTests(context: UiContext): Promise<TestOutcome[]> {
  await mkdir(context.scratchDir, { recursive: true });
  await mkdir(context.imagesDir, { recursive: true });
  const outcomes: TestOutcome[] = [];
  for (const test of uiTests) {
    const started = Date.now();
    const screenshots: string[] = [];
    const run: UiTestRun = {
      async screenshot(name) {
        const file = path.join(context.scratchDir, `${name}.png`);
        await context.page.screenshot({ path: file, animations: 'disabled', caret: 'hide' });
        screenshots.push(file);
      },
    };
    try {
      await closeAllEditors(context.page);
      await copyFile(path.join(context.fixturesDir, UI_FIXTURE), path.join(context.workspaceDir, UI_FILE));
      await test.run(context, run);
      for (const file of screenshots) await copyFile(file, path.join(context.imagesDir, path.basename(file)));
      outcomes.push({ suitePath: ['UI'], title: test.title, state: 'passed', durationMs: Date.now() - started });
    } catch (error) {
      const shot = path.join(context.scratchDir, `failure-${slug(test.title)}.png`);
      await context.page.screenshot({ path: shot }).catch(() => undefined);
      const message = error instanceof UiAssertionError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
      outcomes.push({ suitePath: ['UI'], title: test.title, state: 'failed', durationMs: Date.now() - started, error: `${message}\n(screenshot: ${shot})` });
    }
  }
  return outcomes;
}
