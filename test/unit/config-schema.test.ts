/**
 * schemas/secctx-config.schema.json and the `.secctx.yaml` parser (engine/config.ts parseConfig)
 * agree: every valid example passes both, every invalid one fails both (validated with ajv, as the
 * YAML extension validates the file through package.json `yamlValidation`).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { parseConfig } from '../../server/src/engine/config';
import { configSchema, configSettings } from '../../server/src/engine/configFile/schema';
import { RULES } from '../../server/src/engine/rules/index';

const ROOT = join(__dirname, '..', '..');
const SCHEMA_FILE = join(ROOT, 'schemas', 'secctx-config.schema.json');
const committed = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as object;

const ajv = new Ajv({ strict: true, allErrors: true });
ajv.addVocabulary(['markdownDescription', 'enumDescriptions', 'markdownEnumDescriptions']);
const validate = ajv.compile(committed);

/** The schema's verdict on the YAML text, as the YAML extension sees it (invalid YAML fails). */
function schemaAccepts(text: string): boolean {
  let value: unknown;
  try {
    value = parse(text, { prettyErrors: false });
  } catch {
    return false;
  }
  return validate(value === undefined ? null : value);
}

const RULE = RULES[0].meta.id;

const VALID: readonly string[] = [
  '',
  '# only a comment\n',
  'profile: restricted\n',
  'profile: baseline\n',
  'profile: privileged\n',
  'runtime: containerd\n',
  'runtime: cri-o\n',
  'runtime: docker\n',
  'kubernetesVersion: "1.30"\n',
  "kubernetesVersion: 'v1.29'\n",
  'rules: {}\n',
  `rules:\n  ${RULE}: off\n`,
  ...['off', 'info', 'warning', 'error', 'hint'].map((s) => `rules: {${RULE}: ${s}}\n`),
  `rules:\n${RULES.map((r) => `  ${r.meta.id}: warning\n`).join('')}`,
  'ignore: []\n',
  'ignore:\n  - "**/templates/**"\n  - test/*.yaml\n',
  'images: {}\n',
  'images:\n  registry.example/api: api/Dockerfile\n  worker: ./worker/Containerfile\n',
  'helm: {}\n',
  'helm:\n  valuesFiles: []\n',
  'helm:\n  valuesFiles:\n    - values-prod.yaml\n    - ../shared/values.yaml\n',
  'kustomize: {}\n',
  'kustomize:\n  path: /usr/local/bin/kustomize\n  timeoutSeconds: 30\n',
  'kustomize: {timeoutSeconds: 2.5}\n',
  `profile: baseline\nruntime: cri-o\nkubernetesVersion: "1.33"\nrules:\n  ${RULE}: error\nignore: [vendor/**]\nimages: {app: Dockerfile}\n`,
  'imageLookup: registry\n',
  'imageLookup: local\nimagePlatform: linux/arm64/v8\nimageLayerBudget: 1048576\n',
  'imageLookup: "off"\nimagePlatform: linux/amd64\n',
  'imageLookup: off\n', // YAML 1.2: off is a string
];

const INVALID: readonly string[] = [
  'imageLookup: remote\n',
  'imagePlatform: amd64\n',
  'imageLayerBudget: -1\n',
  'imageLayerBudget: "64MiB"\n',
  'profile: strict\n',
  'profile: 1\n',
  'profile:\n',
  'profile: [restricted]\n',
  'runtime: podman\n',
  'runtime: Containerd\n',
  'kubernetesVersion: 1.30\n',
  'kubernetesVersion: "2.0"\n',
  'kubernetesVersion: "1.30.1"\n',
  'kubernetesVersion: latest\n',
  'rules: off\n',
  'rules: [run-as-root]\n',
  'rules:\n',
  'rules: {no-such-rule: off}\n',
  `rules: {${RULE}: fatal}\n`,
  `rules: {${RULE}: true}\n`,
  `rules: {${RULE}: {severity: off}}\n`,
  'ignore: "*.yaml"\n',
  'ignore: [1]\n',
  'ignore: [true]\n',
  'ignore: [{glob: x}]\n',
  'ignore:\n',
  'images: api/Dockerfile\n',
  'images: [api/Dockerfile]\n',
  'images: {app: 1}\n',
  'images: {app: [Dockerfile]}\n',
  'helm: values.yaml\n',
  'helm:\n',
  'helm: {valuesFiles: values.yaml}\n',
  'helm: {valuesFiles: [""]}\n',
  'helm: {valuesFiles: [1]}\n',
  'helm: {values: [a.yaml]}\n',
  'kustomize: kustomize\n',
  'kustomize:\n',
  'kustomize: {path: ""}\n',
  'kustomize: {path: 1}\n',
  'kustomize: {timeoutSeconds: 0}\n',
  'kustomize: {timeoutSeconds: "30"}\n',
  'kustomize: {binary: kustomize}\n',
  'unknown: 1\n',
  'Profile: restricted\n',
  '- profile: restricted\n',
  'just a string\n',
  'profile: restricted\nprofile: baseline\n',
  'profile: [\n',
];

describe('.secctx.yaml: schema and parser agree', () => {
  test('the committed schema is the generated one (npm run docs)', () => {
    assert.deepStrictEqual(committed, JSON.parse(JSON.stringify(configSchema())));
  });

  for (const text of VALID) {
    test(`valid: ${JSON.stringify(text)}`, () => {
      assert.deepStrictEqual({ parser: parseConfig(text).problems.map((p) => p.message), schema: schemaAccepts(text) }, { parser: [], schema: true });
    });
  }
  for (const text of INVALID) {
    test(`invalid: ${JSON.stringify(text)}`, () => {
      const problems = parseConfig(text).problems.length;
      assert.deepStrictEqual({ parserFails: problems > 0, schemaFails: !schemaAccepts(text) }, { parserFails: true, schemaFails: true });
    });
  }

  test('the schema describes every top-level key the parser names', () => {
    // `Unknown setting x: expected a, b, c or d.`
    const unknown = parseConfig('no-such-key: 1\n').problems[0].message;
    const named = (/expected (.*)\.$/.exec(unknown)?.[1] ?? '').split(/, | or /);
    assert.deepStrictEqual(named.sort(), configSettings().map((s) => s.key).sort());
    assert.deepStrictEqual(Object.keys(configSchema().properties ?? {}).sort(), named.sort());
  });
});

describe('package.json contributes the schema', () => {
  test('yamlValidation maps .secctx.yaml and .secctx.yml to the schema', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { contributes: { yamlValidation?: unknown } };
    assert.deepStrictEqual(manifest.contributes.yamlValidation, [{ fileMatch: ['.secctx.yaml', '.secctx.yml'], url: './schemas/secctx-config.schema.json' }]);
    // install-channels.test.ts checks the .vsix holds it.
  });
});
