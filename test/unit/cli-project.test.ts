/**
 * The CLI's image index is bound to the project of its inputs (the nearest `.secctx.yaml` or `.git` above
 * them), not the working directory: `secctx check /tmp/x/pod.yaml` run from `/` walked all of `/`. The scan
 * also stops after a number of directory entries, indexed or not.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import type { InputFile } from '../../server/src/cli/files';
import { projectRoots } from '../../server/src/cli/images';
import { WorkspaceIndex } from '../../server/src/host/workspaceIndex';

const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'secctx-project-')));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function file(rel: string, content = ''): InputFile {
  const absolute = path.join(tmp, rel);
  fs.mkdirSync(path.dirname(absolute), { recursive: true });
  fs.writeFileSync(absolute, content);
  return { display: rel, absolute, explicit: true };
}

describe('projectRoots', () => {
  test('the nearest .git or .secctx.yaml above each input; else the input\'s directory; never the working directory', () => {
    fs.mkdirSync(path.join(tmp, 'repo/.git'), { recursive: true });
    const inRepo = file('repo/deploy/k8s/pod.yaml');
    const configured = file('other/app/pod.yaml');
    file('other/.secctx.yaml', 'runtime: containerd\n');
    const loose = file('loose/dir/pod.yaml');
    assert.deepStrictEqual(projectRoots([inRepo, configured, loose], []), [path.join(tmp, 'repo'), path.join(tmp, 'other'), path.join(tmp, 'loose/dir')]);
  });
  test('a config outside the inputs\' project is a root too; nested roots fold into the outer one', () => {
    const a = file('nest/.git/HEAD');
    const inner = file('nest/sub/pod.yaml');
    assert.deepStrictEqual(projectRoots([inner], [path.join(tmp, 'nest/.secctx.yaml'), path.join(tmp, 'cfg/.secctx.yaml')]), [path.join(tmp, 'cfg'), path.join(tmp, 'nest')]);
    assert.ok(a);
  });
});

describe('WorkspaceIndex.scan', () => {
  test('stops after the entry cap, counting every entry visited (not only indexed files)', async () => {
    const root = path.join(tmp, 'wide');
    fs.mkdirSync(root);
    for (let i = 0; i < 300; i++) fs.writeFileSync(path.join(root, `f${i}.txt`), '');
    fs.mkdirSync(path.join(root, 'zz'));
    fs.writeFileSync(path.join(root, 'zz', 'Dockerfile'), 'FROM scratch\nUSER 1\n');
    const capped = new WorkspaceIndex([root], true);
    assert.equal(await capped.scan(undefined, 100), 0);
    const full = new WorkspaceIndex([root], true);
    assert.equal(await full.scan(), 1);
  });
});
