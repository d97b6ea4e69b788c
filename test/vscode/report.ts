/** Prints test outcomes the way mocha's spec reporter does. */
import type { TestOutcome } from './results';

export interface LayerResults {
  /** e.g. "extension host (code-server 4.99.4, VS Code 1.99.3)" */
  readonly layer: string;
  readonly outcomes: readonly TestOutcome[];
  readonly durationMs: number;
  /** The layer could not run its tests at all. */
  readonly fatalError?: string;
}

export function countOutcomes(layers: readonly LayerResults[]): { passed: number; failed: number; pending: number } {
  const all = layers.flatMap((l) => l.outcomes);
  const fatal = layers.filter((l) => l.fatalError !== undefined).length;
  return {
    passed: all.filter((o) => o.state === 'passed').length,
    failed: all.filter((o) => o.state === 'failed').length + fatal,
    pending: all.filter((o) => o.state === 'pending').length,
  };
}

function indentLines(text: string, indent: string): string {
  return text.split('\n').map((line) => indent + line).join('\n');
}

export function printLayer(results: LayerResults): void {
  const out: string[] = ['', `  ${results.layer}`];
  const failures: TestOutcome[] = [];
  let previousPath = '';
  for (const outcome of results.outcomes) {
    const suitePath = outcome.suitePath.join(' › ');
    if (suitePath !== previousPath) {
      out.push(`    ${suitePath}`);
      previousPath = suitePath;
    }
    const time = outcome.durationMs >= 1000 ? ` (${(outcome.durationMs / 1000).toFixed(1)}s)` : '';
    if (outcome.state === 'passed') out.push(`      ✔ ${outcome.title}${time}`);
    else if (outcome.state === 'pending') out.push(`      - ${outcome.title}`);
    else {
      failures.push(outcome);
      out.push(`      ${failures.length}) ${outcome.title}${time}`);
    }
  }
  const { passed, failed, pending } = countOutcomes([results]);
  out.push('', `  ${passed} passing (${(results.durationMs / 1000).toFixed(1)}s)`);
  if (pending) out.push(`  ${pending} pending`);
  if (failed) out.push(`  ${failed} failing`);
  if (results.fatalError) out.push('', `  The layer could not run:`, indentLines(results.fatalError, '     '));
  failures.forEach((failure, index) => {
    out.push('', `  ${index + 1}) ${[...failure.suitePath, failure.title].join(' › ')}:`, indentLines(failure.error ?? '(no error message)', '     '));
  });
  console.log(out.join('\n'));
}
