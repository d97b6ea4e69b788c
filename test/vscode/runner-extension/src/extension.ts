/**
 * The code-server launcher's half of the editor tests. code-server cannot be given
 * `--extensionTestsPath`, so this extension is installed beside secctx and, when
 * SECCTX_TEST_RUN names a results file, runs the suite once after startup and writes the
 * results there (atomically: the runner waits for the file to appear).
 * Without the variable it does nothing, so it is harmless in any other window.
 */
import { access, rename, writeFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import { loadSuiteFiles } from 'secctx-suite-files';
import { RESULTS_FILE_ENV, type SuiteResults } from '../../results';
import { runSuite } from '../../suite/index';

async function runOnce(resultsFile: string): Promise<void> {
  const started = Date.now();
  // A reloaded window starts a new extension host: run only once per results file.
  if (await access(resultsFile).then(() => true, () => false)) return;
  let results: SuiteResults;
  try {
    results = await runSuite(loadSuiteFiles);
  } catch (error) {
    const fatalError = `the suite could not run: ${error instanceof Error ? error.stack ?? error.message : String(error)}`;
    results = { vscodeVersion: vscode.version, outcomes: [], passed: 0, failed: 1, pending: 0, durationMs: Date.now() - started, fatalError };
  }
  await writeFile(`${resultsFile}.partial`, JSON.stringify(results, null, 2));
  await rename(`${resultsFile}.partial`, resultsFile);
}

export function activate(): void {
  const resultsFile = process.env[RESULTS_FILE_ENV];
  if (resultsFile) void runOnce(resultsFile);
}

export function deactivate(): void {}
