/**
 * The built `secctx-language-server` command line: `--help` and `--version` print and exit 0; no
 * transport prints the usage on stderr and exits 2 (not 112 KB of minified source and a stack trace).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { SERVER_USAGE, SERVER_VERSION } from '../../server/src/lsp/usage';

const ROOT = join(__dirname, '..', '..');
const SERVER = join(ROOT, 'dist', 'server.js');

function run(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [SERVER, ...args], { encoding: 'utf8', timeout: 30_000, input: '' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('secctx-language-server command line', () => {
  test('--help prints the usage', () => {
    assert.deepStrictEqual(run('--help'), { status: 0, stdout: SERVER_USAGE, stderr: '' });
  });
  test('--version prints the package version', () => {
    const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    assert.equal(SERVER_VERSION, version);
    assert.deepStrictEqual(run('--version'), { status: 0, stdout: `secctx-language-server ${version}\n`, stderr: '' });
  });
  test('no transport: the usage on stderr, exit 2', () => {
    assert.deepStrictEqual(run(), { status: 2, stdout: '', stderr: `secctx-language-server: no transport given.\n\n${SERVER_USAGE}` });
  });
  test('an unknown argument is named', () => {
    assert.deepStrictEqual(run('--bogus'), { status: 2, stdout: '', stderr: `secctx-language-server: unknown argument --bogus.\n\n${SERVER_USAGE}` });
  });
});
