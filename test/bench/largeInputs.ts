/**
 * How long the engine takes on the robustness suite's large inputs (test/support/largeInputs.ts),
 * in process, analysis plus ten hovers as the suite does. The suite only fails on a crash or a hang;
 * the figures live here.
 */
import { performance } from 'node:perf_hooks';
import { Analyzer } from '../../server/src/engine/analyze';
import { hoverAt } from '../../server/src/engine/hover';
import { DEFAULT_OPTIONS } from '../../server/src/engine/options';
import { largeInputs } from '../support/largeInputs';

const RUNS = 3;

export function largeInputsBench(): { name: string; bytes: number; median: number; max: number }[] {
  return largeInputs().filter((c) => !c.todo).map((c) => {
    const times: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const started = performance.now();
      const analysis = new Analyzer().analyze(`/bench/${c.file}`, c.text, DEFAULT_OPTIONS);
      // A stream's documents are analysed when first read: the findings read them all, as the CLI does.
      void analysis.findings;
      for (let i = 0; i < 10; i++) hoverAt(analysis, Math.round((i * c.text.length) / 9));
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    return { name: c.name, bytes: c.text.length, median: times[Math.floor(RUNS / 2)]!, max: times[RUNS - 1]! };
  });
}
