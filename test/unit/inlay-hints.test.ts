/** The inlay hints adapter: label parts, and how each part leads to the field that set its value. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Analyzer } from '../../server/src/engine/analyze';
import { DEFAULT_OPTIONS } from '../../server/src/engine/options';
import { inlayHints } from '../../server/src/lsp/inlayHints';

const TEXT = [
  'apiVersion: v1',
  'kind: Pod',
  'metadata: {name: p}',
  'spec:',
  '  securityContext:',
  '    runAsUser: 1000',
  '  containers:',
  '    - name: app',
  '      image: app:1',
  '      securityContext:',
  '        allowPrivilegeEscalation: false',
  '        capabilities: {drop: [ALL]}',
  '',
].join('\n');

function hintsFor(revealCommand?: string) {
  const doc = TextDocument.create('file:///p.yaml', 'yaml', 1, TEXT);
  const analysis = new Analyzer().analyze('/p.yaml', TEXT, DEFAULT_OPTIONS);
  return inlayHints(doc, analysis, { start: { line: 0, character: 0 }, end: { line: 99, character: 0 } }, revealCommand);
}

const line = (needle: string) => TEXT.split('\n').findIndex((l) => l.includes(needle));

describe('inlay hints', () => {
  test('one part per value, joined by " · ", after the container name', () => {
    const [hint] = hintsFor();
    assert.deepStrictEqual(hint.position, { line: line('name: app'), character: '    - name: app'.length });
    assert.ok(Array.isArray(hint.label));
    assert.equal(hint.label.map((p) => p.value).join(''), 'uid 1000 · gid 0 · −ALL · no-new-privs');
  });

  test('without a reveal command, parts set in the file carry the location of their field; defaults carry none', () => {
    const [hint] = hintsFor();
    const parts = Array.isArray(hint.label) ? hint.label : [];
    assert.deepStrictEqual(parts.filter((p) => p.value !== ' · ').map((p) => [p.value, p.location?.range.start.line, p.command]), [
      ['uid 1000', line('runAsUser: 1000'), undefined],
      ['gid 0', undefined, undefined],
      ['−ALL', line('capabilities:'), undefined],
      ['no-new-privs', line('allowPrivilegeEscalation'), undefined],
    ]);
  });

  test('with the client\'s reveal command, the same parts run it with (uri, range) and carry no location', () => {
    const [hint] = hintsFor('secctx.revealSource');
    const parts = Array.isArray(hint.label) ? hint.label : [];
    const uid = parts.find((p) => p.value === 'uid 1000');
    assert.equal(uid?.location, undefined);
    assert.deepStrictEqual(uid?.command, {
      title: 'Go to where this is set',
      command: 'secctx.revealSource',
      arguments: ['file:///p.yaml', { start: { line: line('runAsUser: 1000'), character: 4 }, end: { line: line('runAsUser: 1000'), character: 13 } }],
    });
    assert.equal(parts.find((p) => p.value === 'gid 0')?.command, undefined);
  });
});

describe('inlay hints: a user from a linked image', () => {
  test("the part leads to the USER line of the image's Dockerfile", () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: app\n      image: example.com/app:1\n';
    const doc = TextDocument.create('file:///ws/p.yaml', 'yaml', 1, text);
    const images = () => ({ spec: 'app', name: 'app', uid: 10001, gid: 10001, note: 'user app created in Dockerfile line 2', dockerfile: '/ws/app/Dockerfile', userSpan: { start: 40, end: 43 }, userLine: 3 });
    const analysis = new Analyzer().analyze('/ws/p.yaml', text, { ...DEFAULT_OPTIONS, images });
    const [hint] = inlayHints(doc, analysis, { start: { line: 0, character: 0 }, end: { line: 99, character: 0 } }, 'secctx.revealSource');
    const parts = Array.isArray(hint.label) ? hint.label : [];
    const uid = parts.find((p) => p.value === 'uid 10001');
    const start = { line: 2, character: 0 };
    assert.deepStrictEqual(uid?.command?.arguments, ['file:///ws/app/Dockerfile', { start, end: start }]);
    assert.match(typeof uid?.tooltip === 'object' ? uid.tooltip.value : '', /^\*\*uid 10001\*\* — image `USER` — user app created in Dockerfile line 2 \(Dockerfile line 3\)\n/);
  });
});

describe('inlay hints that fit', () => {
  const analyzeFile = (file: string, text: string) => {
    const doc = TextDocument.create(`file://${file}`, 'yaml', 1, text);
    return inlayHints(doc, new Analyzer().analyze(file, text, DEFAULT_OPTIONS), { start: { line: 0, character: 0 }, end: { line: 999, character: 0 } });
  };
  const labelOf = (hint: { label: string | { value: string }[] }) => (typeof hint.label === 'string' ? hint.label : hint.label.map((p) => p.value).join(''));

  test('a Compose service: the hint comes after the key\'s colon, and an unknown image user reads "user unknown"', () => {
    const text = 'services:\n  vpn:\n    image: example.com/vpn:1\n    cap_add: [NET_ADMIN]\n';
    const [hint] = analyzeFile('/ws/compose.yaml', text);
    assert.deepStrictEqual(hint.position, { line: 1, character: '  vpn:'.length });
    assert.equal(labelOf(hint), 'user unknown · +NET_ADMIN');
  });

  test('a long summary never exceeds VS Code\'s 43 characters: the least important parts go first, the verdict stays', () => {
    const pod = (sc: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: app\n      image: app:1\n      securityContext: ${sc}\n`;
    const cases: [string, string][] = [
      // 59 characters in full: no-new-privs goes, then the group.
      ['{runAsUser: 1000, runAsGroup: 1000, allowPrivilegeEscalation: false, capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}}', 'uid 1000 · +NET_BIND_SERVICE −ALL'],
      // Then a long delta is counted instead of listed.
      ['{runAsUser: 1000, capabilities: {drop: [ALL], add: [SYS_PTRACE, NET_ADMIN, SYS_TIME]}}', 'uid 1000 · +3 caps −ALL'],
      // The verdict comes first and stays; what root keeps outlives the delta.
      ['{runAsNonRoot: true, runAsUser: 0, capabilities: {add: [SYS_PTRACE, NET_ADMIN, SYS_ADMIN], drop: [NET_RAW]}}', '⚠ will not start · root · 16 caps'],
    ];
    for (const [sc, expected] of cases) {
      const [hint] = analyzeFile('/ws/p.yaml', pod(sc));
      assert.equal(labelOf(hint), expected);
      assert.ok(labelOf(hint).length <= 43, labelOf(hint));
    }
  });
});
