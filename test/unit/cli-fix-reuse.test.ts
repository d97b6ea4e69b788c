/**
 * `check --fix` analyses twice when it writes (the fix, then a fresh pass over the written files, cli/inputs.ts),
 * but runs each kustomize build whose inputs the fixes left alone once, and looks each image up once: the second
 * pass reuses the first one's builds and image answers (cli/runCaches.ts). A build one of whose files a fix wrote
 * runs again. Its report is what a fresh `check` says afterwards.
 *
 * Counted for real: kustomize is `kubectl kustomize` through a wrapper (.secctx.yaml `kustomize.path`) that logs
 * each run to a file; image lookups go to Debian's docker-registry on 127.0.0.1 through a forwarding stand-in
 * that records every request (test/support/faultProxy.ts, no fault on these repositories).
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { findKustomize } from '../../server/src/host/kustomize/binary';
import { runCliCaptured, withEnv } from '../support/cli';
import { startFaultProxy, type FaultProxy } from '../support/faultProxy';
import { configBlob, GROUP, layer, PASSWD, pushImage } from '../support/images';
import { registryAvailable, startRegistry, type RegistryProcess } from '../support/registry';

const kubectl = findKustomize(undefined)?.label === 'kubectl kustomize' ? findKustomize(undefined)!.command : undefined;
const skip = !registryAvailable() ? 'docker-registry is not installed' : !kubectl ? 'kubectl is not on PATH' : false;

const RESTRICTED = [
  '          securityContext:',
  '            runAsNonRoot: true',
  '            allowPrivilegeEscalation: false',
  '            capabilities:',
  '              drop: [ALL]',
  '            seccompProfile:',
  '              type: RuntimeDefault',
];

function deployment(name: string, image: string, securityContext: readonly string[]): string {
  return [
    'apiVersion: apps/v1', 'kind: Deployment', 'metadata:', `  name: ${name}`, 'spec:', '  selector:', '    matchLabels:', `      app: ${name}`,
    '  template:', '    metadata:', '      labels:', `        app: ${name}`, '    spec:', '      containers:', `        - name: ${name}`, `          image: ${image}`,
    ...securityContext, '',
  ].join('\n');
}

const KUSTOMIZATION = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - deployment.yaml\n';

describe('check --fix runs each kustomize build and each image lookup once', { skip }, () => {
  let registry: RegistryProcess;
  let proxy: FaultProxy;
  let dir: string;
  let project: string;
  let log: string;
  let restoreEnv = () => {};

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'secctx-fix-reuse-'));
    project = path.join(dir, 'project');
    log = path.join(dir, 'kustomize-runs.log');
    restoreEnv = withEnv({ XDG_CACHE_HOME: path.join(dir, 'cache'), SECCTX_IMAGES_LOOPBACK_ONLY: '1', DOCKER_HOST: `unix://${path.join(dir, 'no-docker.sock')}` });
    registry = await startRegistry();
    proxy = await startFaultProxy(registry.url);
    const accounts = await layer([{ path: 'etc/passwd', content: `${PASSWD}app:x:1000:1000::/app:/bin/sh\n` }, { path: 'etc/group', content: `${GROUP}app:x:1000:\n` }]);
    await pushImage({ url: registry.url }, 'team/app', '1', configBlob({ user: '1000' }), [accounts]);
    // The wrapper's name keeps `kubectl` so that it is run as `kubectl kustomize …` (host/kustomize/binary.ts).
    const bin = path.join(dir, 'bin');
    mkdirSync(bin);
    // It runs in a temporary copy of the build's inputs (host/kustomize/run.ts): it logs the Deployment's name.
    writeFileSync(path.join(bin, 'kubectl'), `#!/bin/sh\ngrep -rh --include=deployment.yaml '^  name: ' . | sed 's/^  name: //' >> '${log}'\nexec '${kubectl}' "$@"\n`);
    chmodSync(path.join(bin, 'kubectl'), 0o755);
    const files: Record<string, string> = {
      '.secctx.yaml': `kustomize:\n  path: ${path.join(bin, 'kubectl')}\n`,
      // A build no fix touches: restricted already, its image known.
      'clean/kustomization.yaml': KUSTOMIZATION,
      'clean/deployment.yaml': deployment('clean', `${proxy.host}/team/app:1`, RESTRICTED),
      // A build whose resource a safe fix edits (capability-prefix: drop the bare name): it must be built again for the report.
      'fixed/kustomization.yaml': KUSTOMIZATION,
      'fixed/deployment.yaml': deployment('fixed', `${proxy.host}/team/app:1`, [...RESTRICTED.slice(0, 4), '              drop: [CAP_NET_RAW]', ...RESTRICTED.slice(5)]),
      // A file alone with a fix, naming an image the registry does not have (a failure, which no disk cache keeps).
      'pod.yaml': ['apiVersion: v1', 'kind: Pod', 'metadata:', '  name: lone', 'spec:', '  containers:', '    - name: lone', `      image: ${proxy.host}/team/missing:1`, '      securityContext:', '        capabilities:', '          drop: [CAP_NET_RAW]', ''].join('\n'),
    };
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(project, file)), { recursive: true });
      writeFileSync(path.join(project, file), text);
    }
  });

  after(async () => {
    await proxy?.close();
    await registry?.stop();
    restoreEnv();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** The kustomize runs and the registry requests since the last call, each sorted. */
  let seenRuns = 0;
  let seenRequests = 0;
  function countedSinceLast(): { builds: string[]; requests: string[] } {
    const runs = readFileSync(log, 'utf8').split('\n').filter(Boolean);
    const out = { builds: runs.slice(seenRuns).sort(), requests: proxy.requests.slice(seenRequests).filter((r) => r.includes('/team/')).sort() };
    seenRuns = runs.length;
    seenRequests = proxy.requests.length;
    return out;
  }

  test('builds left alone run once, a fixed one twice; each image is asked once; the report is a fresh check\'s', async () => {
    writeFileSync(log, '');
    const fix = await runCliCaptured(['check', '--fix', '--image-lookup', 'registry', '--format', 'json', '.'], { cwd: project });
    const fixRun = countedSinceLast();
    const fresh = await runCliCaptured(['check', '--image-lookup', 'registry', '--format', 'json', '.'], { cwd: project });
    const freshRun = countedSinceLast();
    // The fixes were written (two files), and the report after them is exactly a fresh check's.
    assert.deepStrictEqual(
      { code: fix.code, applied: fix.stderr.split('\n').filter((l) => l.includes('applied')).sort(), findings: JSON.parse(fix.stdout) as unknown },
      { code: fresh.code, applied: ['secctx: fixed/deployment.yaml: applied 1 fix', 'secctx: pod.yaml: applied 1 fix'], findings: JSON.parse(fresh.stdout) as unknown },
    );
    // The missing image is asked about as often as by the single pass of the fresh check (which finds the
    // known one in the disk cache the fix run filled); no request repeats within the fix run.
    const missing = (rs: readonly string[]) => rs.filter((r) => r.includes('/team/missing/'));
    assert.deepStrictEqual(
      { builds: fixRun.builds, missing: missing(fixRun.requests), repeated: fixRun.requests.filter((r, i) => fixRun.requests.indexOf(r) !== i) },
      { builds: ['clean', 'fixed', 'fixed'], missing: missing(freshRun.requests), repeated: [] },
    );
    assert.ok(missing(freshRun.requests).length > 0 && fixRun.requests.some((r) => r.includes('/team/app/')), JSON.stringify(fixRun.requests));
  });
});
