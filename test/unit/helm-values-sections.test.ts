/**
 * values.yaml read section by section (one parse per top-level key, cached by its text, so an edit
 * re-parses one section) gives exactly what the whole parse gives — every key, value, raw text, span
 * and key path — on the corpus charts' values files and on files written to test the split; a file
 * that does not split safely is parsed whole.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parseValues, parseValuesWhole, type VNode } from '../../server/src/engine/helm/values';
import { sharedPath } from '../support/shared';

/** Every field of a values tree, maps as key lists (Map order included). */
function shape(v: VNode): unknown {
  const base = { t: v.t, src: v.src, keySrc: v.keySrc, path: v.path };
  if (v.t === 'map') return { ...base, entries: [...v.entries].map(([k, x]) => [k, shape(x)]) };
  if (v.t === 'seq') return { ...base, items: v.items.map(shape) };
  return { ...base, v: v.v, raw: v.raw };
}

function valuesFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return valuesFiles(p);
    return /^values.*\.ya?ml$/.test(name) ? [p] : [];
  });
}

function same(text: string): void {
  const split = parseValues(text, '/c/values.yaml');
  const whole = parseValuesWhole(text, '/c/values.yaml');
  assert.deepStrictEqual({ values: shape(split.values), problems: split.problems }, { values: shape(whole.values), problems: whole.problems });
  const docOf = (d: typeof split.doc) => ({ range: d.contents?.range, errors: d.errors.map((e) => e.code), js: d.errors.length ? undefined : d.toJS() as unknown });
  assert.deepStrictEqual(docOf(split.doc), docOf(whole.doc));
}

describe('values.yaml parsed by top-level sections', () => {
  const corpus = valuesFiles(sharedPath('corpus'));
  test('the corpus has values files', () => assert.ok(corpus.length >= 7, String(corpus.length)));
  for (const file of corpus) {
    test(`the same values as the whole parse: ${file.slice(sharedPath('corpus').length + 1)}`, () => same(readFileSync(file, 'utf8')));
  }

  const cases: Record<string, string> = {
    'leading comments, comments at column 0 inside a block, blank lines': '# top\n\nimage:\n  repository: nginx\n# tag: old\n  tag: "1.27"\n\n\nsecurityContext:\n  runAsUser: 1000 # trailing\n# end\n',
    'a compact sequence at column 0 belongs to the key above': 'args:\n- --a\n- --b\nnext: 1\n',
    'quoted keys, flow values, block scalars': '"quoted key": {a: 1, b: [x, y]}\n\'single\': 2\nscript: |\n  echo hi\n\n  echo there\nfolded: >-\n  a\n  b\nlast: ~\n',
    'an empty value and a key with nothing after it': 'a:\nb: {}\nc: []\nd:\n',
    'CRLF line endings': 'a: 1\r\nb:\r\n  c: 2\r\n',
    'duplicate top-level keys: the last wins': 'a: 1\nb: 2\na: 3\n',
    'anchors and aliases (read as null, as the whole parse reads them)': 'base: &b {x: 1}\nuse: *b\nmerged:\n  <<: *b\n',
    'a syntax error: the whole parse reports it': 'a: 1\nb: [x,\nc: 2\n',
    'a multi-line quoted scalar continuing at column 0': 'a: "one\ntwo"\nb: 1\n',
    'a document marker: parsed whole': '---\na: 1\nb: 2\n',
    'a flow mapping document: parsed whole': '{a: 1,\nb: 2}\n',
    'one key only': 'a:\n  b: 1\n',
    'no trailing newline': 'a: 1\nb: 2',
    'empty': '',
  };
  for (const [name, text] of Object.entries(cases)) test(name, () => same(text));

  test('edits in one section (longer, then shorter, then back) give the same values as parsing each text whole; other sections keep their nodes', () => {
    const before = 'a:\n  x: 1\nb:\n  y: 2\nc:\n  z: [3, 4]\nd: ~\n';
    for (const text of [before, before.replace('y: 2', 'y: 20000'), before.replace('y: 2', 'y: 2\n  w: 1'), before.replace('y: 2', 'y:'), before]) same(text);
    const first = parseValues(before, '/c/values.yaml').values;
    const again = parseValues(before.replace('y: 2', 'y: 3'), '/c/values.yaml').values;
    assert.deepStrictEqual([again.entries.get('a') === first.entries.get('a'), again.entries.get('c') === first.entries.get('c')], [true, true]);
  });

  test('the same text as another file: that file\'s spans', () => {
    const text = 'a:\n  x: 1\nb: 2\n';
    parseValues(text, '/c/values.yaml');
    const other = parseValues(text, '/d/values.yaml');
    assert.deepStrictEqual(shape(other.values), shape(parseValuesWhole(text, '/d/values.yaml').values));
  });
});
