/**
 * Completion and hover in `.secctx.yaml` (engine/configFile): keys not yet set, enum values, rule ids
 * and severities; hovers describe settings, values and rules. `|` marks the cursor.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { configCompletionsAt } from '../../server/src/engine/configFile/complete';
import { configHoverAt } from '../../server/src/engine/configFile/hover';
import { PROFILE_VALUES, RUNTIME_VALUES } from '../../server/src/engine/configFile/schema';
import { RULES } from '../../server/src/engine/rules/index';

function at(marked: string): { text: string; offset: number } {
  const offset = marked.indexOf('|');
  return { text: marked.slice(0, offset) + marked.slice(offset + 1), offset };
}
const labels = (marked: string) => { const { text, offset } = at(marked); return configCompletionsAt(text, offset).map((e) => e.label); };
const hover = (marked: string) => { const { text, offset } = at(marked); return configHoverAt(text, offset); };

const ALL_KEYS = ['profile', 'runtime', 'kubernetesVersion', 'rules', 'ignore', 'images', 'kustomize', 'helm', 'imageLookup', 'imagePlatform', 'imageLayerBudget'];
const SEVERITIES = ['off', 'info', 'warning', 'error', 'hint'];

describe('.secctx.yaml completion', () => {
  const cases: [string, string, string[]][] = [
    ['an empty file offers every setting', '|', ALL_KEYS],
    ['a partial key', 'pro|', ALL_KEYS],
    ['settings already set are left out', 'profile: baseline\n|\nrules: {}\n', ['runtime', 'kubernetesVersion', 'ignore', 'images', 'kustomize', 'helm', 'imageLookup', 'imagePlatform', 'imageLayerBudget']],
    ['profile values', 'profile: |', PROFILE_VALUES.map((v) => v.value)],
    ['runtime values, partly typed', 'runtime: cr|', RUNTIME_VALUES.map((v) => v.value)],
    ['no values for free text', 'kubernetesVersion: |', []],
    ['rule ids under rules:', 'rules:\n  |', RULES.map((r) => r.meta.id)],
    ['rule ids already set are left out', `rules:\n  ${RULES[0].meta.id}: off\n  |\n  ${RULES[1].meta.id}: info\n`, RULES.slice(2).map((r) => r.meta.id)],
    ['severities after a rule id', `rules:\n  ${RULES[0].meta.id}: |`, SEVERITIES],
    ['nothing inside ignore:', 'ignore:\n  - |', []],
    ['nothing inside images:', 'images:\n  |', []],
  ];
  for (const [name, marked, expected] of cases) test(name, () => assert.deepStrictEqual(labels(marked), expected));

  test('a key completes with its colon, a rule id with its colon', () => {
    const { text, offset } = at('rules:\n  |');
    assert.deepStrictEqual(configCompletionsAt(text, offset)[0].insertText, `${RULES[0].meta.id}: `);
    assert.deepStrictEqual(configCompletionsAt('', 0).map((e) => e.insertText), ['profile: ', 'runtime: ', 'kubernetesVersion: "1.', 'rules:\n  ', 'ignore:\n  - ', 'images:\n  ', 'kustomize:\n  path: ', 'helm:\n  valuesFiles:\n    - ', 'imageLookup: ', 'imagePlatform: linux/', 'imageLayerBudget: ']);
  });
});

describe('.secctx.yaml hover', () => {
  test('on a setting: its description and values', () => {
    assert.deepStrictEqual(hover('prof|ile: baseline\n'), {
      span: { start: 0, end: 7 },
      markdown: `**profile** (secctx)\n\nPod Security Standards profile to judge against. Editor settings and \`--profile\` override it.\n\n${PROFILE_VALUES.map((v) => `- \`${v.value}\`: ${v.description}`).join('\n')}`,
    });
  });
  test('on a value: what it means', () => {
    assert.deepStrictEqual(hover('runtime: cri|-o\n'), { span: { start: 9, end: 14 }, markdown: `**runtime: cri-o**\n\n${RUNTIME_VALUES[1].description}` });
  });
  test('on a rule id: title, summary, default severity and documentation', () => {
    const rule = RULES[0].meta;
    assert.deepStrictEqual(hover(`rules:\n  ${rule.id.slice(0, 2)}|${rule.id.slice(2)}: off\n`), {
      span: { start: 9, end: 9 + rule.id.length },
      markdown: `**${rule.id}**: ${rule.title}\n\n${rule.docs.summary}\n\nDefault severity: \`${rule.defaultSeverity}\`. [Documentation](https://github.com/secctx/secctx/blob/main/docs/rules/${rule.id}.md)`,
    });
  });
  test('on a severity', () => {
    assert.deepStrictEqual(hover(`rules: {${RULES[0].meta.id}: of|f}\n`)?.markdown, '**off**: The rule reports nothing.');
  });
  test('nothing on unknown keys, free values or invalid YAML', () => {
    assert.deepStrictEqual([hover('bogus|: 1\n'), hover('ignore: [a|b]\n'), hover('profile: [|\n')], [undefined, undefined, undefined]);
  });
});
