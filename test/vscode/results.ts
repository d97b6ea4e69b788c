/**
 * What the extension-host suite writes to the file named by SECCTX_TEST_RUN, and what the
 * runner (test/vscode/run.ts) reads back and prints. No `vscode` import: both sides use it.
 */

export type TestState = 'passed' | 'failed' | 'pending';

export interface TestOutcome {
  /** Titles of the enclosing suites, outermost first. */
  readonly suitePath: readonly string[];
  readonly title: string;
  readonly state: TestState;
  readonly durationMs: number;
  /** Message and stack of the failure (assertion diffs included), for failed tests only. */
  readonly error?: string;
}

export interface SuiteResults {
  readonly vscodeVersion: string;
  readonly outcomes: readonly TestOutcome[];
  readonly passed: number;
  readonly failed: number;
  readonly pending: number;
  readonly durationMs: number;
  /** Set when the suite could not run at all (e.g. a test file threw while loading). */
  readonly fatalError?: string;
}

/** Environment variable naming the JSON results file; the runner extension only runs when it is set. */
export const RESULTS_FILE_ENV = 'SECCTX_TEST_RUN';
