/**
 * A long stream's first analysis a slice at a time (lsp/progressive.ts), with a clock that each document's analysis
 * moves by 10 ms: which documents a slice analyses, when the documents so far are published, and that a stale
 * analysis (edited, closed, new settings) is dropped without a last publication.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DocumentUnit, FileAnalysis } from '../../server/src/engine/analyze';
import type { YamlDocumentAnalysis } from '../../server/src/engine/kubernetes/analyze';
import { DEFAULT_OPTIONS } from '../../server/src/engine/options';
import { PROGRESSIVE_MIN_LENGTH, ProgressiveAnalyses, PUBLISH_MS, SLICE_MS } from '../../server/src/lsp/progressive';

const DOCUMENT_MS = 10;
const LONG = PROGRESSIVE_MIN_LENGTH;

/** A stream of `count` documents whose analysis costs DOCUMENT_MS each on `clock`. */
function stream(count: number, clock: { now: number }): FileAnalysis & { made: () => number } {
  let made = 0;
  const documents = Array.from({ length: count }, (_, i): DocumentUnit => {
    let analysis: YamlDocumentAnalysis | undefined;
    return {
      offset: i * 100,
      get analysed() { return !!analysis; },
      get analysis() {
        if (!analysis) {
          clock.now += DOCUMENT_MS;
          made++;
          analysis = { text: `doc ${i}`, status: 'kubernetes', findings: [], contexts: [] };
        }
        return analysis;
      },
    };
  });
  return { path: '/s.yaml', kind: 'kubernetes', options: DEFAULT_OPTIONS, findings: [], contexts: [], documents, made: () => made };
}

/** Runs queued setImmediate callbacks until none is left. */
async function settle(): Promise<void> {
  for (let i = 0; i < 1000; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

describe('a long stream analysed a slice at a time', () => {
  test('a stream shorter than PROGRESSIVE_MIN_LENGTH: analysed in one go however long it takes', () => {
    const clock = { now: 0 };
    const events: string[] = [];
    const progressive = new ProgressiveAnalyses({ current: () => true, partial: () => events.push('partial'), done: () => events.push('done') }, () => clock.now);
    const analysis = stream(100, clock);
    assert.deepStrictEqual({ finished: progressive.advance('u', analysis, LONG - 1), made: analysis.made(), events }, { finished: true, made: 100, events: [] });
  });

  test('a stream one slice covers: analysed at once, nothing published early', () => {
    const clock = { now: 0 };
    const events: string[] = [];
    const progressive = new ProgressiveAnalyses({ current: () => true, partial: () => events.push('partial'), done: () => events.push('done') }, () => clock.now);
    const analysis = stream(SLICE_MS / DOCUMENT_MS, clock);
    assert.deepStrictEqual({ finished: progressive.advance('u', analysis, LONG), made: analysis.made(), events, inProgress: progressive.inProgress('u', analysis) }, { finished: true, made: 4, events: [], inProgress: false });
  });

  test('a longer one: the first slice is published, then every PUBLISH_MS, and done once when all are analysed', async () => {
    const clock = { now: 0 };
    const events: string[] = [];
    let analysis!: ReturnType<typeof stream>;
    const progressive = new ProgressiveAnalyses({
      current: () => true,
      partial: () => events.push(`partial after ${analysis.documents.filter((u) => u.analysed).length}`),
      done: () => events.push(`done after ${analysis.made()}`),
    }, () => clock.now);
    analysis = stream(250, clock);
    assert.equal(progressive.advance('u', analysis, LONG), false);
    assert.equal(progressive.inProgress('u', analysis), true);
    await settle();
    const perSlice = SLICE_MS / DOCUMENT_MS;
    const perPublish = PUBLISH_MS / DOCUMENT_MS;
    assert.deepStrictEqual(events, [`partial after ${perSlice}`, `partial after ${perSlice + perPublish}`, `partial after ${perSlice + 2 * perPublish}`, 'done after 250']);
    assert.equal(progressive.inProgress('u', analysis), false);
  });

  test('an analysis no longer in force (an edit, a close) stops at the next slice, without done', async () => {
    const clock = { now: 0 };
    const events: string[] = [];
    let current = true;
    const progressive = new ProgressiveAnalyses({ current: () => current, partial: () => events.push('partial'), done: () => events.push('done') }, () => clock.now);
    const analysis = stream(100, clock);
    progressive.advance('u', analysis, LONG);
    current = false;
    await settle();
    assert.deepStrictEqual({ events, made: analysis.made(), inProgress: progressive.inProgress('u', analysis) }, { events: ['partial'], made: SLICE_MS / DOCUMENT_MS, inProgress: false });
  });

  test('the next version takes over: the old one\'s slices stop, documents both share are analysed once', async () => {
    const clock = { now: 0 };
    const events: string[] = [];
    let inForce: FileAnalysis | undefined;
    const progressive = new ProgressiveAnalyses({ current: (_, a) => a === inForce, partial: () => events.push('partial'), done: () => events.push('done') }, () => clock.now);
    const first = stream(100, clock);
    inForce = first;
    progressive.advance('u', first, LONG);
    // The edit's analysis shares the first's document cells (the engine keeps unchanged documents' cells).
    const second: FileAnalysis = { ...first, documents: [...first.documents] };
    inForce = second;
    assert.equal(progressive.advance('u', second, LONG), false);
    await settle();
    assert.deepStrictEqual({ events, made: first.made() }, { events: ['partial', 'partial', 'done'], made: 100 });
  });

  test('a document that throws: the slices end and the usual path takes over (it reports the failure)', async () => {
    const clock = { now: 0 };
    const events: string[] = [];
    const progressive = new ProgressiveAnalyses({ current: () => true, partial: () => events.push('partial'), done: () => events.push('done') }, () => clock.now);
    const analysis = stream(20, clock);
    const broken: FileAnalysis = { ...analysis, documents: [...analysis.documents.slice(0, 10), { offset: 1000, analysed: false, get analysis(): YamlDocumentAnalysis { throw new Error('boom'); } }] };
    progressive.advance('u', broken, LONG);
    await settle();
    assert.deepStrictEqual(events, ['partial', 'done']);
  });
});
