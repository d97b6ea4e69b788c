/**
 * The README opens with the two commands a newcomer types on a fresh machine: one that sets up and
 * runs the main job, one that runs every test. The test command must bring what the editor tests
 * need (scripts/install-code-server.sh, the same step .ci/run relies on) before it runs them, and a
 * test run writes screenshots to an ignored folder unless asked to refresh the committed ones.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { screenshotsDir } from '../vscode/screenshots';
import { changedTracked } from '../vscode/tracked-files';

const REPOSITORY = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const scripts = (JSON.parse(readFileSync(join(REPOSITORY, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

/** A script's commands in order, each `npm run X` / `npm test` replaced by X's own commands. */
function commandsOf(script: string): string[] {
  const body = scripts[script];
  assert.ok(body, `package.json has no script ${script}`);
  return body.split(/\s*&&\s*/).flatMap((command) => {
    const run = /^npm (?:run )?(\S+)$/.exec(command.trim());
    return run && scripts[run[1] === 'test' ? 'test' : run[1]] && run[1] !== script ? commandsOf(run[1]) : [command.trim()];
  });
}

describe('the README commands on a fresh clone', () => {
  test('the README opens with the set-up-and-run command and the test command', () => {
    const readme = readFileSync(join(REPOSITORY, 'README.md'), 'utf8');
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const commands = firstBlock.split('\n').filter(Boolean).map((line) => line.replace(/\s+#.*$/, '').trim());
    assert.deepStrictEqual(commands, ['npm ci && npm run main', 'npm test']);
  });

  test('`npm test` installs what the editor tests need before it runs them', () => {
    const commands = commandsOf('test');
    const install = commands.indexOf('bash scripts/install-code-server.sh');
    const editor = commands.indexOf('tsx test/vscode/run.ts');
    assert.ok(install >= 0, `npm test never runs scripts/install-code-server.sh: ${commands.join(' && ')}`);
    assert.ok(editor > install, `npm test runs the editor tests before installing code-server: ${commands.join(' && ')}`);
    // …and before the unit tests, whose grammar test reads VS Code's own grammars from code-server.
    assert.ok(commands.indexOf('node scripts/test.mjs') > install);
  });

  test('.ci/run runs the README test command after npm ci', () => {
    const ci = readFileSync(join(REPOSITORY, '.ci', 'run'), 'utf8').split('\n').filter((l) => /^\s*(npm|bash)\b/.test(l)).map((l) => l.trim());
    assert.deepStrictEqual(ci, ['npm ci --no-audit --no-fund', 'npm test']);
  });

  test('the installer is a quick no-op when code-server is installed', (t) => {
    const packages = ['chromium', 'ripgrep', 'libkrb5-dev', 'libxkbfile-dev', 'libsecret-1-dev', 'libx11-dev', 'pkg-config', 'g++', 'make', 'python3'];
    const missing = packages.filter((p) => !/install ok installed/.test(spawnSync('dpkg-query', ['-W', '-f=${Status}', p], { encoding: 'utf8' }).stdout ?? ''));
    if (missing.length) return t.skip(`Debian packages not installed here: ${missing.join(' ')}`);
    const prefix = mkdtempSync(join(tmpdir(), 'secctx-code-server-'));
    try {
      mkdirSync(join(prefix, 'node_modules', '.bin'), { recursive: true });
      writeFileSync(join(prefix, 'node_modules', '.bin', 'code-server'), '#!/bin/sh\nexit 1\n');
      chmodSync(join(prefix, 'node_modules', '.bin', 'code-server'), 0o755);
      const version = /^CODE_SERVER_VERSION=(\S+)$/m.exec(readFileSync(join(REPOSITORY, 'scripts', 'install-code-server.sh'), 'utf8'))?.[1];
      writeFileSync(join(prefix, `.installed-${version}`), '');
      const started = Date.now();
      const run = spawnSync('bash', [join(REPOSITORY, 'scripts', 'install-code-server.sh')], { encoding: 'utf8', env: { ...process.env, SECCTX_CODE_SERVER_PREFIX: prefix } });
      assert.deepStrictEqual({ status: run.status, stdout: run.stdout }, { status: 0, stdout: `install-code-server: code-server ${version} already installed in ${prefix}\n` });
      assert.ok(Date.now() - started < 30_000, 'a no-op install took more than 30 s');
    } finally {
      rmSync(prefix, { recursive: true, force: true });
    }
  });

  test('screenshots go to an ignored folder unless SECCTX_UPDATE_SCREENSHOTS=1', () => {
    const dir = screenshotsDir(REPOSITORY, {});
    const ignored = spawnSync('git', ['check-ignore', '-q', join(dir, 'hover.png')], { cwd: REPOSITORY });
    assert.equal(ignored.status, 0, `${dir} is not git-ignored`);
    assert.equal(screenshotsDir(REPOSITORY, { SECCTX_UPDATE_SCREENSHOTS: '1' }), join(REPOSITORY, 'docs', 'images'));
  });

  test('the editor-test runner reports tracked files the run changed', () => {
    const before = new Map([['README.md', 'a'], ['package.json', 'b']]);
    assert.deepStrictEqual(changedTracked(before, new Map([['README.md', 'a'], ['package.json', 'b']])), []);
    assert.deepStrictEqual(changedTracked(before, new Map([['README.md', 'a'], ['package.json', 'c'], ['docs/images/hover.png', 'd']])), ['docs/images/hover.png', 'package.json']);
  });
});
