/**
 * Entry point for @vscode/test-electron (`extensionTestsPath`): runs the suite, writes the
 * results file when SECCTX_TEST_RUN names one, and fails the run when a test failed.
 */
import { writeFile } from 'node:fs/promises';
import { loadSuiteFiles } from 'secctx-suite-files';
import { RESULTS_FILE_ENV } from '../results';
import { runSuite } from './index';

export async function run(): Promise<void> {
  const results = await runSuite(loadSuiteFiles);
  const resultsFile = process.env[RESULTS_FILE_ENV];
  if (resultsFile) await writeFile(resultsFile, JSON.stringify(results, null, 2));
  if (results.fatalError) throw new Error(results.fatalError);
  if (results.failed > 0) throw new Error(`${results.failed} extension-host test(s) failed`);
}
