/**
 * The fix layer, table-driven: each case is a manifest before and after one builder, compared as whole
 * strings, for every style the builders promise to keep (block and flow maps, indented and flush block
 * sequences, flow sequences, 2 and 4 spaces, CRLF, no final newline, comments, block scalars, empty values).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { parseDocument, type YAMLMap, type YAMLSeq } from 'yaml';
import { buildKubernetesDocument, type PodModel } from '../../server/src/engine/kubernetes/model';
import { DEFAULT_OPTIONS, type AnalysisOptions } from '../../server/src/engine/options';
import { moveCapabilitiesFixes } from '../../server/src/engine/fixes/capabilities';
import { appendToList, removeField, removeListItem, removePath, setField, writeChanges } from '../../server/src/engine/fixes/edits';
import {
  hoistFieldToPodFix,
  moveFieldToContainersFix,
  podSeccompRuntimeDefaultFix,
  removeFieldFix,
  removeForbiddenCapabilitiesFix,
  restrictCapabilitiesFix,
  setContainerFieldFix,
  setFieldFixes,
} from '../../server/src/engine/fixes/fields';
import { applyEdits, fixAll, hardenToRestricted, OverlappingEditsError } from '../../server/src/engine/fixes/apply';
import type { Fix, TextEdit } from '../../server/src/engine/types';
import { asMap, asSeq, pairOf } from '../../server/src/engine/yaml/nodes';

const REPOSITORY = path.resolve(__dirname, '../..');

/** Lines joined by `\n`, with a final newline. */
function y(...lines: string[]): string {
  return lines.join('\n') + '\n';
}

function parse(text: string): YAMLMap<unknown, unknown> {
  const doc = parseDocument(text, { uniqueKeys: false, strict: false });
  assert.deepStrictEqual(doc.errors.map((e) => e.message), [], `the case's input parses:\n${text}`);
  const root = asMap(doc.contents);
  assert.ok(root, 'a map at the root');
  return root;
}

/** The node at a path of keys and indices. */
function at(root: YAMLMap<unknown, unknown>, ...steps: (string | number)[]): unknown {
  let node: unknown = root;
  for (const step of steps) node = typeof step === 'number' ? asSeq(node)?.items[step] : pairOf(asMap(node), step)?.value;
  return node;
}

function mapAt(root: YAMLMap<unknown, unknown>, ...steps: (string | number)[]): YAMLMap<unknown, unknown> {
  const map = asMap(at(root, ...steps));
  assert.ok(map, `a map at ${steps.join('.')}`);
  return map;
}

function seqAt(root: YAMLMap<unknown, unknown>, ...steps: (string | number)[]): YAMLSeq<unknown> {
  const seq = asSeq(at(root, ...steps));
  assert.ok(seq, `a sequence at ${steps.join('.')}`);
  return seq;
}

function podOf(text: string, index = 0): PodModel {
  const pod = buildKubernetesDocument(parseDocument(text, { uniqueKeys: false, strict: false })).pods[index];
  assert.ok(pod, 'a pod');
  return pod;
}

/** The text after the edits; the result must parse without errors. */
function applied(text: string, edits: readonly TextEdit[]): string {
  const after = applyEdits(text, edits);
  assert.deepStrictEqual(parseDocument(after).errors.map((e) => e.message), [], `the result parses:\n${after}`);
  return after;
}

function only(fixes: Fix[] | string): Fix {
  assert.ok(Array.isArray(fixes), `a fix, not the reason ${JSON.stringify(fixes)}`);
  assert.equal(fixes.length, 1, `one fix: ${JSON.stringify(fixes.map((f) => f.title))}`);
  return fixes[0];
}

interface EditCase {
  readonly name: string;
  readonly before: string;
  readonly edit: (text: string, root: YAMLMap<unknown, unknown>) => TextEdit[];
  readonly after: string;
}

function runCases(cases: readonly EditCase[]): void {
  for (const c of cases) {
    test(c.name, () => {
      assert.strictEqual(applied(c.before, c.edit(c.before, parse(c.before))), c.after);
    });
  }
}

describe('setField', () => {
  runCases([
    {
      name: 'replaces a scalar, keeping the comment after it',
      before: y('sc:', '  runAsUser: 0 # root', '  fsGroup: 1'),
      edit: (t, r) => setField(t, mapAt(r, 'sc'), ['runAsUser'], '1000'),
      after: y('sc:', '  runAsUser: 1000 # root', '  fsGroup: 1'),
    },
    {
      name: 'adds a key after the last one, at its column, before a comment line that follows',
      before: y('sc:', '  runAsUser: 0', '  # the end', 'next: 1'),
      edit: (t, r) => setField(t, mapAt(r, 'sc'), ['runAsNonRoot'], 'true'),
      after: y('sc:', '  runAsUser: 0', '  runAsNonRoot: true', '  # the end', 'next: 1'),
    },
    {
      name: 'creates missing maps with the nearest map\'s indentation (4 spaces)',
      before: y('c:', '    name: a', '    resources:', '        limits: {}', 'z: 1'),
      edit: (t, r) => setField(t, mapAt(r, 'c'), ['securityContext', 'capabilities', 'drop'], '[ALL]'),
      after: y('c:', '    name: a', '    resources:', '        limits: {}', '    securityContext:', '        capabilities:', '            drop: [ALL]', 'z: 1'),
    },
    {
      name: 'creates missing maps with the file\'s indentation when the map has no nested map (4 spaces)',
      before: y('spec:', '    containers:', '    -   name: a', '        image: x', '    other:', '        k: v'),
      edit: (t, r) => setField(t, mapAt(r, 'spec', 'containers', 0), ['securityContext', 'runAsNonRoot'], 'true'),
      after: y('spec:', '    containers:', '    -   name: a', '        image: x', '        securityContext:', '            runAsNonRoot: true', '    other:', '        k: v'),
    },
    {
      name: 'writes into a flow map in flow style',
      before: y('c:', '  securityContext: {runAsUser: 1}  # flow'),
      edit: (t, r) => setField(t, mapAt(r, 'c'), ['securityContext', 'capabilities', 'drop'], '["ALL"]'),
      after: y('c:', '  securityContext: {runAsUser: 1, capabilities: {drop: ["ALL"]}}  # flow'),
    },
    {
      name: 'fills a key with no value, keeping its comment',
      before: y('c:', '  securityContext: # todo', '  name: a'),
      edit: (t, r) => setField(t, mapAt(r, 'c'), ['securityContext', 'runAsNonRoot'], 'true'),
      after: y('c:', '  securityContext: # todo', '    runAsNonRoot: true', '  name: a'),
    },
    {
      name: 'fills a `~` value',
      before: y('c:', '  securityContext: ~', '  name: a'),
      edit: (t, r) => setField(t, mapAt(r, 'c'), ['securityContext', 'runAsNonRoot'], 'true'),
      after: y('c:', '  securityContext:', '    runAsNonRoot: true', '  name: a'),
    },
    {
      name: 'turns an empty `{}` under a block key into a block map',
      before: y('c:', '  securityContext: {}', '  name: a'),
      edit: (t, r) => setField(t, mapAt(r, 'c'), ['securityContext', 'seccompProfile', 'type'], 'RuntimeDefault'),
      after: y('c:', '  securityContext:', '    seccompProfile:', '      type: RuntimeDefault', '  name: a'),
    },
    {
      name: 'keeps an empty `{}` inside a flow collection flow',
      before: y('containers: [{name: a, securityContext: {}}]'),
      edit: (t, r) => setField(t, mapAt(r, 'containers', 0), ['securityContext', 'runAsNonRoot'], 'true'),
      after: y('containers: [{name: a, securityContext: {runAsNonRoot: true}}]'),
    },
    {
      name: 'adds to a container written as a flow map',
      before: y('containers:', '- {name: a, image: b}'),
      edit: (t, r) => setField(t, mapAt(r, 'containers', 0), ['securityContext', 'runAsNonRoot'], 'true'),
      after: y('containers:', '- {name: a, image: b, securityContext: {runAsNonRoot: true}}'),
    },
    {
      name: 'keeps CRLF line endings',
      before: 'c:\r\n  name: a\r\n  image: b\r\nz: 1\r\n',
      edit: (t, r) => setField(t, mapAt(r, 'c'), ['securityContext', 'runAsNonRoot'], 'true'),
      after: 'c:\r\n  name: a\r\n  image: b\r\n  securityContext:\r\n    runAsNonRoot: true\r\nz: 1\r\n',
    },
    {
      name: 'adds after a final line without a newline, and adds none',
      before: 'c:\n  name: a',
      edit: (t, r) => setField(t, mapAt(r, 'c'), ['securityContext', 'runAsNonRoot'], 'true'),
      after: 'c:\n  name: a\n  securityContext:\n    runAsNonRoot: true',
    },
    {
      name: 'adds after a key whose value is a block scalar (keep chomping: its blank lines stay in it)',
      before: y('c:', '  name: a', '  args: |+', '    one', '    two', '', 'z: 1'),
      edit: (t, r) => setField(t, mapAt(r, 'c'), ['securityContext', 'runAsNonRoot'], 'true'),
      after: y('c:', '  name: a', '  args: |+', '    one', '    two', '', '  securityContext:', '    runAsNonRoot: true', 'z: 1'),
    },
    {
      name: 'adds after a block sequence whose last item is a block scalar',
      before: y('c:', '  command:', '  - sh', '  - |', '    echo hi', '  # comment', 'z: 1'),
      edit: (t, r) => setField(t, mapAt(r, 'c'), ['securityContext', 'runAsNonRoot'], 'true'),
      after: y('c:', '  command:', '  - sh', '  - |', '    echo hi', '  securityContext:', '    runAsNonRoot: true', '  # comment', 'z: 1'),
    },
    {
      name: 'adds to a map that is a block sequence item',
      before: y('containers:', '  - name: a', '    image: b', '  - name: c'),
      edit: (t, r) => setField(t, mapAt(r, 'containers', 0), ['securityContext', 'runAsNonRoot'], 'true'),
      after: y('containers:', '  - name: a', '    image: b', '    securityContext:', '      runAsNonRoot: true', '  - name: c'),
    },
    {
      name: 'keeps the quotes of the rest of a line and changes nothing when the value is already there',
      before: y('sc:', '  runAsUser: 1000'),
      edit: (t, r) => setField(t, mapAt(r, 'sc'), ['runAsUser'], '1000'),
      after: y('sc:', '  runAsUser: 1000'),
    },
  ]);

  test('two values under one new map create it once', () => {
    const before = y('c:', '  name: a');
    const edits = writeChanges(before, mapAt(parse(before), 'c'), [
      { path: ['securityContext', 'runAsNonRoot'], leaf: { kind: 'value', text: 'true' } },
      { path: ['securityContext', 'runAsUser'], leaf: { kind: 'value', text: '10001' } },
    ]);
    assert.strictEqual(applied(before, edits), y('c:', '  name: a', '  securityContext:', '    runAsNonRoot: true', '    runAsUser: 10001'));
  });

  test('no edits through a value that is not a map, or an alias', () => {
    for (const before of [y('c:', '  securityContext: 5'), y('base: &sc {runAsUser: 1}', 'c:', '  securityContext: *sc')]) {
      assert.deepStrictEqual(setField(before, mapAt(parse(before), 'c'), ['securityContext', 'runAsUser'], '1'), []);
    }
  });
});

describe('appendToList', () => {
  const drop = (t: string, r: YAMLMap<unknown, unknown>, items: string[]): TextEdit[] => appendToList(t, mapAt(r, 'c'), ['securityContext', 'capabilities', 'drop'], items);
  runCases([
    {
      name: 'flow list: new names after the last, quoted like the others',
      before: y('c:', '  securityContext:', '    capabilities:', '      drop: ["NET_RAW", "KILL"] # two'),
      edit: (t, r) => drop(t, r, ['ALL', 'KILL']),
      after: y('c:', '  securityContext:', '    capabilities:', '      drop: ["NET_RAW", "KILL", "ALL"] # two'),
    },
    {
      name: 'empty flow list',
      before: y('c:', '  securityContext:', '    capabilities:', '      drop: []'),
      edit: (t, r) => drop(t, r, ['ALL']),
      after: y('c:', '  securityContext:', '    capabilities:', '      drop: ["ALL"]'),
    },
    {
      name: 'indented block list, plain like its items, comments kept',
      before: y('c:', '  securityContext:', '    capabilities:', '      drop:', '        - NET_RAW # raw sockets', '      add:', '        - CHOWN'),
      edit: (t, r) => drop(t, r, ['ALL']),
      after: y('c:', '  securityContext:', '    capabilities:', '      drop:', '        - NET_RAW # raw sockets', '        - ALL', '      add:', '        - CHOWN'),
    },
    {
      name: 'flush block list',
      before: y('c:', '  securityContext:', '    capabilities:', '      drop:', '      - \'NET_RAW\'', 'z: 1'),
      edit: (t, r) => drop(t, r, ['ALL']),
      after: y('c:', '  securityContext:', '    capabilities:', '      drop:', '      - \'NET_RAW\'', '      - \'ALL\'', 'z: 1'),
    },
    {
      name: 'block list with CRLF line endings',
      before: 'c:\r\n  securityContext:\r\n    capabilities:\r\n      drop:\r\n      - NET_RAW\r\n',
      edit: (t, r) => drop(t, r, ['ALL']),
      after: 'c:\r\n  securityContext:\r\n    capabilities:\r\n      drop:\r\n      - NET_RAW\r\n      - ALL\r\n',
    },
    {
      name: 'a missing list is created in flow style, with its maps',
      before: y('c:', '  name: a'),
      edit: (t, r) => drop(t, r, ['ALL']),
      after: y('c:', '  name: a', '  securityContext:', '    capabilities:', '      drop: ["ALL"]'),
    },
    {
      name: 'a key with no value gets the list',
      before: y('c:', '  securityContext:', '    capabilities:', '      drop:', '  name: a'),
      edit: (t, r) => drop(t, r, ['ALL']),
      after: y('c:', '  securityContext:', '    capabilities:', '      drop: ["ALL"]', '  name: a'),
    },
    {
      name: '`capabilities: {}` becomes a block map',
      before: y('c:', '  securityContext:', '    capabilities: {}'),
      edit: (t, r) => drop(t, r, ['ALL']),
      after: y('c:', '  securityContext:', '    capabilities:', '      drop: ["ALL"]'),
    },
    {
      name: 'a name already there adds nothing',
      before: y('c:', '  securityContext:', '    capabilities:', '      drop: [ALL]'),
      edit: (t, r) => drop(t, r, ['ALL']),
      after: y('c:', '  securityContext:', '    capabilities:', '      drop: [ALL]'),
    },
  ]);
});

describe('removeField', () => {
  runCases([
    {
      name: 'block map: the pair\'s line with its comment; comment lines around stay',
      before: y('sc:', '  # why', '  privileged: true # yes', '  runAsUser: 1'),
      edit: (t, r) => removeField(t, mapAt(r, 'sc'), 'privileged'),
      after: y('sc:', '  # why', '  runAsUser: 1'),
    },
    {
      name: 'block map: a pair whose value is a block map',
      before: y('sc:', '  capabilities:', '    add:', '    - A', '  runAsUser: 1'),
      edit: (t, r) => removeField(t, mapAt(r, 'sc'), 'capabilities'),
      after: y('sc:', '  runAsUser: 1'),
    },
    {
      name: 'block map: a pair whose value is a block scalar',
      before: y('sc:', '  note: >', '    folded', '    text', '  runAsUser: 1'),
      edit: (t, r) => removeField(t, mapAt(r, 'sc'), 'note'),
      after: y('sc:', '  runAsUser: 1'),
    },
    {
      name: 'block map: the last pair leaves `{}`',
      before: y('c:', '  securityContext:', '    privileged: true', '  name: a'),
      edit: (t, r) => removeField(t, mapAt(r, 'c', 'securityContext'), 'privileged'),
      after: y('c:', '  securityContext: {}', '  name: a'),
    },
    {
      name: 'first key of a sequence item: the next key moves up',
      before: y('ports:', '- hostPort: 80', '  containerPort: 80'),
      edit: (t, r) => removeField(t, mapAt(r, 'ports', 0), 'hostPort'),
      after: y('ports:', '- containerPort: 80'),
    },
    {
      name: 'flow map: a middle pair',
      before: y('sc: {runAsUser: 1, privileged: true, fsGroup: 2}'),
      edit: (t, r) => removeField(t, mapAt(r, 'sc'), 'privileged'),
      after: y('sc: {runAsUser: 1, fsGroup: 2}'),
    },
    {
      name: 'flow map: the last pair',
      before: y('sc: {runAsUser: 1, privileged: true}'),
      edit: (t, r) => removeField(t, mapAt(r, 'sc'), 'privileged'),
      after: y('sc: {runAsUser: 1}'),
    },
    {
      name: 'flow map: the only pair',
      before: y('sc: { privileged: true }'),
      edit: (t, r) => removeField(t, mapAt(r, 'sc'), 'privileged'),
      after: y('sc: {}'),
    },
    {
      name: 'CRLF and no final newline',
      before: 'sc:\r\n  runAsUser: 1\r\n  privileged: true',
      edit: (t, r) => removeField(t, mapAt(r, 'sc'), 'privileged'),
      after: 'sc:\r\n  runAsUser: 1',
    },
    {
      name: 'removePath: an emptied map goes with its key',
      before: y('spec:', '  securityContext:', '    capabilities:', '      add: [A]', '  containers: []'),
      edit: (t, r) => removePath(t, mapAt(r, 'spec'), ['securityContext', 'capabilities']),
      after: y('spec:', '  containers: []'),
    },
  ]);
});

describe('removeListItem', () => {
  runCases([
    {
      name: 'flow: a middle item',
      before: y('add: [A, B, C]'),
      edit: (t, r) => removeListItem(t, seqAt(r, 'add'), 1),
      after: y('add: [A, C]'),
    },
    {
      name: 'flow: the last item',
      before: y('add: ["A", "B"]'),
      edit: (t, r) => removeListItem(t, seqAt(r, 'add'), 1),
      after: y('add: ["A"]'),
    },
    {
      name: 'flow: the only item leaves `[]`',
      before: y('add: [A] # c'),
      edit: (t, r) => removeListItem(t, seqAt(r, 'add'), 0),
      after: y('add: [] # c'),
    },
    {
      name: 'indented block: the item\'s line with its comment',
      before: y('add:', '  - A', '  - B # dup', '  - C'),
      edit: (t, r) => removeListItem(t, seqAt(r, 'add'), 1),
      after: y('add:', '  - A', '  - C'),
    },
    {
      name: 'flush block: the last item',
      before: y('caps:', '  add:', '  - A', '  - B', '  drop: []'),
      edit: (t, r) => removeListItem(t, seqAt(r, 'caps', 'add'), 1),
      after: y('caps:', '  add:', '  - A', '  drop: []'),
    },
    {
      name: 'block, CRLF, no final newline: the last item',
      before: 'add:\r\n  - A\r\n  - B',
      edit: (t, r) => removeListItem(t, seqAt(r, 'add'), 1),
      after: 'add:\r\n  - A',
    },
    {
      name: 'block: the only item leaves `[]`',
      before: y('caps:', '  add:', '    - A', '  drop: []'),
      edit: (t, r) => removeListItem(t, seqAt(r, 'caps', 'add'), 0),
      after: y('caps:', '  add: []', '  drop: []'),
    },
  ]);
});

const POD_LEVEL_CAPS = readFileSync(path.join(REPOSITORY, 'test/vscode/fixtures/pod-level-caps.yaml'), 'utf8');
const POD_LEVEL_CAPS_MOVED = readFileSync(path.join(REPOSITORY, 'test/vscode/fixtures/expected/pod-level-caps.moved-to-containers.yaml'), 'utf8');

describe('moveCapabilitiesFixes', () => {
  test('the editor fixture: moved into both containers, flow style kept', () => {
    const fixes = moveCapabilitiesFixes(POD_LEVEL_CAPS, podOf(POD_LEVEL_CAPS));
    // The pod-level add applies to no container today (PodSecurityContext has no capabilities field):
    // moving it grants NET_ADMIN, so it is unsafe, and stays the preferred quick fix.
    assert.deepStrictEqual(fixes.map((f) => [f.title, f.safety, f.preferred ?? false]), [
      ['Move capabilities to all containers', 'unsafe', true],
      ['Move capabilities to container "app" only', 'unsafe', false],
      ['Move capabilities to container "sidecar" only', 'unsafe', false],
    ]);
    assert.strictEqual(applied(POD_LEVEL_CAPS, fixes[0].edits), POD_LEVEL_CAPS_MOVED);
  });

  test('a block list merges into a flow list (union, order kept) and is created as a block list elsewhere; init and ephemeral containers too', () => {
    const before = y(
      'apiVersion: v1',
      'kind: Pod',
      'metadata: {name: p}',
      'spec:',
      '  securityContext:',
      '    runAsNonRoot: true',
      '    capabilities:',
      '      add:',
      '        - NET_ADMIN',
      '        - KILL',
      '      drop: [NET_RAW]',
      '  initContainers:',
      '  - name: init',
      '    image: i',
      '  containers:',
      '  - name: app',
      '    image: a',
      '    securityContext:',
      '      capabilities:',
      '        add: ["KILL"]',
      '  ephemeralContainers:',
      '  - {name: debug, image: d}',
    );
    const fix = moveCapabilitiesFixes(before, podOf(before))[0];
    assert.strictEqual(applied(before, fix.edits), y(
      'apiVersion: v1',
      'kind: Pod',
      'metadata: {name: p}',
      'spec:',
      '  securityContext:',
      '    runAsNonRoot: true',
      '  initContainers:',
      '  - name: init',
      '    image: i',
      '    securityContext:',
      '      capabilities:',
      '        add:',
      '          - NET_ADMIN',
      '          - KILL',
      '        drop: [NET_RAW]',
      '  containers:',
      '  - name: app',
      '    image: a',
      '    securityContext:',
      '      capabilities:',
      '        add: ["KILL", "NET_ADMIN"]',
      '        drop: [NET_RAW]',
      '  ephemeralContainers:',
      '  - {name: debug, image: d, securityContext: {capabilities: {add: [NET_ADMIN, KILL], drop: [NET_RAW]}}}',
    ));
  });

  test('a pod securityContext holding only capabilities goes; 4-space indentation', () => {
    const before = y(
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '    name: p',
      'spec:',
      '    securityContext:',
      '        capabilities:',
      '            drop:',
      '            - ALL',
      '    containers:',
      '    -   name: app',
      '        image: a',
    );
    const fixes = moveCapabilitiesFixes(before, podOf(before));
    assert.equal(fixes.length, 1, 'one container: no "only" variants');
    assert.strictEqual(applied(before, fixes[0].edits), y(
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '    name: p',
      'spec:',
      '    containers:',
      '    -   name: app',
      '        image: a',
      '        securityContext:',
      '            capabilities:',
      '                drop:',
      '                - ALL',
    ));
  });

  test('empty pod-level capabilities are removed', () => {
    const before = y('kind: Pod', 'apiVersion: v1', 'spec:', '  securityContext: {runAsUser: 1, capabilities: {}}', '  containers:', '  - name: a');
    const fix = only(moveCapabilitiesFixes(before, podOf(before)));
    assert.equal(fix.title, 'Remove the pod-level capabilities (they apply to no container)');
    assert.strictEqual(applied(before, fix.edits), y('kind: Pod', 'apiVersion: v1', 'spec:', '  securityContext: {runAsUser: 1}', '  containers:', '  - name: a'));
  });
});

const TWO_CONTAINERS = (pod: string[], a: string[], b: string[]): string => y(
  'apiVersion: v1',
  'kind: Pod',
  'metadata:',
  '  name: p',
  'spec:',
  ...pod,
  '  containers:',
  '  - name: a',
  '    image: img-a',
  ...a,
  '  - name: b',
  '    image: img-b',
  ...b,
);

describe('moving fields between pod and containers', () => {
  test('moveFieldToContainersFix: a container\'s own value wins, and the title says so', () => {
    const before = TWO_CONTAINERS(['  securityContext:', '    allowPrivilegeEscalation: false', '    runAsUser: 1000'], [], ['    securityContext:', '      allowPrivilegeEscalation: true']);
    const fix = only(moveFieldToContainersFix(before, podOf(before), 'allowPrivilegeEscalation'));
    assert.deepStrictEqual([fix.title, fix.safety], ['Move allowPrivilegeEscalation to all containers (container "b" keeps its own)', 'safe']);
    assert.strictEqual(applied(before, fix.edits), TWO_CONTAINERS(
      ['  securityContext:', '    runAsUser: 1000'],
      ['    securityContext:', '      allowPrivilegeEscalation: false'],
      ['    securityContext:', '      allowPrivilegeEscalation: true'],
    ));
  });

  test('hoistFieldToPodFix: moves the value to the pod, removing every equal copy', () => {
    const before = TWO_CONTAINERS([], ['    securityContext:', '      fsGroup: 2000'], ['    securityContext:', '      runAsUser: 1', '      fsGroup: 2000']);
    const pod = podOf(before);
    const fix = only(hoistFieldToPodFix(before, pod, pod.containers[0], 'fsGroup'));
    // At pod level fsGroup applies to every container (a supplementary group, volume ownership): it grants, unsafe.
    assert.deepStrictEqual([fix.title, fix.safety], ['Move fsGroup to the pod securityContext', 'unsafe']);
    assert.strictEqual(applied(before, fix.edits), TWO_CONTAINERS([], [], ['    securityContext:', '      runAsUser: 1', '  securityContext:', '    fsGroup: 2000']));
  });

  test('hoistFieldToPodFix: a block value keeps its lines, re-indented', () => {
    const before = TWO_CONTAINERS(['  hostname: h'], ['    securityContext:', '      sysctls:', '        - name: net.ipv4.ip_local_port_range # ports', '          value: "1024 65535"'], []);
    const pod = podOf(before);
    const fix = only(hoistFieldToPodFix(before, pod, pod.containers[0], 'sysctls'));
    assert.strictEqual(applied(before, fix.edits), TWO_CONTAINERS(
      ['  hostname: h'],
      [],
      ['  securityContext:', '    sysctls:', '      - name: net.ipv4.ip_local_port_range # ports', '        value: "1024 65535"'],
    ));
  });

  test('hoistFieldToPodFix: a container that disagrees is the reason there is no fix', () => {
    const before = TWO_CONTAINERS([], ['    securityContext:', '      fsGroup: 2000'], ['    securityContext:', '      fsGroup: 3000']);
    const pod = podOf(before);
    assert.strictEqual(hoistFieldToPodFix(before, pod, pod.containers[0], 'fsGroup'), 'It cannot simply move to the pod: container "b" sets a different fsGroup.');
  });
});

describe('setting and removing fields', () => {
  const options = (uid?: number): AnalysisOptions => ({ ...DEFAULT_OPTIONS, images: (image) => (image === 'img-a' && uid !== undefined ? { uid, note: 'test', dockerfile: '/Dockerfile' } : undefined) });

  test('setFieldFixes non-root: the image\'s uid from a linked Dockerfile', () => {
    const before = TWO_CONTAINERS([], [], []);
    const pod = podOf(before);
    const fix = only(setFieldFixes(before, pod, pod.containers[0], options(1234), 'non-root'));
    assert.deepStrictEqual([fix.title, fix.safety, fix.preferred], ['Run as non-root uid 1234 (runAsNonRoot: true, runAsUser: 1234)', 'unsafe', true]);
    assert.strictEqual(applied(before, fix.edits), TWO_CONTAINERS([], ['    securityContext:', '      runAsNonRoot: true', '      runAsUser: 1234'], []));
  });

  test('setFieldFixes non-root: a container that runs as a non-zero uid keeps it', () => {
    const before = TWO_CONTAINERS([], [], ['    securityContext: {runAsUser: 5, runAsNonRoot: false}']);
    const pod = podOf(before);
    const fix = only(setFieldFixes(before, pod, pod.containers[1], options(), 'non-root'));
    assert.equal(fix.title, 'Require a non-root user (runAsNonRoot: true)');
    assert.strictEqual(applied(before, fix.edits), TWO_CONTAINERS([], [], ['    securityContext: {runAsUser: 5, runAsNonRoot: true}']));
  });

  test('setFieldFixes numeric-user: uid 0 becomes the default non-root uid (an image uid of 0 does not count)', () => {
    const before = TWO_CONTAINERS([], ['    securityContext:', '      runAsUser: 0'], []);
    const pod = podOf(before);
    const fix = only(setFieldFixes(before, pod, pod.containers[0], options(0), 'numeric-user'));
    assert.equal(fix.title, 'Run as uid 10001 (runAsUser: 10001)');
    assert.strictEqual(applied(before, fix.edits), TWO_CONTAINERS([], ['    securityContext:', '      runAsUser: 10001'], []));
  });

  test('removeFieldFix: privileged: true goes, and the emptied securityContext with it', () => {
    const before = TWO_CONTAINERS([], ['    securityContext:', '      privileged: true'], []);
    const fix = only(removeFieldFix(before, podOf(before), ['spec', 'containers', 0, 'securityContext', 'privileged']));
    assert.deepStrictEqual([fix.title, fix.safety], ['Remove privileged: true', 'unsafe']);
    assert.strictEqual(applied(before, fix.edits), TWO_CONTAINERS([], [], []));
  });

  test('removeFieldFix: a hostPort in a flow port', () => {
    const before = TWO_CONTAINERS([], ['    ports: [{containerPort: 80, hostPort: 8080}]'], []);
    const fix = only(removeFieldFix(before, podOf(before), ['spec', 'containers', 0, 'ports', 0, 'hostPort']));
    assert.strictEqual(applied(before, fix.edits), TWO_CONTAINERS([], ['    ports: [{containerPort: 80}]'], []));
  });

  test('setContainerFieldFix: replaces an existing value', () => {
    const before = TWO_CONTAINERS([], [], ['    securityContext:', '      allowPrivilegeEscalation: true  # legacy']);
    const fix = only(setContainerFieldFix(before, podOf(before), ['spec', 'containers', 1, 'securityContext', 'allowPrivilegeEscalation'], 'allowPrivilegeEscalation', 'false', 'Set allowPrivilegeEscalation: false'));
    assert.strictEqual(applied(before, fix.edits), TWO_CONTAINERS([], [], ['    securityContext:', '      allowPrivilegeEscalation: false  # legacy']));
  });

  test('podSeccompRuntimeDefaultFix: into an existing pod securityContext', () => {
    const before = TWO_CONTAINERS(['  securityContext:', '    runAsNonRoot: true'], [], []);
    const fix = only(podSeccompRuntimeDefaultFix(before, podOf(before)));
    assert.strictEqual(applied(before, fix.edits), TWO_CONTAINERS(['  securityContext:', '    runAsNonRoot: true', '    seccompProfile:', '      type: RuntimeDefault'], [], []));
  });

  test('restrictCapabilitiesFix: the only add list becomes drop: ["ALL"]; NET_BIND_SERVICE stays elsewhere', () => {
    const before = TWO_CONTAINERS(
      [],
      ['    securityContext:', '      capabilities:', '        add:', '        - SYS_TIME'],
      ['    securityContext:', '      capabilities:', '        add: [NET_BIND_SERVICE, CHOWN]', '        drop: [NET_RAW]'],
    );
    const pod = podOf(before);
    const a = only(restrictCapabilitiesFix(before, pod.containers[0]));
    assert.strictEqual(applied(before, a.edits), TWO_CONTAINERS(
      [],
      ['    securityContext:', '      capabilities:', '        drop: ["ALL"]'],
      ['    securityContext:', '      capabilities:', '        add: [NET_BIND_SERVICE, CHOWN]', '        drop: [NET_RAW]'],
    ));
    const b = only(restrictCapabilitiesFix(before, pod.containers[1]));
    assert.strictEqual(applied(before, b.edits), TWO_CONTAINERS(
      [],
      ['    securityContext:', '      capabilities:', '        add:', '        - SYS_TIME'],
      ['    securityContext:', '      capabilities:', '        add: [NET_BIND_SERVICE]', '        drop: [NET_RAW, ALL]'],
    ));
    assert.equal(only(removeForbiddenCapabilitiesFix(before, pod.containers[1])).title, 'Remove added capabilities other than NET_BIND_SERVICE (CHOWN)');
  });
});

describe('applyEdits', () => {
  test('applies sorted edits; an insertion before a replacement at one offset', () => {
    assert.strictEqual(applyEdits('abcdef', [{ start: 4, end: 6, newText: 'X' }, { start: 1, end: 1, newText: '+' }, { start: 1, end: 3, newText: '' }]), 'a+dX');
  });

  test('skips edits for another file', () => {
    assert.strictEqual(applyEdits('abc', [{ start: 0, end: 1, newText: 'Z', file: '/Dockerfile' }]), 'abc');
  });

  test('throws on overlapping edits and on two insertions at one offset', () => {
    assert.throws(() => applyEdits('abcdef', [{ start: 1, end: 4, newText: '' }, { start: 3, end: 5, newText: '' }]), OverlappingEditsError);
    assert.throws(() => applyEdits('abc', [{ start: 1, end: 1, newText: 'x' }, { start: 1, end: 1, newText: 'y' }]), OverlappingEditsError);
  });
});

describe('fixAll', () => {
  test('safe fixes only: nothing in the example is safe, since each fix would grant a capability no container has today', () => {
    // Moving the pod-level add (MAC_ADMIN, KILL) into the containers, and writing CAP_SYS_PTRACE as SYS_PTRACE in an add
    // that containerd ignores today (it becomes CAP_CAP_SYS_PTRACE), both grant: unsafe for --fix and fix-all.
    const before = readFileSync(path.join(REPOSITORY, 'examples/pod-level-capabilities.yaml'), 'utf8');
    const result = fixAll('pod-level-capabilities.yaml', before, DEFAULT_OPTIONS, { unsafe: false });
    assert.deepStrictEqual({ applied: result.applied, unchanged: result.text === before }, { applied: [], unchanged: true });
  });

  test('safe fixes still apply: a pod-level drop moves into the containers, a CAP_ prefix in drop is stripped', () => {
    const before = y(
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: p',
      'spec:',
      '  securityContext:',
      '    capabilities:',
      '      drop: [NET_RAW]',
      '  containers:',
      '    - name: app',
      '      image: app:1',
      '      securityContext:',
      '        capabilities:',
      '          drop: [CAP_MKNOD]',
    );
    const result = fixAll('p.yaml', before, DEFAULT_OPTIONS, { unsafe: false });
    assert.deepStrictEqual(result.applied.map((a) => `${a.pass} ${a.rule}: ${a.title} (${a.safety})`), [
      '1 capabilities-at-pod-level: Move capabilities to all containers (safe)',
      '2 capability-prefix: Change to MKNOD (safe)',
    ]);
  });

  test('is idempotent: a second run changes nothing', () => {
    const before = readFileSync(path.join(REPOSITORY, 'examples/pod-level-capabilities.yaml'), 'utf8');
    const once = fixAll('p.yaml', before, DEFAULT_OPTIONS, { unsafe: true });
    const twice = fixAll('p.yaml', once.text, DEFAULT_OPTIONS, { unsafe: true });
    assert.deepStrictEqual([twice.text === once.text, twice.applied], [true, []]);
  });
});

describe('hardenToRestricted', () => {
  test('fixes what restricted asks of a container and lists host namespaces instead of removing them', () => {
    const before = y(
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: web',
      'spec:',
      '  template:',
      '    spec:',
      '      hostNetwork: true # needs the node\'s network',
      '      containers:',
      '        - name: web',
      '          image: nginx',
      '          securityContext:',
      '            privileged: false',
      '            capabilities:',
      '              add: ["CHOWN"]',
    );
    const result = hardenToRestricted('web.yaml', before, DEFAULT_OPTIONS);
    assert.strictEqual(result.text, y(
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: web',
      'spec:',
      '  template:',
      '    spec:',
      '      hostNetwork: true # needs the node\'s network',
      '      containers:',
      '        - name: web',
      '          image: nginx',
      '          securityContext:',
      '            privileged: false',
      '            capabilities:',
      '              drop: ["ALL"]',
      '            allowPrivilegeEscalation: false',
      '            runAsNonRoot: true',
      '            runAsUser: 10001',
      '      securityContext:',
      '        seccompProfile:',
      '          type: RuntimeDefault',
    ));
    // check_hostNamespaces.go hostNamespaces_1_0: said as the finding says it, the admission controller's words beside.
    assert.deepStrictEqual(result.unfixed.map((u) => [u.workload, u.check, u.message, u.upstream]), [
      ['Deployment/web', 'hostNamespaces', 'The pod uses the node\'s network: its containers can bind the node\'s ports, reach services on the node\'s loopback and see its traffic. The baseline profile forbids hostNetwork.', 'host namespaces (hostNetwork=true)'],
    ]);
  });

  test('reports what it could not fix that Pod Security does not check: a pod-level capabilities error remains', () => {
    const before = y('apiVersion: v1', 'kind: Pod', 'metadata:', '  name: web', 'spec:', '  securityContext:', '    capabilities:', '      add: ["NET_ADMIN"]', '  containers:', '    - name: web', '      image: web:1');
    const result = hardenToRestricted('web.yaml', before, DEFAULT_OPTIONS);
    assert.strictEqual(result.text, y(
      'apiVersion: v1', 'kind: Pod', 'metadata:', '  name: web', 'spec:',
      '  securityContext:', '    capabilities:', '      add: ["NET_ADMIN"]', '    seccompProfile:', '      type: RuntimeDefault',
      '  containers:', '    - name: web', '      image: web:1', '      securityContext:', '        allowPrivilegeEscalation: false',
      '        capabilities:', '          drop: ["ALL"]', '        runAsNonRoot: true', '        runAsUser: 10001',
    ));
    // Pod Security admission passes it (it does not look at pod-level capabilities), but the file does not pass:
    assert.deepStrictEqual([result.unfixed, result.remaining.map((f) => [f.rule, f.severity, result.text.slice(f.span.start, f.span.end)])], [[], [['capabilities-at-pod-level', 'error', 'capabilities']]]);
  });

  test('nothing remains when everything was fixed', () => {
    const before = y('apiVersion: v1', 'kind: Pod', 'metadata:', '  name: web', 'spec:', '  containers:', '    - name: web', '      image: web:1');
    const result = hardenToRestricted('web.yaml', before, DEFAULT_OPTIONS);
    assert.deepStrictEqual([result.unfixed, result.remaining], [[], []]);
  });
});

describe('restricted-capabilities offers a fix for each kind of violation', () => {
  test('an added capability other than NET_BIND_SERVICE: remove the forbidden adds, keep NET_BIND_SERVICE', async () => {
    const { Analyzer } = await import('../../server/src/engine/analyze');
    const before = y(
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: web',
      'spec:',
      '  containers:',
      '    - name: web',
      '      image: web:1',
      '      securityContext:',
      '        capabilities:',
      '          drop: ["ALL"]',
      '          add: ["NET_BIND_SERVICE", "CHOWN", "KILL"]',
    );
    const analysis = new Analyzer().analyze('web.yaml', before, { ...DEFAULT_OPTIONS, profile: 'restricted' });
    const onAdd = analysis.findings.filter((f) => f.rule === 'restricted-capabilities');
    assert.deepStrictEqual(onAdd.map((f) => before.slice(f.span.start, f.span.end)), ['"CHOWN"', '"KILL"']);
    for (const finding of onAdd) {
      assert.deepStrictEqual(finding.fixes.map((f) => [f.title, f.safety]), [['Remove added capabilities other than NET_BIND_SERVICE (CHOWN, KILL)', 'unsafe']]);
      assert.strictEqual(applyEdits(before, finding.fixes[0].edits), before.replace('["NET_BIND_SERVICE", "CHOWN", "KILL"]', '["NET_BIND_SERVICE"]'));
    }
  });
});

describe('capability name fixes keep the item\'s quoting', () => {
  // In drop: stripping CAP_ from an add containerd ignores would grant the capability (unsafe), so fix-all
  // on save leaves it; in drop it narrows as written (safe) and fix-all applies it.
  const pod = (list: string): string =>
    y('apiVersion: v1', 'kind: Pod', 'metadata:', '  name: web', 'spec:', '  containers:', '    - name: web', '      image: web:1', '      securityContext:', '        capabilities:', `          drop: ${list}`);
  for (const { name, list, expected } of [
    { name: 'double quotes (capability-prefix)', list: '["CAP_SYS_PTRACE", "MAC_ADMIN"]', expected: '["SYS_PTRACE", "MAC_ADMIN"]' },
    { name: 'single quotes (capability-prefix)', list: "['CAP_SYS_PTRACE', 'MAC_ADMIN']", expected: "['SYS_PTRACE', 'MAC_ADMIN']" },
    { name: 'plain (capability-prefix)', list: '[CAP_SYS_PTRACE, MAC_ADMIN]', expected: '[SYS_PTRACE, MAC_ADMIN]' },
    { name: 'double quotes (capability-case)', list: '["sys_ptrace", "MAC_ADMIN"]', expected: '["SYS_PTRACE", "MAC_ADMIN"]' },
    { name: 'single quotes (capability-case)', list: "['sys_ptrace']", expected: "['SYS_PTRACE']" },
  ]) {
    test(`${name}: ${list} → ${expected}`, async () => {
      const { Analyzer } = await import('../../server/src/engine/analyze');
      const before = pod(list);
      const finding = new Analyzer().analyze('web.yaml', before, DEFAULT_OPTIONS).findings.find((f) => f.rule === 'capability-prefix' || f.rule === 'capability-case');
      assert.ok(finding, 'a capability name finding');
      assert.deepStrictEqual(finding.fixes.map((f) => f.title), ['Change to SYS_PTRACE']);
      assert.strictEqual(applyEdits(before, finding.fixes[0].edits), pod(expected));
      // fix-all on save: the whole list stays in one quoting style
      assert.strictEqual(fixAll('web.yaml', before, DEFAULT_OPTIONS, { unsafe: false }).text.split('\n').find((l) => l.includes('drop:')), `          drop: ${expected}`);
    });
  }
});
