/**
 * The channels people install secctx from, built and exercised offline here (nothing is published):
 * the npm package (npm pack, installed from the tarball in an empty folder with --offline: `secctx
 * --version` and the server's `initialize` over stdio), the pre-commit hook (installed and run the
 * way pre-commit's node language does: npm pack, npm install -g, then entry + file arguments), the
 * composite GitHub Action (its steps' scripts run as the runner runs them), the CLI's Dockerfile
 * (linted, its pins and user checked, secctx's own check passes), and the .vsix for the
 * Marketplace and Open VSX.
 */
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DockerfileParser } from 'dockerfile-ast';
import { validate as lintDockerfile, ValidationSeverity } from 'dockerfile-utils';
import { parse as parseYaml } from 'yaml';
import { URI } from 'vscode-uri';
import { RULES } from '../../server/src/engine/rules/index';
import { LspClient } from '../support/lsp-client';

const ROOT = join(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; files: string[]; dependencies?: Record<string, string> };
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const CLEAN_POD = `apiVersion: v1
kind: Pod
metadata: {name: clean}
spec:
  securityContext: {runAsNonRoot: true, runAsUser: 10001, seccompProfile: {type: RuntimeDefault}}
  containers:
    - name: app
      image: registry.example/app:1.0
      securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
`;
const BAD_EXAMPLE = join(ROOT, 'examples', 'pod-level-capabilities.yaml');

function run(command: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): SpawnSyncReturns<string> {
  return spawnSync(command, args, { encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * 1024 * 1024, ...options, env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false', ...options.env } });
}
function ok(result: SpawnSyncReturns<string>, what: string): string {
  assert.equal(result.status, 0, `${what} failed (${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

const scratch = mkdtempSync(join(tmpdir(), 'secctx-install-'));
let tarball = '';
let packedFiles: string[] = [];

before(() => {
  if (!existsSync(join(ROOT, 'dist', 'cli.js')) || !existsSync(join(ROOT, 'dist', 'server.js'))) ok(run(NPM, ['run', 'build'], { cwd: ROOT }), 'npm run build');
  // --ignore-scripts: the bundles are built already (prepack would rebuild them under other tests' feet).
  const packed = JSON.parse(ok(run(NPM, ['pack', '--ignore-scripts', '--json', '--pack-destination', scratch], { cwd: ROOT }), 'npm pack')) as { filename: string; files: { path: string }[] }[];
  tarball = join(scratch, packed[0].filename);
  packedFiles = packed[0].files.map((f) => f.path).sort();
});
after(() => rmSync(scratch, { recursive: true, force: true }));

describe('npm package', () => {
  test('the tarball holds the CLI and server bundles, the schema and the docs: no tests, sources or maps', () => {
    assert.deepStrictEqual(packedFiles, ['LICENSE', 'README.md', 'dist/cli.js', 'dist/server.js', 'package.json', 'schemas/secctx-config.schema.json']);
  });

  test('it has no dependencies: the bundles are self-contained (add libraries as devDependencies; esbuild bundles them)', () => {
    assert.deepStrictEqual(manifest.dependencies ?? {}, {});
  });

  test('installed offline in an empty folder: secctx --version and the server answers initialize over stdio', async () => {
    const project = join(scratch, 'project');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), '{"name": "empty", "version": "1.0.0", "private": true}\n');
    ok(run(NPM, ['install', '--offline', '--no-package-lock', tarball], { cwd: project }), 'npm install --offline <tarball>');
    const bin = join(project, 'node_modules', '.bin');
    assert.deepStrictEqual(run(join(bin, 'secctx'), ['--version']).stdout, `secctx ${manifest.version}\n`);
    const client = await LspClient.start({ command: join(bin, 'secctx-language-server'), args: ['--stdio'], cwd: project }, { rootUri: URI.file(project).toString() });
    try {
      assert.deepStrictEqual(client.initializeResult?.serverInfo, { name: 'secctx-language-server', version: manifest.version });
    } finally {
      assert.equal(await client.shutdown(), 0, client.stderr);
    }
  });
});

describe('pre-commit hook', () => {
  const hooks = parseYaml(readFileSync(join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as { id: string; entry: string; language: string; types_or: string[] }[];
  let env: NodeJS.ProcessEnv = {};

  before(() => {
    // pre-commit's node language: npm pack the repository, then npm install -g <tarball> into the hook's env.
    const nodeEnv = join(scratch, 'node_env');
    env = { NPM_CONFIG_PREFIX: nodeEnv, npm_config_prefix: nodeEnv, PATH: `${join(nodeEnv, 'bin')}${delimiter}${process.env.PATH}` };
    ok(run(NPM, ['install', '-g', '--offline', tarball], { env }), 'npm install -g <tarball>');
  });

  test('one node hook, secctx check over the files secctx reads', () => {
    assert.deepStrictEqual(hooks.map((h) => [h.id, h.entry, h.language, h.types_or]), [['secctx', 'secctx check', 'node', ['yaml', 'json', 'dockerfile', 'shell', 'makefile']]]);
  });

  test('entry + file arguments: clean files pass, a manifest with errors fails the commit', () => {
    const clean = join(scratch, 'clean-pod.yaml');
    writeFileSync(clean, CLEAN_POD);
    const [command, ...args] = hooks[0].entry.split(' ');
    const passing = run(command, [...args, clean, join(ROOT, 'Dockerfile')], { env });
    const failing = run(command, [...args, clean, BAD_EXAMPLE], { env });
    assert.deepStrictEqual({ passing: passing.status, failing: failing.status, names: /capabilities-at-pod-level/.test(failing.stdout) }, { passing: 0, failing: 1, names: true });
  });
});

describe('GitHub Action', () => {
  interface Step { name: string; id: string; shell: string; env: Record<string, string>; run: string }
  const action = parseYaml(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
    runs: { using: string; steps: Step[] };
    inputs: Record<string, { default: string }>;
    outputs: Record<string, { value: string }>;
  };

  /** Runs the action's steps as the runner does (bash -eo pipefail on a script file; GITHUB_OUTPUT, GITHUB_PATH). */
  function runAction(inputs: Record<string, string>, workspace: string): { steps: (number | null)[]; outputs: Record<string, string> } {
    const values: Record<string, string> = { ...Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, v.default])), ...inputs };
    const output = join(workspace, '.github-output');
    const pathFile = join(workspace, '.github-path');
    writeFileSync(output, '');
    writeFileSync(pathFile, '');
    const npmPrefix = join(workspace, '.npm-global');
    const statuses: (number | null)[] = [];
    for (const step of action.runs.steps) {
      const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, v.replace(/\$\{\{\s*inputs\.([\w-]+)\s*\}\}/g, (_, name: string) => values[name] ?? '')]));
      const extraPath = readFileSync(pathFile, 'utf8').split('\n').filter(Boolean).reverse();
      const script = join(workspace, `.step-${step.id}.sh`);
      writeFileSync(script, step.run);
      const result = run('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
        cwd: workspace,
        env: { ...stepEnv, GITHUB_ACTION_PATH: ROOT, GITHUB_OUTPUT: output, GITHUB_PATH: pathFile, npm_config_prefix: npmPrefix, npm_config_offline: 'true', PATH: [...extraPath, process.env.PATH].join(delimiter) },
      });
      statuses.push(result.status);
      if (result.status !== 0) break;
    }
    const outputs = Object.fromEntries(readFileSync(output, 'utf8').split('\n').filter(Boolean).map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
    return { steps: statuses, outputs };
  }

  test('a composite action: install, then check; outputs come from the check step', () => {
    assert.deepStrictEqual(
      { using: action.runs.using, steps: action.runs.steps.map((s) => [s.id, s.shell]), outputs: Object.fromEntries(Object.entries(action.outputs).map(([k, v]) => [k, v.value])) },
      { using: 'composite', steps: [['install', 'bash'], ['check', 'bash']], outputs: { 'sarif-file': '${{ steps.check.outputs.sarif-file }}', 'exit-code': '${{ steps.check.outputs.exit-code }}' } },
    );
  });

  test('its steps install the package and write SARIF ready for upload; findings fail the step unless told not to', () => {
    const workspace = join(scratch, 'action');
    mkdirSync(join(workspace, 'k8s'), { recursive: true });
    copyFileSync(BAD_EXAMPLE, join(workspace, 'k8s', 'pod.yaml'));
    writeFileSync(join(workspace, 'k8s', 'clean.yaml'), CLEAN_POD);
    const failing = runAction({ package: tarball, paths: 'k8s' }, workspace);
    const sarif = JSON.parse(readFileSync(join(workspace, 'secctx.sarif'), 'utf8')) as { version: string; runs: { tool: { driver: { name: string } }; results: { ruleId: string }[] }[] };
    const reporting = runAction({ package: tarball, paths: 'k8s/clean.yaml k8s/pod.yaml', 'fail-on-findings': 'false', 'sarif-file': 'out.sarif' }, workspace);
    const clean = runAction({ package: tarball, paths: 'k8s/clean.yaml', 'sarif-file': 'clean.sarif' }, workspace);
    assert.deepStrictEqual(
      {
        failing: failing.steps, failingOutputs: failing.outputs, reporting: reporting.steps, reportingOutputs: reporting.outputs, clean: clean.steps,
        sarif: { version: sarif.version, tool: sarif.runs[0].tool.driver.name, flagged: sarif.runs[0].results.some((r) => r.ruleId === 'capabilities-at-pod-level') },
        cleanResults: (JSON.parse(readFileSync(join(workspace, 'clean.sarif'), 'utf8')) as typeof sarif).runs[0].results,
      },
      {
        failing: [0, 1], failingOutputs: { 'sarif-file': 'secctx.sarif', 'exit-code': '1' }, reporting: [0, 0], reportingOutputs: { 'sarif-file': 'out.sarif', 'exit-code': '1' }, clean: [0, 0],
        sarif: { version: '2.1.0', tool: 'secctx', flagged: true },
        cleanResults: [],
      },
    );
  });
});

describe('Dockerfile for the CLI', () => {
  const text = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  const dockerfile = DockerfileParser.parse(text);
  const instructions = dockerfile.getInstructions().map((i) => ({ keyword: i.getKeyword(), args: i.getArgumentsContent() ?? '' }));

  test('dockerfile-utils (the Dockerfile language service\'s linter) finds nothing, every check at error', () => {
    const all = Object.fromEntries(['deprecatedMaintainer', 'directiveCasing', 'emptyContinuationLine', 'instructionCasing', 'instructionCmdMultiple', 'instructionEntrypointMultiple', 'instructionHealthcheckMultiple', 'instructionJSONInSingleQuotes', 'instructionWorkdirRelative'].map((k) => [k, ValidationSeverity.ERROR]));
    assert.deepStrictEqual(lintDockerfile(text, all), []);
  });

  test('secctx check on it passes with no finding at all', () => {
    const result = run(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'check', '--format', 'json', join(ROOT, 'Dockerfile')]);
    assert.deepStrictEqual({ status: result.status, findings: (JSON.parse(result.stdout) as { findings: unknown[] }).findings }, { status: 0, findings: [] });
  });

  test('bases pinned to an exact version tag or a digest; the final stage runs as a numeric non-root user', () => {
    const froms = dockerfile.getFROMs().map((f) => f.getImage() ?? '');
    assert.ok(froms.length > 0 && froms.every((image) => /@sha256:[0-9a-f]{64}$/.test(image) || /:\d+\.\d+\.\d+(-[\w.-]+)?$/.test(image)), froms.join(', '));
    const lastStage = instructions.slice(instructions.map((i) => i.keyword).lastIndexOf('FROM'));
    const users = lastStage.filter((i) => i.keyword === 'USER').map((i) => i.args);
    assert.equal(users.length, 1);
    assert.match(users[0], /^[1-9]\d*(:\d+)?$/);
    assert.deepStrictEqual(lastStage.filter((i) => i.keyword === 'ENTRYPOINT' || i.keyword === 'CMD').map((i) => [i.keyword, i.args]), [['ENTRYPOINT', '["secctx"]'], ['CMD', '["check", "."]']]);
  });

  test('its build steps are the ones exercised here: npm ci, npm pack, npm install --global --offline of the tarball', () => {
    const runs = instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args.split('&&')[0].trim());
    assert.deepStrictEqual(runs, ['npm ci --no-audit --no-fund', 'npm pack --pack-destination /tmp', 'npm install --global --offline --no-audit --no-fund /tmp/secctx.tgz']);
    // COPY sources exist and are not left out of the build context by .dockerignore.
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
    const sources = dockerfile.getCOPYs().filter((c) => !c.getFromFlag()).flatMap((c) => c.getArguments().slice(0, -1).map((a) => a.getValue()));
    assert.deepStrictEqual(sources.filter((s) => !existsSync(join(ROOT, s)) || ignored.includes(s)), []);
    for (const needed of ['package.json', 'package-lock.json', 'scripts', 'server', 'client']) assert.ok(!ignored.includes(needed), `.dockerignore leaves out ${needed}`);
    for (const local of ['node_modules', 'dist', '.git']) assert.ok(ignored.includes(local), `.dockerignore keeps ${local} in the context`);
  });
});

describe('.vsix for the Marketplace and Open VSX', () => {
  let files: string[] = [];
  let extension: Record<string, unknown> = {};
  let readme = '';
  before(() => {
    const vsix = join(scratch, 'secctx.vsix');
    ok(run(process.execPath, [join(ROOT, 'scripts', 'package-vsix.mjs'), '--out', vsix], { cwd: ROOT }), 'scripts/package-vsix.mjs');
    files = ok(run('unzip', ['-Z1', vsix]), 'unzip -Z1').split('\n').filter(Boolean).sort();
    extension = JSON.parse(ok(run('unzip', ['-p', vsix, 'extension/package.json']), 'unzip package.json')) as Record<string, unknown>;
    readme = ok(run('unzip', ['-p', vsix, 'extension/readme.md']), 'unzip readme.md');
  });

  test('it holds what the extension runs: client and server bundles, grammars, schema; not the CLI bundle, maps or images', () => {
    assert.deepStrictEqual(files, [
      '[Content_Types].xml', 'extension.vsixmanifest', 'extension/LICENSE.txt', 'extension/changelog.md', 'extension/dist/client.js', 'extension/dist/server.js', 'extension/icon.png',
      'extension/package.json', 'extension/readme.md', 'extension/schemas/secctx-config.schema.json', 'extension/syntaxes/secctx.injection.tmLanguage.json', 'extension/syntaxes/secctx.yaml.injection.tmLanguage.json',
      // The rule docs, opened offline by *secctx: Open rule documentation*.
      'extension/docs/rules/README.md', ...RULES.map((r) => `extension/docs/rules/${r.meta.id}.md`),
    ].sort());
    assert.deepStrictEqual(['files', 'bin', 'scripts', 'dependencies', 'devDependencies'].filter((k) => k in extension), []);
  });

  test('README images point to URLs', () => {
    const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]);
    assert.ok(images.length > 0);
    assert.deepStrictEqual(images.filter((src) => !/^https:\/\//.test(src)), []);
  });

  // Open VSX's publish checks (eclipse/openvsx ExtensionValidator: validateExtensionName, validateMetadata, checkVersion, checkURL) and its license requirement.
  test('metadata Open VSX accepts', () => {
    const text = (v: unknown) => (typeof v === 'string' ? v : '');
    const name = /^[\w\-+$~]+$/;
    const controlChars = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\u2028\u2029]/u;
    const url = (v: string) => { try { return !!new URL(v.replace(/^git\+/, '')).host; } catch { return false; } };
    const repository = extension.repository as { url?: string } | string | undefined;
    const problems = [
      !name.test(text(extension.publisher)) && 'publisher (namespace)',
      !name.test(text(extension.name)) && 'name',
      !/^[\p{L}\p{N}$+\-,.:;_]+$/u.test(text(extension.version)) && 'version',
      (text(extension.displayName).length > 255 || controlChars.test(text(extension.displayName))) && 'displayName',
      (text(extension.description).length > 2048 || controlChars.test(text(extension.description))) && 'description',
      !text(extension.license) && 'license',
      !files.includes('extension/LICENSE.txt') && 'LICENSE file',
      !url(typeof repository === 'string' ? repository : text(repository?.url)) && 'repository',
      !(extension.engines as { vscode?: string } | undefined)?.vscode && 'engines.vscode',
    ].filter(Boolean);
    assert.deepStrictEqual(problems, []);
  });
});
