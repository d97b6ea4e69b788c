/**
 * A `.secctx.yaml` `images:` entry naming a Dockerfile that does not exist is flagged on that entry (shown as an
 * `invalid-config` diagnostic like the config's other problems), in the pure index once the host says the file is
 * missing, and by the host's workspace index from the disk.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { ImageIndex } from '../../server/src/engine/images/index';
import { WorkspaceIndex } from '../../server/src/host/workspaceIndex';
import type { Span } from '../../server/src/engine/types';

const CONFIG = 'images:\n  myorg/api: api/Dockerfile\n  myorg/web: web/Dockerfile\n';

function spanOf(text: string, needle: string): Span {
  const start = text.indexOf(needle);
  return { start, end: start + needle.length };
}

describe('a .secctx.yaml image link to a missing Dockerfile', () => {
  test('the index flags the entry once the host marks the file missing, and forgets it when the file appears', () => {
    const index = new ImageIndex({ roots: ['/ws'] });
    index.update('/ws/.secctx.yaml', CONFIG);
    index.update('/ws/api/Dockerfile', 'FROM alpine\nUSER 1000\n');
    assert.deepStrictEqual(index.configProblems('/ws/.secctx.yaml'), [], 'nothing is known missing yet');
    assert.deepStrictEqual(index.missingDockerfiles(), ['/ws/web/Dockerfile']);
    assert.equal(index.markMissing('/ws/web/Dockerfile'), true);
    assert.deepStrictEqual(index.configProblems('/ws/.secctx.yaml'), [
      { span: spanOf(CONFIG, 'web/Dockerfile'), message: 'web/Dockerfile does not exist: images named by this entry are not linked to a Dockerfile.' },
    ]);
    index.update('/ws/web/Dockerfile', 'FROM alpine\n');
    assert.deepStrictEqual(index.configProblems('/ws/.secctx.yaml'), []);
    index.remove('/ws/web/Dockerfile');
    assert.equal(index.configProblems('/ws/.secctx.yaml').length, 1, 'a deleted Dockerfile is missing again');
  });

  test('the workspace scan finds it missing on disk', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'secctx-missing-'));
    try {
      mkdirSync(path.join(root, 'api'));
      writeFileSync(path.join(root, '.secctx.yaml'), CONFIG);
      writeFileSync(path.join(root, 'api', 'Dockerfile'), 'FROM alpine\nUSER 1000\n');
      const workspace = new WorkspaceIndex([root], true);
      await workspace.scan();
      assert.deepStrictEqual(workspace.index.configProblems(path.join(root, '.secctx.yaml')), [
        { span: spanOf(CONFIG, 'web/Dockerfile'), message: 'web/Dockerfile does not exist: images named by this entry are not linked to a Dockerfile.' },
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
