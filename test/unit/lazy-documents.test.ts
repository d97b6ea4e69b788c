/**
 * A YAML stream's documents are analysed when first read (engine/analyze.ts): a hover's document, a range's documents
 * or every document for the findings, each once, with the same results as analysing them all.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Analyzer, contextsIn, documentAt } from '../../server/src/engine/analyze';
import { DEFAULT_OPTIONS } from '../../server/src/engine/options';
import { pod } from '../support/manifests';
import type { ImageFacts } from '../../server/src/engine/images/facts';

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

describe('image facts arriving for a stream', () => {
  test('only the documents naming an answered image are analysed again; the others keep their analyses', () => {
    const facts: ImageFacts = {
      reference: 'app-b:1', normalized: 'docker.io/library/app-b:1', user: '1000', from: 'registry',
      accounts: { kind: 'known', passwdFound: true, groupFound: true, passwd: [{ name: 'root', uid: 0, gid: 0 }, { name: 'app', uid: 1000, gid: 1000 }], group: [{ name: 'root', gid: 0, members: [] }, { name: 'app', gid: 1000, members: [] }] },
    };
    let answered = false;
    const options = { ...DEFAULT_OPTIONS, imageFacts: (r: string) => (answered && r === 'app-b:1' ? facts : undefined) };
    const noRunAsUser = ['a', 'b', 'c', 'd'].map((name) => pod({ image: `app-${name}:1` }).replace('name: app', `name: ${name}`)).join('---\n');
    const analyzer = new Analyzer();
    const before = analyzer.analyze('/s.yaml', noRunAsUser, options);
    const users = (a: typeof before) => a.contexts.map((c) => c.user.value ?? null);
    assert.deepStrictEqual(users(before), [null, null, null, null]);
    const kept = before.documents.map((u) => u.analysis);
    answered = true;
    analyzer.forgetImages('/s.yaml', new Set(['app-b:1']));
    const after = analyzer.analyze('/s.yaml', noRunAsUser, options);
    assert.deepStrictEqual({ analysed: analysed(after), same: after.documents.map((u, i) => u.analysis === kept[i]) }, { analysed: [true, false, true, true], same: [true, false, true, true] });
    assert.deepStrictEqual(users(after), [null, 1000, null, null]);
  });
});
