/**
 * The language server gathers image answers (lsp/imageAnswers.ts): answers within one window are handed on
 * together, once, so that a file naming many images is re-judged once per window rather than once per image.
 * Driven by a fake timer: nothing here waits on a clock.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { IMAGE_BATCH_MS, ImageAnswerBatch, type ScheduleTimer } from '../../server/src/lsp/imageAnswers';

/** A timer that fires only when told to: `advance(ms)` runs what falls due, in order. */
function fakeTimer(): { schedule: ScheduleTimer; advance(ms: number): void; readonly pending: number } {
  let now = 0;
  let timers: { at: number; callback: () => void }[] = [];
  return {
    schedule(callback, ms) {
      const timer = { at: now + ms, callback };
      timers.push(timer);
      return () => { timers = timers.filter((t) => t !== timer); };
    },
    advance(ms) {
      const until = now + ms;
      for (let due = timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0]; due; due = timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0]) {
        timers = timers.filter((t) => t !== due);
        now = due.at;
        due.callback();
      }
      now = until;
    },
    get pending() { return timers.length; },
  };
}

function batch(windowMs = IMAGE_BATCH_MS) {
  const timer = fakeTimer();
  const handedOn: string[][] = [];
  const answers = new ImageAnswerBatch((references) => handedOn.push([...references]), windowMs, timer.schedule);
  return { timer, handedOn, answers };
}

describe('image answers are handed on once per window', () => {
  test('twenty answers within the window: one hand-over with all of them, at the end of the window', () => {
    const { timer, handedOn, answers } = batch();
    const references = Array.from({ length: 20 }, (_, i) => `registry.test/team/app-${i}:1`);
    for (const r of references) {
      answers.add([r]);
      timer.advance(5);
    }
    // 100 ms in: still gathering.
    assert.deepStrictEqual(handedOn, []);
    timer.advance(IMAGE_BATCH_MS - 100);
    assert.deepStrictEqual({ handedOn, pending: timer.pending }, { handedOn: [references], pending: 0 });
  });

  test('answers after a window closed open the next one; a reference answered twice in one window is handed on once', () => {
    const { timer, handedOn, answers } = batch(150);
    answers.add(['a', 'b']);
    timer.advance(100);
    answers.add(['b', 'c']);
    timer.advance(50);
    answers.add(['d']);
    timer.advance(149);
    assert.deepStrictEqual(handedOn, [['a', 'b', 'c']]);
    timer.advance(1);
    assert.deepStrictEqual(handedOn, [['a', 'b', 'c'], ['d']]);
  });

  test('nothing answered opens no window; after dispose nothing is handed on', () => {
    const { timer, handedOn, answers } = batch();
    answers.add([]);
    assert.equal(timer.pending, 0);
    answers.add(['a']);
    answers.dispose();
    timer.advance(IMAGE_BATCH_MS * 2);
    assert.deepStrictEqual({ handedOn, pending: timer.pending }, { handedOn: [], pending: 0 });
  });
});
