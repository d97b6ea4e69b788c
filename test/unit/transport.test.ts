/**
 * The stdio encoder (lsp/transport.ts): every message is the JSON the library would write, publishDiagnostics
 * included (non-ASCII messages too), and a diagnostic object is encoded once, however often it is published.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Diagnostic, Message } from 'vscode-languageserver/node';
import { encodeMessage } from '../../server/src/lsp/transport';

const diagnostic = (line: number, message: string): Diagnostic => ({
  range: { start: { line, character: 6 }, end: { line, character: 21 } }, severity: 2, code: 'restricted-capabilities',
  codeDescription: { href: 'https://example.invalid/restricted-capabilities.md' }, source: 'secctx', message, data: [10, 25],
});

const publication = (diagnostics: Diagnostic[], version?: number) =>
  ({ jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri: 'file:///p.yaml', ...(version === undefined ? {} : { version }), diagnostics } }) as Message;

describe('stdio message encoder', () => {
  test('publications and other messages are the JSON the library writes, in UTF-8', () => {
    const messages: Message[] = [
      publication([diagnostic(1, 'plain'), diagnostic(2, 'a name… "quoted" — ünïcode 😀'), diagnostic(3, 'x')], 7),
      publication([], 8),
      publication([diagnostic(1, 'no version')]),
      { jsonrpc: '2.0', id: 3, result: { contents: { kind: 'markdown', value: '**…**' } } } as Message,
      { jsonrpc: '2.0', method: 'window/logMessage', params: { type: 3, message: 'hello' } } as Message,
    ];
    assert.deepStrictEqual(messages.map((m) => encodeMessage(m).toString('utf8')), messages.map((m) => JSON.stringify(m)));
  });

  test('a diagnostic of a large publication published again is not encoded again', () => {
    const kept = diagnostic(4, 'kept…');
    const others = Array.from({ length: 99 }, (_, i) => diagnostic(10 + i, 'other'));
    const first = encodeMessage(publication([kept, ...others], 1));
    const original = JSON.stringify(kept);
    // Were it encoded again, the second publication would show this (diagnostics are never changed once made).
    kept.message = 'changed';
    assert.equal(encodeMessage(publication([kept, ...others], 2)).toString('utf8'), first.toString('utf8').replace('"version":1', '"version":2'));
    assert.ok(first.toString('utf8').includes(original));
  });

  test('a small publication\'s encodings are not kept (a one-document file\'s edit replaces them all)', () => {
    const small = diagnostic(4, 'small');
    encodeMessage(publication([small], 1));
    small.message = 'changed';
    assert.ok(encodeMessage(publication([small], 2)).toString('utf8').includes('"message":"changed"'));
  });
});
