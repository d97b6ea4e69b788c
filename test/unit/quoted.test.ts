/** The linear quoted-string scanner behind one-finding-per-place message merging and Pod Security narrowing. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { quotedContents, quotedListEnd, splitQuoted } from '../../server/src/engine/rules/quoted';

const REGEX = /("(?:[^"\\]|\\.)*")/;

describe('quoted strings', () => {
  test('splits as String.split with the quoted-string regex does, on the messages rules write', () => {
    for (const m of [
      'Container "app" runs as root (uid 0): runAsUser: 0 is set in the container securityContext.',
      'containers "a", "b" must set securityContext.allowPrivilegeEscalation=false',
      'a "quoted \\" escape" and "another"',
      'no quotes at all',
      '"leading" and trailing "x"',
      'an "unclosed quote',
    ]) assert.deepStrictEqual(splitQuoted(m), m.split(REGEX), m);
  });

  test('contents and the end of a list of names', () => {
    assert.deepStrictEqual(quotedContents('containers "a", "b\\"c" must'), ['a', 'b\\"c']);
    assert.deepStrictEqual(['"A", "B" in x', '"A" in x', 'x "A"', '"unclosed'].map(quotedListEnd), [8, 3, -1, -1]);
  });

  test('hostile text stays linear: 20× the input costs well under 20² the time', () => {
    const time = (n: number) => { const s = '\\"'.repeat(n); const t = performance.now(); splitQuoted(s); quotedContents(s); return performance.now() - t; };
    time(1000);
    const small = Math.max(time(20_000), 0.5);
    const large = time(400_000);
    assert.ok(large < small * 100, `20,000: ${small.toFixed(1)} ms, 400,000: ${large.toFixed(1)} ms`);
  });
});
