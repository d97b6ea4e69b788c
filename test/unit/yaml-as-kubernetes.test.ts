/**
 * YAML as the API server reads it. kubectl and the API server decode manifests with sigs.k8s.io/yaml
 * (`yamlToJSON` → gopkg.in/yaml.v2 `Unmarshal`): a YAML 1.1 reader that follows aliases, applies `<<`
 * merge keys in place (decode.go `mapping`/`merge`) and resolves the booleans of resolve.go's
 * `resolveMapList`. A manifest that hides `privileged` behind that syntax must still be judged privileged.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Analyzer } from '../../server/src/engine/analyze';
import { hoverAt } from '../../server/src/engine/hover';
import { LineIndex } from '../../server/src/engine/lines';
import { DEFAULT_OPTIONS } from '../../server/src/engine/options';
import { parseYamlChunk } from '../../server/src/engine/yaml/documents';
import { plainOf } from '../../server/src/engine/yaml/nodes';

const yaml = (...lines: string[]): string => lines.join('\n') + '\n';

function analyze(text: string) {
  return new Analyzer().analyze('pod.yaml', text, DEFAULT_OPTIONS);
}

function rules(text: string): string[] {
  const lines = new LineIndex(text);
  return analyze(text).findings.map((f) => `${f.rule}@${lines.position(f.span.start).line}`);
}

const POD_HEAD = ['apiVersion: v1', 'kind: Pod', 'metadata:', '  name: demo'];

describe('booleans: go-yaml v2 resolve.go resolveMapList', () => {
  // Exactly these spellings; `yEs` is a string there too.
  const TRUE = ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'];
  const FALSE = ['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'];
  const STRINGS = ['yEs', 'oN', 'tRUE', 'nO'];
  test('each spelling reads as the boolean (or string) go-yaml v2 makes of it', () => {
    const read = (word: string) => plainOf(parseYamlChunk(`v: ${word}\n`).doc.contents) as Record<string, unknown>;
    assert.deepStrictEqual(
      [...TRUE, ...FALSE, ...STRINGS].map((w) => read(w)['v']),
      [...TRUE.map(() => true), ...FALSE.map(() => false), ...STRINGS],
    );
  });
  test('`privileged: yes` is privileged, not an invalid value', () => {
    const text = yaml(...POD_HEAD, 'spec:', '  containers:', '    - name: app', '      image: app:1', '      securityContext:', '        privileged: yes');
    const analysis = analyze(text);
    assert.deepStrictEqual(analysis.contexts.map((c) => c.privileged.value), [true]);
    assert.ok(rules(text).includes('privileged@10'), rules(text).join(' '));
    assert.ok(!rules(text).some((r) => r.startsWith('invalid-value')), rules(text).join(' '));
  });
  test('numbers: a leading 0 is octal (strconv.ParseInt base 0), base 60 is a string', () => {
    assert.deepStrictEqual(plainOf(parseYamlChunk('a: 0777\nb: 1:20\nc: 0x10\nd: 2024-01-01\n').doc.contents), Object.assign(Object.create(null) as object, { a: 511, b: '1:20', c: 16, d: '2024-01-01' }));
  });
});

describe('aliases and merge keys (go-yaml v2 decode.go)', () => {
  const text = yaml(
    ...POD_HEAD,
    '  labels:',
    '    on: &yes yes', // line 6: the anchor
    'spec:',
    '  containers:',
    '    - name: a',
    '      image: app:1',
    '      securityContext: &sc',
    '        privileged: *yes', // line 12
    '        capabilities:',
    '          add: &caps [SYS_ADMIN]',
    '    - name: b',
    '      image: app:1',
    '      securityContext: *sc',
    '    - name: c',
    '      image: app:1',
    '      securityContext:',
    '        <<: *sc',
    '        runAsUser: 1000',
    '    - name: d',
    '      image: app:1',
    '      securityContext:',
    '        capabilities:',
    '          drop: [ALL]',
    '          add: *caps',
  );
  test('every container sees what the aliases and merge keys give it', () => {
    const analysis = analyze(text);
    assert.deepStrictEqual(
      analysis.contexts.map((c) => ({ name: c.name, privileged: c.privileged.value, added: c.capabilities?.added, user: c.user.value })),
      [
        { name: 'a', privileged: true, added: ['SYS_ADMIN'], user: undefined },
        { name: 'b', privileged: true, added: ['SYS_ADMIN'], user: undefined },
        { name: 'c', privileged: true, added: ['SYS_ADMIN'], user: 1000 },
        { name: 'd', privileged: false, added: ['SYS_ADMIN'], user: undefined },
      ],
    );
  });
  test('a merge key is no unknown field, and Pod Security sees through aliases', () => {
    const found = rules(text);
    assert.ok(!found.some((r) => r.startsWith('unknown-security-context-field')), found.join(' '));
    assert.ok(found.includes('privileged@12'), found.join(' '));
    assert.ok(found.some((r) => r.startsWith('dangerous-capability')), found.join(' '));
  });
  test('provenance of an aliased value points at the anchor and names the alias', () => {
    const analysis = analyze(text);
    const a = analysis.contexts[0];
    const lines = new LineIndex(text);
    assert.deepStrictEqual({ alias: a.privileged.alias, line: a.privileged.span && lines.position(a.privileged.span.start).line }, { alias: '*yes', line: 6 });
    const hover = hoverAt(analysis, text.indexOf('privileged: *yes') + 2) ?? '';
    assert.match(hover, /set through alias `\*yes`/);
  });
  test('a later key wins over a merge before it; a merge after a key overrides it (decode.go sets in order)', () => {
    const doc = parseYamlChunk(yaml('base: &b {x: 1, z: 1}', 'm1: {x: 2, <<: *b}', 'm2: {<<: *b, x: 2}', 'm3: {<<: [{x: 3}, *b]}')).doc;
    const plain = JSON.parse(JSON.stringify(plainOf(doc.contents))) as Record<string, unknown>;
    assert.deepStrictEqual(plain, { base: { x: 1, z: 1 }, m1: { x: 1, z: 1 }, m2: { x: 2, z: 1 }, m3: { x: 3, z: 1 } });
  });
  test('alias cycles and exponential aliasing stay bounded', () => {
    const cycle = parseYamlChunk('a: &a {b: *a, <<: *a}\n').doc;
    assert.deepStrictEqual(JSON.parse(JSON.stringify(plainOf(cycle.contents))), { a: { b: null } });
    const laughs = ['l0: &l0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 30; i++) laughs.push(`l${i}: &l${i} [${Array(10).fill(`*l${i - 1}`).join(', ')}]`);
    const doc = parseYamlChunk(laughs.join('\n') + '\n').doc;
    assert.equal(typeof plainOf(doc.contents), 'object');
  });
});

describe('line breaks', () => {
  test('CR-only line endings are line breaks: no yaml-syntax finding, same verdicts as LF', () => {
    const lf = yaml(...POD_HEAD, 'spec:', '  containers:', '    - name: app', '      image: app:1', '      securityContext:', '        privileged: true');
    const cr = lf.replace(/\n/g, '\r');
    const crlf = lf.replace(/\n/g, '\r\n');
    const summary = (t: string) => analyze(t).findings.map((f) => f.rule).sort();
    assert.ok(!summary(cr).includes('yaml-syntax'), summary(cr).join(' '));
    assert.deepStrictEqual(summary(cr), summary(lf));
    assert.deepStrictEqual(summary(crlf), summary(lf));
  });
});

describe('Compose follows compose-go (yaml.v3 + interpolation casts)', () => {
  test('aliases, merge keys (an explicit key wins) and `privileged: yes` (compose-go loader/interpolate.go toBoolean)', () => {
    const text = yaml(
      'x-hardened: &hardened',
      '  privileged: yes',
      '  cap_add: &caps [NET_ADMIN]',
      'services:',
      '  a:',
      '    image: app',
      '    <<: *hardened',
      '  b:',
      '    image: app',
      '    privileged: No',
      '    <<: *hardened',
      '  c:',
      '    image: app',
      '    cap_add: *caps',
    );
    const analysis = new Analyzer().analyze('compose.yaml', text, DEFAULT_OPTIONS);
    assert.deepStrictEqual(
      analysis.contexts.map((c) => ({ name: c.name, privileged: c.privileged.value, added: c.capabilities?.added })),
      [
        { name: 'a', privileged: true, added: ['NET_ADMIN'] },
        { name: 'b', privileged: false, added: ['NET_ADMIN'] },
        { name: 'c', privileged: false, added: ['NET_ADMIN'] },
      ],
    );
  });
});
