/**
 * The "Security contexts" view's filter (client/src/treeFilter.ts, pure) over what the server sends for
 * a file (engine/present/tree.ts treeFile): which files, workloads and containers a verdict filter shows,
 * what a Quick Pick selection means, and the view's description.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { VERDICTS, filterDescription, filterOf, uniqueIds, visibleContainers, visibleFiles, visibleWorkloads, type TreeFile, type VerdictFilter } from '../../client/src/treeFilter';
import { Analyzer } from '../../server/src/engine/analyze';
import { DEFAULT_OPTIONS } from '../../server/src/engine/options';
import { VERDICT_LABEL } from '../../server/src/engine/present/report';
import { VERDICT_ORDER, treeFile } from '../../server/src/engine/present/tree';

const PODS = `apiVersion: v1
kind: Pod
metadata: {name: mixed}
spec:
  containers:
    - name: root-app
      image: app:1
      securityContext: {runAsUser: 0}
    - name: priv
      image: app:1
      securityContext: {privileged: true}
---
apiVersion: v1
kind: Pod
metadata: {name: hardened}
spec:
  securityContext: {runAsNonRoot: true, runAsUser: 1000, seccompProfile: {type: RuntimeDefault}}
  containers:
    - name: web
      image: app:1
      securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
`;

const ONLY_GAPS = `apiVersion: v1
kind: Pod
metadata: {name: gaps}
spec:
  containers:
    - name: a
      image: app:1
      securityContext: {runAsUser: 1000}
`;

function file(path: string, text: string): TreeFile {
  const entry = treeFile(new Analyzer().analyze(path, text, DEFAULT_OPTIONS), text);
  assert.ok(entry, path);
  return entry;
}

const FILES: [string, TreeFile][] = [['file:///w/pods.yaml', file('/w/pods.yaml', PODS)], ['file:///w/a-gaps.yaml', file('/w/a-gaps.yaml', ONLY_GAPS)]];

/** What the view draws: `file`, `  workload`, `    container (verdict)`. */
function drawn(filter: VerdictFilter): string[] {
  return visibleFiles(filter, FILES).flatMap(([uri, f]) => [
    uri,
    ...visibleWorkloads(filter, f).flatMap((w) => [`  ${w.label}`, ...visibleContainers(filter, w).map((c) => `    ${c.name} (${c.verdict})`)]),
  ]);
}

describe('Security contexts filter', () => {
  test('no filter: every file (by URI), workload and container, as the server judged them', () => {
    assert.deepStrictEqual(drawn(undefined), [
      'file:///w/a-gaps.yaml',
      '  Pod/gaps',
      '    a (restricted-gaps)',
      'file:///w/pods.yaml',
      '  Pod/mixed',
      '    root-app (root)',
      '    priv (privileged)',
      '  Pod/hardened',
      '    web (ok)',
    ]);
  });

  test('one verdict: only its containers, and only the workloads and files that hold one', () => {
    assert.deepStrictEqual(drawn(filterOf(['root'])), ['file:///w/pods.yaml', '  Pod/mixed', '    root-app (root)']);
  });

  test('two verdicts', () => {
    assert.deepStrictEqual(drawn(filterOf(['restricted-gaps', 'ok'])), ['file:///w/a-gaps.yaml', '  Pod/gaps', '    a (restricted-gaps)', 'file:///w/pods.yaml', '  Pod/hardened', '    web (ok)']);
  });

  test('a verdict no container has: nothing', () => {
    assert.deepStrictEqual(drawn(filterOf(['will-not-start'])), []);
  });

  test('picking every verdict or none is no filter', () => {
    assert.deepStrictEqual([filterOf(VERDICTS.map((v) => v.verdict)), filterOf([]), filterDescription(undefined)], [undefined, undefined, undefined]);
  });

  test('the description lists the picked verdicts in the view\'s order, whatever the order picked', () => {
    assert.equal(filterDescription(filterOf(['ok', 'privileged', 'root'])), 'filtered: privileged, runs as root, restricted');
  });

  test('the client\'s verdicts are the server\'s, in the same order and words', () => {
    assert.deepStrictEqual(VERDICTS.map((v) => [v.verdict, v.label]), VERDICT_ORDER.map((v) => [v, VERDICT_LABEL[v]]));
  });

  test('sibling rows get distinct, stable ids even with equal labels (VS Code refuses a refresh with duplicate ids)', () => {
    const ids = uniqueIds('file:///w/values.yaml', ['3:Deployment/web', '3:Deployment/web', '9:Job/x']);
    assert.deepStrictEqual({ distinct: new Set(ids).size, again: uniqueIds('file:///w/values.yaml', ['3:Deployment/web', '3:Deployment/web', '9:Job/x']) }, { distinct: 3, again: ids });
  });
});
