/**
 * A YAML stream's documents are analysed when first read (engine/analyze.ts): a hover's document, a range's documents
 * or every document for the findings, each once, with the same results as analysing them all.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Analyzer, contextsIn, documentAt } from '../../server/src/engine/analyze';
import { DEFAULT_OPTIONS } from '../../server/src/engine/options';
import { pod } from '../support/manifests';

const STREAM = ['a', 'b', 'c', 'd'].map((name) => pod({ image: `app-${name}:1`, containerSc: 'runAsUser: 0' }).replace('name: app', `name: ${name}`)).join('---\n');
const analysed = (a: { documents: readonly { analysed: boolean }[] }) => a.documents.map((u) => u.analysed);

describe('documents analysed on first read', () => {
  test('nothing is analysed until read; the findings analyse every document', () => {
    const analysis = new Analyzer().analyze('/s.yaml', STREAM, DEFAULT_OPTIONS);
    assert.deepStrictEqual(analysed(analysis), [false, false, false, false]);
    assert.ok(analysis.findings.length > 0);
    assert.deepStrictEqual(analysed(analysis), [true, true, true, true]);
  });

  test('a position analyses its own document only', () => {
    const analysis = new Analyzer().analyze('/s.yaml', STREAM, DEFAULT_OPTIONS);
    const at = documentAt(analysis, STREAM.indexOf('name: c'));
    assert.ok(at && at.unit.analysis.contexts.length === 1);
    assert.deepStrictEqual(analysed(analysis), [false, false, true, false]);
  });

  test('a range analyses the documents it overlaps, and their contexts are the whole file\'s there', () => {
    const analysis = new Analyzer().analyze('/s.yaml', STREAM, DEFAULT_OPTIONS);
    const start = STREAM.indexOf('name: b');
    const end = STREAM.indexOf('name: c');
    const inRange = contextsIn(analysis, start, end);
    assert.deepStrictEqual(analysed(analysis), [false, true, true, false]);
    const whole = new Analyzer().analyze('/s.yaml', STREAM, DEFAULT_OPTIONS).contexts;
    assert.deepStrictEqual(inRange, whole.filter((c) => c.name === 'b' || c.name === 'c'));
  });
});
