/**
 * `npm run test:vscode`: the editor tests in a real VS Code.
 *
 *  - Where VS Code can be downloaded: @vscode/test-electron runs the mocha suite
 *    (test/vscode/suite) in VS Code's extension host, with secctx as the development extension.
 *  - Where it cannot (detected by a short download attempt, or SECCTX_OFFLINE=1): code-server
 *    (scripts/install-code-server.sh) with the packaged secctx .vsix and a runner extension that
 *    runs the same suite; headless Chromium opens the workbench (the extension host only starts
 *    when a browser connects), and the UI tests (ui.test.ts) then drive that same window.
 *
 * Environment: SECCTX_OFFLINE=1 (skip the download attempt), SECCTX_VSCODE_VERSION (default 1.99.3),
 * SECCTX_TEST_GREP (only matching extension-host tests), SECCTX_SKIP_UI=1, SECCTX_UPDATE_SCREENSHOTS=1
 * (write the UI screenshots to docs/images instead of .test-results/screenshots), SECCTX_KEEP_TEMP=1
 * (keep the temporary user-data/workspace directory), CHROMIUM_PATH (default /usr/bin/chromium).
 * Prints one closing line "N passed, N failed" and exits non-zero when a test or a step failed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { download, runTests } from '@vscode/test-electron';
import { chromium, type Browser } from 'playwright-core';
import { bundleSuite } from './bundle';
import {
  FIXTURES_DIR, REPO_ROOT, assertCodeServerInstalled, codeServerVersion, createSession, installExtensions, removeSession, startCodeServer,
  type RunningCodeServer, type Session,
} from './code-server';
import { StepError, killAll, killAllNow, runStep } from './processes';
import { countOutcomes, printLayer, type LayerResults } from './report';
import { RESULTS_FILE_ENV, type SuiteResults } from './results';
import { screenshotsDir } from './screenshots';
import { snapshotTracked, trackedOutcome } from './tracked-files';
import { runUiTests } from './ui.test';

const VSCODE_VERSION = process.env.SECCTX_VSCODE_VERSION ?? '1.99.3';
const DOWNLOAD_TIMEOUT_MS = 20_000;
const SUITE_TIMEOUT_MS = 5 * 60_000;
const WORKBENCH_TIMEOUT_MS = 90_000;
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'];
const OUT_DIR = path.join(REPO_ROOT, 'out', 'vscode-test');
const SCRATCH_DIR = path.join(REPO_ROOT, '.test-results');

interface PackageManifest {
  readonly version: string;
  readonly contributes?: { readonly commands?: readonly { readonly command: string; readonly title: string; readonly category?: string }[] };
}
const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as PackageManifest;

function say(message: string): void {
  console.log(`test:vscode: ${message}`);
}

const runStarted = Date.now();
async function step<T>(title: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  say(`${title} ...`);
  const result = await work();
  say(`${title}: done in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  return result;
}

// ---- cleanup: every exit path kills code-server/Chromium and removes the temporary directory ---

const cleanups: (() => Promise<void>)[] = [];
let cleaning: Promise<void> | undefined;
/** Runs once however often it is called (a second Ctrl+C waits for the first cleanup). */
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch((error: unknown) => say(`cleanup: ${String(error)}`));
    await killAll();
  })();
  return cleaning;
}
process.on('exit', killAllNow);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    say(`${signal}: stopping`);
    void cleanUp().finally(() => process.exit(130));
  });
}

async function newSession(): Promise<Session> {
  const session = await createSession();
  if (process.env.SECCTX_KEEP_TEMP === '1') say(`keeping ${session.dir}`);
  else cleanups.push(() => removeSession(session));
  return session;
}

// ---- which VS Code ---------------------------------------------------------------------------

/** The path of a downloaded VS Code, or undefined when it cannot be downloaded here. */
async function downloadVSCode(): Promise<string | undefined> {
  if (process.env.SECCTX_OFFLINE === '1') {
    say('SECCTX_OFFLINE=1: not trying to download VS Code.');
    return undefined;
  }
  let timer: NodeJS.Timeout | undefined;
  const tooSlow = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${DOWNLOAD_TIMEOUT_MS / 1000}s`)), DOWNLOAD_TIMEOUT_MS);
  });
  try {
    return await Promise.race([download({ version: VSCODE_VERSION, timeout: DOWNLOAD_TIMEOUT_MS }), tooSlow]);
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    say(`VS Code ${VSCODE_VERSION} cannot be downloaded here (${reason}).`);
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

async function readResults(resultsFile: string): Promise<SuiteResults> {
  return JSON.parse(await readFile(resultsFile, 'utf8')) as SuiteResults;
}

function suiteLayer(where: string, results: SuiteResults): LayerResults {
  return { layer: `Extension host (${where}, VS Code ${results.vscodeVersion})`, ...results };
}

// ---- (a) @vscode/test-electron ----------------------------------------------------------------

async function runInElectron(vscodeExecutablePath: string): Promise<LayerResults> {
  await step('npm run build', () => runStep('npm run build', 'npm', ['run', 'build'], { cwd: REPO_ROOT }));
  const extensionTestsPath = path.join(OUT_DIR, 'electron', 'suite.js');
  await step('bundle the suite', () => bundleSuite(path.join(__dirname, 'suite', 'electron.ts'), extensionTestsPath));
  const session = await newSession();
  await step('run the suite in VS Code', async () => {
    try {
      await runTests({
        vscodeExecutablePath,
        extensionDevelopmentPath: REPO_ROOT,
        extensionTestsPath,
        extensionTestsEnv: { [RESULTS_FILE_ENV]: session.resultsFile },
        launchArgs: [session.workspaceDir, '--disable-extensions', '--disable-workspace-trust', `--user-data-dir=${session.userDataDir}`],
      });
    } catch (error) {
      // Failing tests make VS Code exit non-zero; their details are in the results file.
      if (!existsSync(session.resultsFile)) throw new StepError(`VS Code exited without results: ${String(error)}`);
    }
  });
  return suiteLayer('@vscode/test-electron', await readResults(session.resultsFile));
}

// ---- (b) code-server + Chromium ----------------------------------------------------------------

/** Bundles the runner extension (suite + mocha inside) into out/ and packages it as a .vsix. */
async function packageRunnerExtension(): Promise<string> {
  const source = path.join(__dirname, 'runner-extension');
  const staging = path.join(OUT_DIR, 'runner-extension');
  const vsix = path.join(OUT_DIR, 'secctx-test-runner.vsix');
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  await cp(path.join(source, 'package.json'), path.join(staging, 'package.json'));
  await writeFile(path.join(staging, '.vscodeignore'), '**\n!package.json\n!README.md\n!dist/extension.js\n');
  await writeFile(path.join(staging, 'README.md'), '# secctx test runner\n\nRuns the secctx extension-host suite when SECCTX_TEST_RUN is set. Test infrastructure only.\n');
  await bundleSuite(path.join(source, 'src', 'extension.ts'), path.join(staging, 'dist', 'extension.js'));
  const vsce = path.join(REPO_ROOT, 'node_modules', '.bin', 'vsce');
  await runStep('package the runner extension', vsce, ['package', '--no-dependencies', '--skip-license', '--out', vsix], { cwd: staging, stdio: ['ignore', 'ignore', 'inherit'] });
  return vsix;
}

async function packageSecctx(): Promise<string> {
  await runStep('npm run package (build + vsce)', 'npm', ['run', 'package'], { cwd: REPO_ROOT });
  const vsix = path.join(REPO_ROOT, `secctx-${manifest.version}.vsix`);
  if (!existsSync(vsix)) throw new StepError(`npm run package made no ${path.basename(vsix)}`);
  return vsix;
}

/** Waits (bounded polling) for the runner extension's results file; fails early if code-server dies. */
async function waitForResults(session: Session, server: RunningCodeServer): Promise<SuiteResults> {
  const deadline = Date.now() + SUITE_TIMEOUT_MS;
  while (!existsSync(session.resultsFile)) {
    if (server.process.exitCode !== null || server.process.signalCode !== null) {
      throw new StepError(`code-server exited while the suite ran:\n${server.log().slice(-4000)}`);
    }
    if (Date.now() > deadline) {
      throw new StepError(`no results from the extension host within ${SUITE_TIMEOUT_MS / 1000}s (is the runner extension installed?); code-server log:\n${server.log().slice(-4000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return readResults(session.resultsFile);
}

function commandTitle(command: string): string | undefined {
  const contributed = manifest.contributes?.commands?.find((c) => c.command === command);
  if (!contributed) return undefined;
  return contributed.category ? `${contributed.category}: ${contributed.title}` : contributed.title;
}

async function runInCodeServer(): Promise<LayerResults[]> {
  assertCodeServerInstalled();
  if (!existsSync(CHROMIUM_PATH)) throw new StepError(`no Chromium at ${CHROMIUM_PATH}: run scripts/install-code-server.sh (Debian package chromium) or set CHROMIUM_PATH`);
  const secctxVsix = await step('npm run package', packageSecctx);
  const runnerVsix = await step('bundle and package the runner extension', packageRunnerExtension);
  const session = await newSession();
  await step('install both extensions into code-server', () => installExtensions(session, [secctxVsix, runnerVsix]));
  const server = await step('start code-server', () => startCodeServer(session, { [RESULTS_FILE_ENV]: session.resultsFile }));
  say(`code-server is serving ${server.workbenchUrl}`);

  // Our signal handlers close Chromium (and remove its profile) in order; Playwright's would exit first.
  const browser: Browser = await step('start headless Chromium', () => chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false }));
  cleanups.push(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await step('open the workbench', async () => {
    await page.goto(server.workbenchUrl);
    await page.locator('.monaco-workbench').waitFor({ timeout: WORKBENCH_TIMEOUT_MS });
  });

  const layers: LayerResults[] = [];
  try {
    const results = await step('run the suite in the extension host', () => waitForResults(session, server));
    layers.push(suiteLayer(`code-server ${codeServerVersion()}`, results));
  } catch (error) {
    await mkdir(SCRATCH_DIR, { recursive: true });
    await page.screenshot({ path: path.join(SCRATCH_DIR, 'extension-host-no-results.png') }).catch(() => undefined);
    throw error;
  }

  if (process.env.SECCTX_SKIP_UI === '1') {
    say('SECCTX_SKIP_UI=1: not running the UI tests.');
    return layers;
  }
  const started = Date.now();
  const outcomes = await step('run the UI tests', () =>
    runUiTests({
      page,
      workspaceDir: session.workspaceDir,
      fixturesDir: FIXTURES_DIR,
      imagesDir: screenshotsDir(REPO_ROOT),
      scratchDir: path.join(SCRATCH_DIR, 'ui'),
      commandTitle,
    }),
  );
  layers.push({ layer: 'UI (code-server in headless Chromium, playwright-core)', outcomes, durationMs: Date.now() - started });
  return layers;
}

// ---- main ------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const layers: LayerResults[] = [];
  const trackedBefore = snapshotTracked(REPO_ROOT);
  const vscodeExecutable = await step('look for a downloadable VS Code', downloadVSCode);
  if (vscodeExecutable) {
    layers.push(await runInElectron(vscodeExecutable));
    say('the UI tests run only against code-server (offline mode, SECCTX_OFFLINE=1); skipped here.');
  } else {
    say('Falling back to code-server (a real VS Code 1.99 served to a browser) in headless Chromium.');
    layers.push(...(await runInCodeServer()));
  }
  const checkStarted = Date.now();
  layers.push({ layer: 'repository', outcomes: [trackedOutcome(trackedBefore, snapshotTracked(REPO_ROOT), Date.now() - checkStarted)], durationMs: Date.now() - checkStarted });
  for (const layer of layers) printLayer(layer);
  const { passed, failed, pending } = countOutcomes(layers);
  console.log(`\ntest:vscode finished in ${((Date.now() - runStarted) / 1000).toFixed(1)}s`);
  console.log(`${passed} passed, ${failed} failed${pending ? `, ${pending} skipped` : ''}`);
  return failed > 0 || passed === 0 ? 1 : 0;
}

main()
  .catch((error: unknown) => {
    console.error(`test:vscode: FAILED: ${error instanceof StepError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 1;
  })
  .then(async (code) => {
    await cleanUp();
    process.exit(code);
  });
