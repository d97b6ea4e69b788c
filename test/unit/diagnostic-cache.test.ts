/**
 * Diagnostics per YAML document (lsp/diagnosticCache.ts): an edit converts only the documents the engine
 * re-analysed, the others keep their diagnostic objects (shifted when they moved by whole lines), and the result is
 * always what converting the whole file afresh gives. Every input a document's findings depend on beside its text
 * (options: settings, .secctx.yaml, the image index and facts, runtime, profile) reaches it as a new options object.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Analyzer, type FileAnalysis } from '../../server/src/engine/analyze';
import { DEFAULT_OPTIONS, type AnalysisOptions } from '../../server/src/engine/options';
import { DocumentDiagnostics } from '../../server/src/lsp/diagnosticCache';
import { fileDiagnostics, findingOf } from '../../server/src/lsp/diagnostics';

const URI = 'file:///stream.yaml';

const pod = (name: string, uid: number, extra = '') => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  containers:
    - name: ${name}
      image: app:1
      securityContext:
        runAsUser: ${uid}
        privileged: ${uid === 0}${extra}
`;

/** A document whose syntax error is reported just past its end. */
const BROKEN = 'apiVersion: v1\nkind: Pod\nmetadata: {name: broken\n';

const STREAM = [pod('a', 0), pod('b', 1000), pod('c', 0, '\n        capabilities: {add: [CAP_NET_ADMIN]}'), pod('d', 0)].join('---\n');

/** A session as the server keeps one: one analyzer and one cache, a new TextDocument per version. */
function session(options: AnalysisOptions = DEFAULT_OPTIONS) {
  const analyzer = new Analyzer();
  const cache = new DocumentDiagnostics();
  let version = 0;
  return {
    cache,
    analyzer,
    publish(text: string, opts: AnalysisOptions = options): { doc: TextDocument; analysis: FileAnalysis; diagnostics: Diagnostic[] } {
      const doc = TextDocument.create(URI, 'yaml', ++version, text);
      const analysis = analyzer.analyze('/stream.yaml', text, opts);
      const diagnostics = cache.diagnostics(doc, analysis);
      assert.ok(diagnostics, 'a YAML stream takes the per-document path');
      return { doc, analysis, diagnostics };
    },
  };
}

/** What converting the whole file afresh gives (another analyzer, no cache). */
function fresh(text: string, options: AnalysisOptions = DEFAULT_OPTIONS): Diagnostic[] {
  const doc = TextDocument.create('file:///fresh.yaml', 'yaml', 1, text);
  const analysis = new Analyzer().analyze('/stream.yaml', text, options);
  return fileDiagnostics(doc, analysis, analysis.findings);
}

describe('diagnostics per YAML document', () => {
  test('an edit inside one document converts that document only; the documents before it keep their objects', () => {
    const s = session();
    const first = s.publish(STREAM);
    assert.equal(s.cache.lastConverted, 4);
    const at = STREAM.indexOf('runAsUser: 1000') + 'runAsUser: '.length;
    const edited = `${STREAM.slice(0, at)}0${STREAM.slice(at + 4)}`;
    const second = s.publish(edited);
    const reused = second.diagnostics.filter((d) => first.diagnostics.includes(d)).length;
    assert.deepStrictEqual(
      { converted: s.cache.lastConverted, reanalysed: s.analyzer.lastReanalysed, diagnostics: second.diagnostics, reused },
      // Documents a, c and d keep theirs: their text and line did not change (c and d moved by 3 characters, not lines).
      { converted: 1, reanalysed: 1, diagnostics: fresh(edited), reused: first.diagnostics.filter((d) => !isInDocument(first.doc, d, 'b')).length },
    );
  });

  test('lines inserted above move the documents below: shifted, not converted, and equal to a fresh conversion', () => {
    const s = session();
    s.publish(STREAM);
    const edited = `# three\n# new\n# lines\n${STREAM}`;
    const { diagnostics } = s.publish(edited);
    assert.deepStrictEqual({ converted: s.cache.lastConverted, diagnostics }, { converted: 1, diagnostics: fresh(edited) });
  });

  test('documents split, joined, removed, duplicated and reordered: always what a fresh conversion gives', () => {
    const s = session();
    const docs = STREAM.split('---\n');
    const versions = [
      STREAM,
      [docs[0], pod('new', 0), ...docs.slice(1)].join('---\n'), // a document added in the middle
      [docs[0], docs[2], docs[3]].join('---\n'), // one removed
      [docs[3], docs[2], docs[0]].join('---\n'), // reordered
      [docs[0], docs[0], docs[0], docs[1]].join('---\n'), // the same document three times
      [docs[0], docs[1]].join('') + '---\n' + docs[3], // two documents joined into one
      STREAM.replace(/\n/g, '\r\n'), // CRLF
      STREAM.replace(/\n/g, '\r'), // CR alone (YAML 1.2 line breaks)
      `${STREAM}---\n${BROKEN}`, // a syntax error at the end of the last document
      `${BROKEN}---\n${STREAM}`, // … of the first: its finding starts where the next document begins
      STREAM,
    ];
    for (const text of versions) assert.deepStrictEqual(s.publish(text).diagnostics, fresh(text), JSON.stringify(text.slice(0, 80)));
  });

  test('new options (settings, .secctx.yaml, image index or facts) convert every document again', () => {
    const s = session();
    s.publish(STREAM);
    const strict: AnalysisOptions = { ...DEFAULT_OPTIONS, rules: { 'run-as-root': 'error' } };
    const { diagnostics } = s.publish(STREAM, strict);
    assert.deepStrictEqual({ converted: s.cache.lastConverted, diagnostics }, { converted: 4, diagnostics: fresh(STREAM, strict) });
    assert.ok(diagnostics.some((d) => d.code === 'run-as-root' && d.severity === 1));
  });

  test('each diagnostic finds its finding again, with or without its data, after the documents moved', () => {
    const s = session();
    s.publish(STREAM);
    const moved = `# moved\n${BROKEN}---\n${STREAM.replace('name: b', 'name: bbbbbb')}`;
    const { doc, analysis, diagnostics } = s.publish(moved);
    const found = (d: Diagnostic) => {
      const f = findingOf(doc, analysis, d);
      return f && { code: f.rule, range: { start: doc.positionAt(f.span.start), end: doc.positionAt(f.span.end) }, message: f.message };
    };
    const expected = diagnostics.map((d) => ({ code: d.code, range: d.range, message: d.message }));
    assert.ok(expected.some((d) => d.code === 'yaml-syntax'));
    assert.deepStrictEqual(diagnostics.map(found), expected);
    assert.deepStrictEqual(diagnostics.map((d) => found({ ...d, data: undefined })), expected);
  });

  test('a finding past the end of a document that sorts after the next document\'s first: left to the whole-file path', () => {
    const text = 'a: 1\n---\nb: 2\n';
    const finding = (start: number, end: number) => ({ rule: 'yaml-syntax', severity: 'warning' as const, message: 'm', span: { start, end }, fixes: [] });
    const unit = (offset: number, length: number, findings: ReturnType<typeof finding>[]) => ({ offset, analysed: true, placedContexts: [], analysis: { text: text.slice(offset, offset + length), status: 'kubernetes' as const, findings, contexts: [] } });
    const analysis: FileAnalysis = { path: '/s.yaml', kind: 'kubernetes', options: DEFAULT_OPTIONS, contexts: [], findings: [], documents: [unit(0, 5, [finding(5, 7)]), unit(5, 9, [finding(0, 1)])] };
    assert.equal(new DocumentDiagnostics().diagnostics(TextDocument.create(URI, 'yaml', 1, text), analysis), undefined);
  });

  test('other files take the whole-file path', () => {
    const cache = new DocumentDiagnostics();
    const text = 'FROM alpine\nUSER root\n';
    const doc = TextDocument.create('file:///Dockerfile', 'dockerfile', 1, text);
    assert.equal(cache.diagnostics(doc, new Analyzer().analyze('/Dockerfile', text, DEFAULT_OPTIONS)), undefined);
  });
});

function isInDocument(doc: TextDocument, d: Diagnostic, name: string): boolean {
  const text = doc.getText();
  const start = text.indexOf(`name: ${name}\n`);
  const end = text.indexOf('---', start);
  const at = doc.offsetAt(d.range.start);
  return at >= text.lastIndexOf('---', start) && (end < 0 || at < end);
}
