/**
 * Runs the mocha suite (suite/*.test.ts, TDD interface) inside the extension host and collects
 * one outcome per test. Shared by both launchers: @vscode/test-electron (electron.ts) and the
 * code-server runner extension (runner-extension/src/extension.ts).
 */
import Mocha from 'mocha';
import * as vscode from 'vscode';
import type { SuiteResults, TestOutcome } from '../results';

function suitePath(runnable: Mocha.Runnable): string[] {
  const titles: string[] = [];
  for (let suite = runnable.parent; suite && !suite.root; suite = suite.parent) titles.unshift(suite.title);
  return titles;
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack?.includes(error.message) ? error.stack : `${error.message}\n${error.stack ?? ''}`;
  return String(error);
}

/**
 * `loadSuiteFiles` evaluates the bundled test files; it runs after mocha's TDD globals
 * (`suite`, `test`, `teardown`, ...) exist. `grep` (env SECCTX_TEST_GREP) keeps matching tests only.
 */
export async function runSuite(loadSuiteFiles: () => void, grep = process.env.SECCTX_TEST_GREP): Promise<SuiteResults> {
  const started = Date.now();
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000, reporter: 'spec' });
  if (grep) mocha.grep(grep);
  const base = { vscodeVersion: vscode.version, passed: 0, pending: 0 };
  mocha.suite.emit(Mocha.Suite.constants.EVENT_FILE_PRE_REQUIRE, globalThis, 'bundle', mocha);
  try {
    loadSuiteFiles();
  } catch (error) {
    return { ...base, outcomes: [], failed: 1, durationMs: Date.now() - started, fatalError: `a test file threw while loading: ${describeError(error)}` };
  }

  const outcomes: TestOutcome[] = [];
  await new Promise<void>((resolve) => {
    const runner = mocha.run(() => resolve());
    const { EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING } = Mocha.Runner.constants;
    runner.on(EVENT_TEST_PASS, (test: Mocha.Test) => {
      outcomes.push({ suitePath: suitePath(test), title: test.title, state: 'passed', durationMs: test.duration ?? 0 });
    });
    runner.on(EVENT_TEST_PENDING, (test: Mocha.Test) => {
      outcomes.push({ suitePath: suitePath(test), title: test.title, state: 'pending', durationMs: 0 });
    });
    // Also emitted for failing hooks, whose title says which hook.
    runner.on(EVENT_TEST_FAIL, (test: Mocha.Runnable, error: unknown) => {
      outcomes.push({ suitePath: suitePath(test), title: test.title, state: 'failed', durationMs: test.duration ?? 0, error: describeError(error) });
    });
  });
  const count = (state: TestOutcome['state']): number => outcomes.filter((o) => o.state === state).length;
  return { ...base, outcomes, passed: count('passed'), failed: count('failed'), pending: count('pending'), durationMs: Date.now() - started };
}
