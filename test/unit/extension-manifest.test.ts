/**
 * What package.json tells VS Code: settings with the scope multi-root workspaces need and value
 * descriptions from the engine, activation on every language the client serves, virtual and
 * untrusted workspace support stated, the Check workspace command, the `secctx` task type and the
 * `$secctx` problem matcher that reads the task's lines.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { PROFILE_VALUES, RUNTIME_VALUES } from '../../server/src/engine/configFile/schema';
import { PROBLEM_LINE, problemLines } from '../../server/src/engine/present/problemLines';

const ROOT = join(__dirname, '..', '..');
interface Setting { readonly scope?: string; readonly enum?: string[]; readonly enumDescriptions?: string[] }
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  activationEvents: string[];
  capabilities: Record<string, { supported: boolean | string; description: string }>;
  contributes: {
    configuration: { properties: Record<string, Setting> };
    commands: { command: string; title: string; category: string }[];
    taskDefinitions: { type: string }[];
    problemMatchers: { name: string; owner: string; source: string; fileLocation: string; pattern: Record<string, string | number> }[];
  };
};
const settings = manifest.contributes.configuration.properties;

describe('extension manifest', () => {
  test('settings: resource scope for everything a folder may set, window for tracing, machine-overridable for executables', () => {
    assert.deepStrictEqual(Object.fromEntries(Object.entries(settings).map(([k, v]) => [k, v.scope])), {
      'secctx.runtime': 'resource',
      'secctx.profile': 'resource',
      'secctx.kubernetesVersion': 'resource',
      'secctx.rules': 'resource',
      'secctx.trace.server': 'window',
      'secctx.inlayHints.enabled': 'resource',
      'secctx.defaultNonRootUid': 'resource',
      'secctx.maxFileSize': 'resource',
      'secctx.seccompDefault': 'resource',
      // An executable: machine-overridable, and a restricted configuration in untrusted workspaces.
      'secctx.kustomize.path': 'machine-overridable',
      // One image-facts service per server (its cache and network use): window.
      'secctx.images.lookup': 'window',
      'secctx.images.platform': 'window',
      'secctx.images.layerBudget': 'window',
    });
  });

  test('profile and runtime values described as the config schema describes them', () => {
    for (const [key, values] of [['secctx.profile', PROFILE_VALUES], ['secctx.runtime', RUNTIME_VALUES]] as const) {
      assert.deepStrictEqual({ enum: settings[key].enum, enumDescriptions: settings[key].enumDescriptions }, { enum: values.map((v) => v.value), enumDescriptions: values.map((v) => v.description) });
    }
  });

  test('activates on every language the client serves, json included', () => {
    const client = readFileSync(join(ROOT, 'client', 'src', 'extension.ts'), 'utf8');
    const languages = JSON.parse(/const documentSelector = (\[[^\]]*\])/.exec(client)?.[1].replace(/'/g, '"') ?? '[]') as string[];
    assert.ok(languages.includes('json'));
    assert.deepStrictEqual(languages.filter((l) => !manifest.activationEvents.includes(`onLanguage:${l}`)), []);
  });

  test('virtual workspaces not supported, untrusted ones limited, each saying why and what', () => {
    assert.deepStrictEqual(Object.fromEntries(Object.entries(manifest.capabilities).map(([k, v]) => [k, v.supported])), { virtualWorkspaces: false, untrustedWorkspaces: 'limited' });
    assert.deepStrictEqual((manifest.capabilities.untrustedWorkspaces as { restrictedConfigurations?: string[] }).restrictedConfigurations, ['secctx.kustomize.path']);
    assert.match(manifest.capabilities.untrustedWorkspaces.description, /does not apply any \.secctx\.yaml \(its profile, runtime, rules, ignore globs and images links are disabled\)/);
    assert.match(manifest.capabilities.virtualWorkspaces.description, /from disk/);
  });

  test('Check workspace: the command, the secctx task type and the $secctx problem matcher reading the task lines', () => {
    assert.ok(manifest.contributes.commands.some((c) => c.command === 'secctx.checkWorkspace' && c.title === 'Check workspace' && c.category === 'secctx'));
    assert.deepStrictEqual(manifest.contributes.taskDefinitions.map((t) => t.type), ['secctx']);
    const [matcher] = manifest.contributes.problemMatchers;
    // Its own owner: the language server's diagnostics (collection "secctx") are not replaced by a task run.
    assert.deepStrictEqual([matcher.name, matcher.owner, matcher.source, matcher.fileLocation, matcher.pattern.regexp], ['secctx', 'secctx-check', 'secctx', 'absolute', PROBLEM_LINE]);
    const [line] = problemLines('/w/k8s/pod.yaml', 'a: 1\nspec:\n  hostPID: true\n', [{ rule: 'host-namespaces', severity: 'warning', message: 'hostPID\nshares', span: { start: 13, end: 20 }, fixes: [] }]);
    assert.equal(line, '/w/k8s/pod.yaml:3:3-3:10: warning host-namespaces: hostPID shares');
    const m = new RegExp(String(matcher.pattern.regexp)).exec(line);
    const group = (name: string) => m?.[Number(matcher.pattern[name])];
    assert.deepStrictEqual(['file', 'line', 'column', 'endLine', 'endColumn', 'severity', 'code', 'message'].map(group), ['/w/k8s/pod.yaml', '3', '3', '3', '10', 'warning', 'host-namespaces', 'hostPID shares']);
  });
});
