/**
 * An open document's Security contexts entry follows its analyses at most every OPEN_ENTRY_INTERVAL_MS, made from the
 * latest analysis (lsp/tree.ts): a thousand-workload file's entry is not made and sent on every keystroke.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import type { Connection } from 'vscode-languageserver';
import { Analyzer } from '../../server/src/engine/analyze';
import { DEFAULT_OPTIONS } from '../../server/src/engine/options';
import { OPEN_ENTRY_INTERVAL_MS, SecurityTree, type TreeFileMessage } from '../../server/src/lsp/tree';
import { pod } from '../support/manifests';

/** The entries sent, as the user of each file's first container. */
function fakeConnection(sent: string[]): Connection {
  return {
    onRequest: () => ({ dispose: () => undefined }),
    sendNotification: (_: string, params: { files: TreeFileMessage[] }) => {
      for (const f of params.files) sent.push(`${f.uri}: ${JSON.stringify(f.file?.workloads[0]?.containers[0]?.summary ?? null)}`);
      return Promise.resolve();
    },
  } as unknown as Connection;
}

describe('open documents\' entries in the Security contexts view', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
  afterEach(() => mock.timers.reset());

  test('five analyses within the interval: one entry, from the last', async () => {
    const sent: string[] = [];
    const tree = new SecurityTree(fakeConnection(sent), { roots: () => [], optionsFor: () => DEFAULT_OPTIONS, maxFileSize: () => 1e6, isOpen: () => true, inWorkspace: (uri) => uri.startsWith('file:///ws/'), openDocuments: () => [] });
    await tree.scan();
    const analyzer = new Analyzer();
    const version = (uid: number) => {
      const text = pod({ image: 'app:1', containerSc: `runAsUser: ${uid}` });
      tree.documentAnalysed('file:///ws/p.yaml', analyzer.analyze('/ws/p.yaml', text, DEFAULT_OPTIONS), text);
    };
    for (const uid of [1, 2, 3, 4, 5]) version(uid);
    assert.deepStrictEqual(sent, []);
    mock.timers.tick(OPEN_ENTRY_INTERVAL_MS);
    assert.equal(sent.length, 1);
    assert.match(sent[0], /uid 5\b/);
    version(0);
    mock.timers.tick(OPEN_ENTRY_INTERVAL_MS);
    assert.equal(sent.length, 2);
    assert.match(sent[1], /root/);
  });

  test('a file outside the workspace is not listed; a closed file\'s entry still due is not sent', async () => {
    const sent: string[] = [];
    const tree = new SecurityTree(fakeConnection(sent), { roots: () => ['/ws'], optionsFor: () => DEFAULT_OPTIONS, maxFileSize: () => 1e6, isOpen: () => true, inWorkspace: (uri) => uri.startsWith('file:///ws/'), openDocuments: () => [] });
    await tree.scan();
    const text = pod({ image: 'app:1', containerSc: 'runAsUser: 7' });
    tree.documentAnalysed('file:///tmp/outside.yaml', new Analyzer().analyze('/tmp/outside.yaml', text, DEFAULT_OPTIONS), text);
    tree.documentAnalysed('file:///ws/closed.yaml', new Analyzer().analyze('/ws/closed.yaml', text, DEFAULT_OPTIONS), text);
    tree.documentClosed('file:///ws/closed.yaml');
    mock.timers.tick(OPEN_ENTRY_INTERVAL_MS);
    assert.deepStrictEqual(sent, []);
  });

  test('nothing is made before the view asks for the tree', () => {
    const sent: string[] = [];
    const tree = new SecurityTree(fakeConnection(sent), { roots: () => [], optionsFor: () => DEFAULT_OPTIONS, maxFileSize: () => 1e6, isOpen: () => true, inWorkspace: (uri) => uri.startsWith('file:///ws/'), openDocuments: () => [] });
    const text = pod({ image: 'app:1' });
    tree.documentAnalysed('file:///ws/p.yaml', new Analyzer().analyze('/ws/p.yaml', text, DEFAULT_OPTIONS), text);
    mock.timers.tick(OPEN_ENTRY_INTERVAL_MS);
    assert.deepStrictEqual(sent, []);
  });
});
