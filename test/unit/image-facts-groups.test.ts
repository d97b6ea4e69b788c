/**
 * The image's /etc/group member lists, end to end: an image built and pushed here to a REAL registry
 * (Debian's docker-registry on 127.0.0.1, test/support/registry.ts), its facts read by `explain
 * --image-lookup registry` (layers → parseGroup → facts → cache), then by `--image-lookup local`
 * (the cache alone), and the supplementary groups Docker and Kubernetes give its user. No Docker
 * socket (DOCKER_HOST names a missing one), the cache in a temporary XDG_CACHE_HOME, loopback only.
 *
 * moby daemon getUser → moby/sys/user GetExecUserPath: a user without a group gets every /etc/group
 * entry listing it as supplementary groups, a user with a group none. containerd WithAdditionalGIDs
 * (supplementalGroupsPolicy Merge, the default) adds the same memberships for a Kubernetes container.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { JsonContainer } from '../../server/src/cli/format';
import { configBlob, GROUP, layer, PASSWD, pushImage } from '../support/images';
import { registryAvailable, startRegistry, type RegistryProcess } from '../support/registry';
import { runCliCaptured, withEnv } from '../support/cli';

describe('supplementary groups from a registry image\'s /etc/group (real docker-registry on loopback)', { skip: registryAvailable() ? false : 'docker-registry is not installed' }, () => {
  let registry: RegistryProcess;
  let dir: string;
  let compose = '';
  let pod = '';
  let restoreEnv = () => {};

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'secctx-image-groups-'));
    restoreEnv = withEnv({ XDG_CACHE_HOME: path.join(dir, 'cache'), SECCTX_IMAGES_LOOPBACK_ONLY: '1', DOCKER_HOST: `unix://${path.join(dir, 'no-docker.sock')}` });
    registry = await startRegistry();
    const accounts = await layer([
      { path: 'etc/passwd', content: `${PASSWD}app:x:1000:1000::/app:/bin/sh\n` },
      { path: 'etc/group', content: `${GROUP}app:x:1000:\naudit:x:2000:app\nvideo:x:44:daemon,app\n` },
    ]);
    await pushImage({ url: registry.url }, 'team/grouped', '1', configBlob({ user: 'app' }), [accounts]);
    const image = `${registry.host}/team/grouped:1`;
    compose = path.join(dir, 'compose.yaml');
    writeFileSync(compose, `services:\n  named:\n    image: ${image}\n  uid:\n    image: ${image}\n    user: "1000"\n  with-group:\n    image: ${image}\n    user: "1000:1000"\n`);
    pod = path.join(dir, 'pod.yaml');
    writeFileSync(pod, `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: merge\n      image: ${image}\n`);
  });
  after(async () => {
    await registry?.stop();
    restoreEnv();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const groups = async (...flags: string[]) => {
    const r = await runCliCaptured(['explain', '--format', 'json', ...flags, compose, pod]);
    const { containers } = JSON.parse(r.stdout) as { containers: JsonContainer[] };
    return containers.map((c) => `${c.name} ${c.user.uid ?? '?'}:${c.group.gid ?? '?'} [${c.supplementalGroups.join(',')}]`);
  };

  it('read from the registry, then from the cache alone: the member lists survive both', async () => {
    const expected = ['named 1000:1000 [2000,44]', 'uid 1000:1000 [2000,44]', 'with-group 1000:1000 []', 'merge 1000:1000 [2000,44]'];
    assert.deepStrictEqual({ registry: await groups('--image-lookup', 'registry'), cache: await groups('--image-lookup', 'local') }, { registry: expected, cache: expected });
  });
});
