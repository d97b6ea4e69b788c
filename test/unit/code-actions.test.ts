/** The code action adapter: quick fixes for the diagnostics a user selects. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Analyzer } from '../../server/src/engine/analyze';
import { DEFAULT_OPTIONS } from '../../server/src/engine/options';
import { quickFixes } from '../../server/src/lsp/codeActions';
import { toDiagnostic } from '../../server/src/lsp/diagnostics';

const POD = `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  securityContext:
    runAsNonRoot: true
  containers:
    - name: app
      image: app:1
      securityContext:
        runAsUser: 0
`;

function actionsOn(text: string, needle: string) {
  const doc = TextDocument.create('file:///p.yaml', 'yaml', 1, text);
  const analysis = new Analyzer().analyze('/p.yaml', text, DEFAULT_OPTIONS);
  const at = text.indexOf(needle);
  const diagnostics = analysis.findings.filter((f) => f.span.start <= at && at < f.span.end).map((f) => toDiagnostic(doc, f));
  const range = diagnostics[0].range;
  return { diagnostics, actions: quickFixes(doc, analysis, { textDocument: { uri: doc.uri }, range, context: { diagnostics } }, () => undefined) };
}

describe('quick fixes', () => {
  test('one runAsUser: 0 under a pod that requires non-root: the same edit is offered once, for every diagnostic it fixes, and runAsNonRoot is not added again', () => {
    const { diagnostics, actions } = actionsOn(POD, 'runAsUser: 0');
    // run-as-user-zero (check_runAsUser.go) yields to run-as-root here: one finding per cause and place.
    assert.deepStrictEqual(diagnostics.map((d) => d.code).sort(), ['run-as-non-root-violation', 'run-as-root']);
    const fixes = actions.filter((a) => !a.title.startsWith('Disable'));
    assert.deepStrictEqual(fixes.map((a) => [a.title, a.diagnostics?.length]), [['Run as uid 10001 (runAsUser: 10001) (changes what the workload may do)', 2]]);
    assert.deepStrictEqual(fixes[0].edit?.changes?.['file:///p.yaml']?.map((e) => e.newText), ['10001']);
  });
});
