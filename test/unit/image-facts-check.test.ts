/**
 * `secctx check` and `explain` resolve the images they meet before judging (`--image-lookup`,
 * default local = cache + Docker Engine): against a REAL registry, Debian's docker-registry on
 * 127.0.0.1 (test/support/registry.ts), with images built and pushed here. No Docker socket
 * (DOCKER_HOST names a missing one), the cache in a temporary XDG_CACHE_HOME, loopback only.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { JsonContainer } from '../../server/src/cli/format';
import { configBlob, GROUP, layer, PASSWD, pushImage, type BuiltImage } from '../support/images';
import { registryAvailable, startRegistry, type RegistryProcess } from '../support/registry';
import { runCliCaptured, withEnv } from '../support/cli';

describe('check and explain with image lookups (real docker-registry on loopback)', { skip: registryAvailable() ? false : 'docker-registry is not installed' }, () => {
  let registry: RegistryProcess;
  let dir: string;
  let app: BuiltImage;
  let file = '';
  let restoreEnv = () => {};
  const run = (...argv: string[]) => runCliCaptured(argv);

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'secctx-check-images-'));
    restoreEnv = withEnv({ XDG_CACHE_HOME: path.join(dir, 'cache'), SECCTX_IMAGES_LOOPBACK_ONLY: '1', DOCKER_HOST: `unix://${path.join(dir, 'no-docker.sock')}` });
    registry = await startRegistry();
    const base = await layer([{ path: 'etc/passwd', content: `${PASSWD}app:x:1000:1000::/app:/bin/sh\n` }, { path: 'etc/group', content: `${GROUP}app:x:1000:\n` }]);
    await pushImage({ url: registry.url }, 'team/root', '1', configBlob({}), [base]);
    app = await pushImage({ url: registry.url }, 'team/app', '1', configBlob({ user: '1000' }), [base]);
    file = path.join(dir, 'pods.yaml');
    const pod = (name: string, image: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  securityContext:\n    runAsNonRoot: true\n  containers:\n    - name: ${name}\n      image: ${image}\n`;
    writeFileSync(file, [pod('root', `${registry.host}/team/root:1`), pod('app', `${registry.host}/team/app:1`)].join('---\n'));
  });
  after(async () => {
    await registry?.stop();
    restoreEnv();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const kubelet = async (...flags: string[]) => {
    const r = await run('check', '--format', 'json', ...flags, file);
    return (JSON.parse(r.stdout) as { findings: { rule: string; line: number }[] }).findings.filter((f) => f.rule === 'run-as-non-root-violation').map((f) => f.line);
  };

  // kubelet getImageUser/verifyRunAsNonRoot: the root image's config sets no User (uid 0), so the
  // kubelet refuses it; the app image's User "1000" passes. One sequence: the cache the registry run
  // fills is what the default (local) run reads.
  it('registry, then off (nothing known, nothing claimed), then local (the cache answers); explain names digest and source', async () => {
    const explain = async (...flags: string[]) => {
      const { containers } = JSON.parse((await run('explain', '--format', 'json', ...flags, file)).stdout) as { containers: JsonContainer[] };
      return containers.map((c) => ({ name: c.name, uid: c.user.uid, imageFacts: c.imageFacts }));
    };
    assert.deepStrictEqual(await kubelet('--image-lookup', 'registry'), [9]);
    const fromRegistry = await explain('--image-lookup', 'registry');
    const rootDigest = fromRegistry[0].imageFacts?.digest ?? '';
    assert.match(rootDigest, /^sha256:[0-9a-f]{64}$/);
    const facts = (from: string) => [
      { name: 'root', uid: 0, imageFacts: { reference: `${registry.host}/team/root:1`, digest: rootDigest, platform: 'linux/amd64', user: '', from } },
      { name: 'app', uid: 1000, imageFacts: { reference: `${registry.host}/team/app:1`, digest: app.manifest.digest, platform: 'linux/amd64', user: '1000', from } },
    ];
    assert.deepStrictEqual(fromRegistry.map((c) => ({ ...c, imageFacts: c.imageFacts && { ...c.imageFacts, from: 'registry|cache' } })), facts('registry|cache'));
    assert.deepStrictEqual({ check: await kubelet('--image-lookup', 'off'), explain: await explain('--image-lookup', 'off') }, {
      check: [],
      explain: [{ name: 'root', uid: null, imageFacts: null }, { name: 'app', uid: null, imageFacts: null }],
    });
    assert.deepStrictEqual({ check: await kubelet(), explain: await explain() }, { check: [9], explain: facts('cache') });
  });

  it('a project .secctx.yaml with imageLookup: off keeps even --image-lookup registry from looking anything up (the stricter wins)', async () => {
    const config = path.join(dir, '.secctx.yaml');
    writeFileSync(config, 'imageLookup: off\n');
    try {
      const { containers } = JSON.parse((await run('explain', '--format', 'json', '--image-lookup', 'registry', file)).stdout) as { containers: JsonContainer[] };
      assert.deepStrictEqual(containers.map((c) => [c.name, c.user.uid, c.imageFacts]), [['root', null, null], ['app', null, null]]);
    } finally {
      rmSync(config);
    }
  });
});

