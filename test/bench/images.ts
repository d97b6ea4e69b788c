/**
 * Image-facts figures for `npm run bench` (printed, never failing on time): 200 distinct images
 * resolved cold against a real registry on loopback (Debian's docker-registry), then warm from the
 * on-disk cache. Targets: cold ≤ 5 s, warm ≤ 50 ms. Runs alone too: `node --import tsx test/bench/images.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ImageFactsService } from '../../server/src/host/images/service';
import { configBlob, GROUP, layer, PASSWD, pushBlob, pushManifest, manifestBlob } from '../support/images';
import { registryAvailable, startRegistry } from '../support/registry';

const IMAGES = Number(process.env.BENCH_IMAGES ?? 200);

export async function imagesBench(): Promise<string> {
  if (!registryAvailable()) return 'image facts: skipped (docker-registry is not installed; scripts/install-test-tools.sh)';
  process.env.SECCTX_IMAGES_LOOPBACK_ONLY = '1';
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'secctx-bench-images-'));
  const registry = await startRegistry();
  try {
    const target = { url: registry.url };
    const base = await layer([{ path: 'etc/passwd', content: `${PASSWD}app:x:1000:1000::/home/app:/bin/sh\n` }, { path: 'etc/group', content: GROUP }]);
    await pushBlob(target, 'bench/base', base);
    const refs: string[] = [];
    for (let i = 0; i < IMAGES; i++) {
      const repository = `bench/app-${i % 20}`;
      if (i < 20) await pushBlob(target, repository, base);
      const config = configBlob({ user: i % 2 ? 'app' : String(1000 + i), labels: { n: String(i) } });
      await pushBlob(target, repository, config);
      await pushManifest(target, repository, `v${i}`, manifestBlob(config, [base]));
      refs.push(`${registry.host}/${repository}:v${i}`);
    }
    const cacheDir = path.join(tmp, 'cache');
    const cold = new ImageFactsService({ mode: 'registry', trusted: false, cacheDir, dockerHost: 'unix:///nonexistent/docker.sock' });
    let t = performance.now();
    let cpu = process.cpuUsage();
    const first = await cold.resolve(refs);
    const coldMs = performance.now() - t;
    const coldCpu = process.cpuUsage(cpu);
    cold.dispose();
    const warm = new ImageFactsService({ mode: 'local', trusted: false, cacheDir, dockerHost: 'unix:///nonexistent/docker.sock' });
    t = performance.now();
    cpu = process.cpuUsage();
    const second = await warm.resolve(refs);
    const warmMs = performance.now() - t;
    const warmCpu = process.cpuUsage(cpu);
    const cpuMs = (c: NodeJS.CpuUsage) => ((c.user + c.system) / 1000).toFixed(0);
    warm.dispose();
    const known = (m: ReadonlyMap<string, unknown>) => [...m.values()].filter((f) => typeof f === 'object' && f !== null && 'user' in f).length;
    const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
    return [
      `image facts: ${IMAGES} distinct images (one shared base layer with /etc/passwd, /etc/group) on a loopback docker-registry`,
      `  cold (registry: manifest + config + layer each, 6 at once): ${coldMs.toFixed(0)} ms (this process's CPU ${cpuMs(coldCpu)} ms), ${known(first)}/${IMAGES} known — target ≤ 5000 ms: ${verdict(coldMs <= 5000)}`,
      `  warm (on-disk cache, mode local, new service):             ${warmMs.toFixed(1)} ms (CPU ${cpuMs(warmCpu)} ms), ${known(second)}/${IMAGES} known — target ≤ 50 ms: ${verdict(warmMs <= 50)}`,
      '  (wall times on a loaded machine mostly measure the wait for a CPU; the CPU figures do not)',
      `  (load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')})`,
    ].join('\n');
  } finally {
    await registry.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (require.main === module) {
  imagesBench().then((text) => console.log(text), (err: unknown) => { console.error(err); process.exitCode = 1; });
}
