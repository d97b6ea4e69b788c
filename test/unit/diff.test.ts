import assert from 'node:assert/strict';
import { test } from 'node:test';
import { unifiedDiff } from '../../server/src/cli/diff';
import { minimalEdit } from '../../server/src/lsp/codeActions';

test('unifiedDiff prints one hunk with three lines of context', () => {
  const before = 'a\nb\nc\nd\ne\nf\ng\nh\n';
  const after = 'a\nb\nc\nd\nE\nf\ng\nh\n';
  assert.equal(unifiedDiff('x.yaml', before, after), '--- a/x.yaml\n+++ b/x.yaml\n@@ -2,7 +2,7 @@\n b\n c\n d\n-e\n+E\n f\n g\n h\n');
});

test('unifiedDiff of an insertion: no phantom empty context line after the last newline', () => {
  assert.equal(unifiedDiff('x', 'a\nb\n', 'a\nnew\nb\n'), '--- a/x\n+++ b/x\n@@ -1,2 +1,3 @@\n a\n+new\n b\n');
  assert.equal(unifiedDiff('x', 'same\n', 'same\n'), '');
});

test('unifiedDiff marks a last line without a newline as git does', () => {
  assert.equal(unifiedDiff('x', 'a\nb', 'a\nB'), '--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+B\n\\ No newline at end of file\n');
});

test('minimalEdit replaces only what differs', () => {
  assert.deepEqual(minimalEdit('abcXdef', 'abcYYdef'), { start: 3, end: 4, newText: 'YY' });
  assert.equal(minimalEdit('same', 'same'), undefined);
});
