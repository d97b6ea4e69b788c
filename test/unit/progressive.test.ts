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
      placedContexts: [],
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

/** A host that records what it is told, as `partial 4/250`, `ended`, `done`; `inForce` decides `current`. */
function recorder(inForce: (analysis: FileAnalysis) => boolean = () => true) {
  const events: string[] = [];
  const host = {
    current: (_: string, analysis: FileAnalysis) => inForce(analysis),
    partial: (_: string, analysed: number, total: number) => { events.push(`partial ${analysed}/${total}`); },
    done: () => { events.push('done'); },
    ended: () => { events.push('ended'); },
  };
  return { events, host };
}

/** A 100-document stream's slices begun, then `next` of it in force and advanced: whether it finished at once. */
function twoVersions(next: (first: ReturnType<typeof stream>, clock: { now: number }) => FileAnalysis) {
  const clock = { now: 0 };
  let inForce: FileAnalysis | undefined;
  const { events, host } = recorder((a) => a === inForce);
  const progressive = new ProgressiveAnalyses(host, () => clock.now);
  const first = stream(100, clock);
  inForce = first;
  progressive.advance('u', first, LONG);
  const second = next(first, clock);
  inForce = second;
  return { events, first, finished: progressive.advance('u', second, LONG) };
}

describe('a long stream analysed a slice at a time', () => {
  const perSlice = SLICE_MS / DOCUMENT_MS;
  const perPublish = PUBLISH_MS / DOCUMENT_MS;

  test('a stream shorter than PROGRESSIVE_MIN_LENGTH: analysed in one go however long it takes', () => {
    const clock = { now: 0 };
    const { events, host } = recorder();
    const analysis = stream(100, clock);
    const finished = new ProgressiveAnalyses(host, () => clock.now).advance('u', analysis, LONG - 1);
    assert.deepStrictEqual({ finished, made: analysis.made(), events }, { finished: true, made: 100, events: [] });
  });

  test('a stream one slice covers: analysed at once, nothing published early', () => {
    const clock = { now: 0 };
    const { events, host } = recorder();
    const progressive = new ProgressiveAnalyses(host, () => clock.now);
    const analysis = stream(perSlice, clock);
    assert.deepStrictEqual({ finished: progressive.advance('u', analysis, LONG), made: analysis.made(), events, inProgress: progressive.inProgress('u', analysis) }, { finished: true, made: perSlice, events: [], inProgress: false });
  });

  test('a longer one: the first slice is published, then every PUBLISH_MS; at the end the slices end, then done', async () => {
    const clock = { now: 0 };
    const { events, host } = recorder();
    const progressive = new ProgressiveAnalyses(host, () => clock.now);
    const analysis = stream(250, clock);
    assert.equal(progressive.advance('u', analysis, LONG), false);
    assert.equal(progressive.inProgress('u', analysis), true);
    await settle();
    assert.deepStrictEqual(events, [`partial ${perSlice}/250`, `partial ${perSlice + perPublish}/250`, `partial ${perSlice + 2 * perPublish}/250`, 'ended', 'done']);
    assert.deepStrictEqual({ made: analysis.made(), inProgress: progressive.inProgress('u', analysis) }, { made: 250, inProgress: false });
  });

  test('an analysis no longer in force (an edit, a close) stops at the next slice: ended, without done', async () => {
    const clock = { now: 0 };
    let current = true;
    const { events, host } = recorder(() => current);
    const progressive = new ProgressiveAnalyses(host, () => clock.now);
    const analysis = stream(100, clock);
    progressive.advance('u', analysis, LONG);
    current = false;
    await settle();
    assert.deepStrictEqual({ events, made: analysis.made(), inProgress: progressive.inProgress('u', analysis) }, { events: [`partial ${perSlice}/100`, 'ended'], made: perSlice, inProgress: false });
  });

  test('the next version takes over: the old one\'s slices stop, documents both share are analysed once', async () => {
    // The edit's analysis shares the first's document cells (the engine keeps unchanged documents' cells).
    const { events, first, finished } = twoVersions((first) => ({ ...first, documents: [...first.documents] }));
    assert.equal(finished, false);
    await settle();
    assert.deepStrictEqual({ events, made: first.made() }, { events: [`partial ${perSlice}/100`, `partial ${2 * perSlice}/100`, 'ended', 'done'], made: 100 });
  });

  test('the next version finishes in its first slice: the slices end there', async () => {
    const { events, first, finished } = twoVersions((_, clock) => stream(2, clock));
    assert.equal(finished, true);
    await settle();
    assert.deepStrictEqual({ events, made: first.made() }, { events: [`partial ${perSlice}/100`, 'ended'], made: perSlice });
  });

  test('a document that throws: the slices end and the usual path takes over (it reports the failure)', async () => {
    const clock = { now: 0 };
    const { events, host } = recorder();
    const progressive = new ProgressiveAnalyses(host, () => clock.now);
    const analysis = stream(20, clock);
    const broken: FileAnalysis = { ...analysis, documents: [...analysis.documents.slice(0, 10), { offset: 1000, analysed: false, placedContexts: [], get analysis(): YamlDocumentAnalysis { throw new Error('boom'); } }] };
    progressive.advance('u', broken, LONG);
    await settle();
    assert.deepStrictEqual(events, [`partial ${perSlice}/11`, 'ended', 'done']);
  });
});
