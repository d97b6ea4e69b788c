/**
 * Files someone else put in the workspace: a `.secctx.yaml` that is a FIFO, a device or huge, and a
 * Dockerfile symlink leaving the workspace. The server and the CLI read only regular files, with a cap,
 * and never through a symlink that leaves the workspace.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { loadConfig } from '../../server/src/host/config';
import { MAX_CONFIG_BYTES, readRegularFile } from '../../server/src/host/readFile';
import { WorkspaceIndex } from '../../server/src/host/workspaceIndex';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'secctx-hostile-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function dir(name: string): string {
  const d = path.join(tmp, name);
  fs.mkdirSync(d, { recursive: true });
  return d;
}

const EMPTY = { rules: {}, ignore: [], images: {} };

describe('.secctx.yaml: regular files only, with a size cap', () => {
  test('a symlink to /dev/zero is refused at once', () => {
    const file = path.join(dir('zero'), '.secctx.yaml');
    fs.symlinkSync('/dev/zero', file);
    assert.deepStrictEqual(loadConfig(file), { file, config: EMPTY, problems: [{ span: { start: 0, end: 0 }, message: `Cannot read ${file}: not a regular file` }] });
  });
  test('a FIFO is refused without blocking (nobody writes to it)', () => {
    const file = path.join(dir('fifo'), '.secctx.yaml');
    execFileSync('mkfifo', [file]);
    assert.deepStrictEqual(loadConfig(file).problems, [{ span: { start: 0, end: 0 }, message: `Cannot read ${file}: not a regular file` }]);
  });
  test('a file over the cap is refused; one under it is read', () => {
    const big = path.join(dir('big'), '.secctx.yaml');
    fs.writeFileSync(big, `# ${'x'.repeat(MAX_CONFIG_BYTES)}\n`);
    assert.deepStrictEqual(readRegularFile(big, MAX_CONFIG_BYTES), { problem: `larger than ${MAX_CONFIG_BYTES} bytes` });
    const ok = path.join(dir('ok'), '.secctx.yaml');
    fs.writeFileSync(ok, 'runtime: cri-o\n');
    assert.deepStrictEqual(loadConfig(ok).config.runtime, 'cri-o');
  });
});

describe('watched files never read through a symlink that leaves the workspace', () => {
  test('a Dockerfile symlink to a file outside is not indexed; one inside is', () => {
    const outside = dir('outside');
    fs.writeFileSync(path.join(outside, 'Dockerfile'), 'FROM scratch\nUSER 1234\n');
    const root = dir('workspace');
    fs.mkdirSync(path.join(root, 'leaks'));
    fs.symlinkSync(path.join(outside, 'Dockerfile'), path.join(root, 'leaks', 'Dockerfile'));
    fs.mkdirSync(path.join(root, 'real'));
    fs.writeFileSync(path.join(root, 'real', 'Dockerfile.base'), 'FROM scratch\nUSER 42\n');
    fs.symlinkSync(path.join(root, 'real', 'Dockerfile.base'), path.join(root, 'real', 'Dockerfile'));
    const workspace = new WorkspaceIndex([root], false);
    assert.equal(workspace.refresh(path.join(root, 'leaks', 'Dockerfile')), true);
    assert.equal(workspace.index.model(path.join(root, 'leaks', 'Dockerfile')), undefined);
    workspace.refresh(path.join(root, 'real', 'Dockerfile'));
    assert.notEqual(workspace.index.model(path.join(root, 'real', 'Dockerfile')), undefined);
  });
  test('a Dockerfile symlink to a device is not read', () => {
    const root = dir('devices');
    fs.symlinkSync('/dev/zero', path.join(root, 'Dockerfile'));
    const workspace = new WorkspaceIndex([root], true);
    workspace.refresh(path.join(root, 'Dockerfile'));
    assert.equal(workspace.index.model(path.join(root, 'Dockerfile')), undefined);
  });
});
