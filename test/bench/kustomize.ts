/**
 * Editing a patch of a kustomize overlay in the language server: the edited file's diagnostics (at
 * once, judged alone) and the overlay-aware ones (after the build), against the build's own time —
 * `kubectl kustomize` on the overlay, and secctx's run of it (copy of the inputs + wrapper
 * kustomization with originAnnotations).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { findKustomize } from '../../server/src/host/kustomize/binary';
import { runKustomize } from '../../server/src/host/kustomize/run';
import { readBuildTree } from '../../server/src/host/kustomize/tree';
import { LspClient, type LspServerCommand, type ReceivedDiagnostics } from '../support/lsp-client';
import { writeProject } from '../support/kustomize-project';

export interface KustomizeBench {
  readonly atOnce: readonly number[];
  readonly overlayAware: readonly number[];
  readonly kubectl: readonly number[];
  readonly secctxRun: readonly number[];
  /** Per edit: overlay-aware latency minus a run of the same build right after it (paired, so load affects both alike). */
  readonly overhead: readonly number[];
}

const STATES = [
  { from: 'allowPrivilegeEscalation: false', to: 'allowPrivilegeEscalation: true', rule: 'privilege-escalation' },
  // run-as-root, not run-as-user-zero: that one gives way to run-as-root on the same runAsUser: 0.
  { from: 'runAsUser: 10001', to: 'runAsUser: 0', rule: 'run-as-root' },
];

export async function kustomizeEditLatency(command: LspServerCommand, edits: number): Promise<KustomizeBench> {
  const project = writeProject(undefined, 'secctx-bench-kustomize-');
  const rel = 'overlays/staging/harden.yaml';
  const file = path.join(project, rel);
  const uri = pathToFileURL(file).href;
  const original = readFileSync(file, 'utf8');
  const binary = findKustomize(undefined);
  if (!binary) throw new Error('the kustomize benchmark needs kustomize or kubectl on PATH');
  const kubectl: number[] = [];
  const secctxRun: number[] = [];
  for (let i = 0; i < Math.max(3, Math.ceil(edits / 2)); i++) {
    let t = performance.now();
    execFileSync(binary.command, [...binary.args, path.join(project, 'overlays/staging')], { stdio: 'ignore' });
    kubectl.push(performance.now() - t);
    const read = readBuildTree(path.join(project, 'overlays/staging'));
    t = performance.now();
    if (read) await runKustomize(binary, read.tree, 60_000);
    secctxRun.push(performance.now() - t);
  }
  const client = await LspClient.start(command, { rootUri: pathToFileURL(project).href, timeoutMs: 60_000 });
  const atOnce: number[] = [];
  const overlayAware: number[] = [];
  const overhead: number[] = [];
  try {
    await client.open(uri, original);
    const has = (d: ReceivedDiagnostics | undefined, rule: string) => !!d?.params.diagnostics.some((x) => x.code === rule);
    const waitFor = async (ok: (d: ReceivedDiagnostics) => boolean): Promise<number> => {
      for (;;) {
        const mark = client.mark();
        const last = client.diagnostics(uri);
        if (last && ok(last)) return last.receivedAt;
        await client.waitForDiagnostics(uri, undefined, 60_000, mark);
      }
    };
    // The first build (scan, first run) is not measured.
    await client.change(uri, 2, [{ text: original.replace(STATES[0].from, STATES[0].to) }]);
    await waitFor((d) => has(d, STATES[0].rule));
    for (let i = 0; i < edits; i++) {
      const state = STATES[(i + 1) % 2];
      const version = i + 3;
      const start = performance.now();
      await client.change(uri, version, [{ text: original.replace(state.from, state.to) }]);
      const first = await client.waitForDiagnostics(uri, version, 60_000);
      atOnce.push(first.receivedAt - start);
      const aware = (await waitFor((d) => d.params.version === version && has(d, state.rule))) - start;
      overlayAware.push(aware);
      const edited = original.replace(state.from, state.to);
      const read = readBuildTree(path.join(project, 'overlays/staging'), (f) => (f === file ? edited : undefined));
      const t = performance.now();
      if (read) await runKustomize(binary, read.tree, 60_000);
      overhead.push(aware - (performance.now() - t));
    }
  } finally {
    await client.shutdown();
    execFileSync('rm', ['-rf', project]);
  }
  return { atOnce, overlayAware, kubectl, secctxRun, overhead };
}
