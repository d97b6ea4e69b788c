/**
 * The language server's kustomize builds: finds the kustomizations under the workspace roots (off the
 * typing path, in batches), decides which are builds (not a base or component of another), runs each
 * build when a file of it changes (one run at a time per build; changes during a run cause one more),
 * and keeps the last result of each.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isKustomizationFileName } from '../../engine/kustomize/kustomization';
import type { AnalysisOptions } from '../../engine/options';
import type { BuildResult, KustomizeService, KustomizeSettings } from './service';
import { readBuildTree } from './tree';
import { walkFiles } from '../walk';

export interface BuildState {
  readonly dir: string;
  /** Every file the build reads (kustomization files included), from the last read of its tree. */
  files: ReadonlySet<string>;
  /** The patch files among them (known from the kustomization files, before any run). */
  patchFiles: ReadonlySet<string>;
  result?: BuildResult;
  running: boolean;
  dirty: boolean;
}

export interface KustomizeWorkspaceHost {
  /** Unsaved text of an open document, by absolute path. */
  readonly openText: (file: string) => string | undefined;
  readonly optionsFor: (file: string) => AnalysisOptions;
  /** The binary and timeout for a build (editor setting, else the build's .secctx.yaml). */
  readonly settingsFor: (dir: string) => KustomizeSettings;
  /** A build finished: the files it reads may have new findings. */
  readonly onResult: (build: BuildState) => void;
  readonly log: (message: string) => void;
}

export class KustomizeWorkspace {
  /** Directories holding a kustomization file. */
  private readonly kustomizations = new Set<string>();
  readonly builds = new Map<string, BuildState>();

  constructor(readonly roots: readonly string[], private readonly service: KustomizeService, private readonly host: KustomizeWorkspaceHost) {}

  /** Finds every kustomization under the roots, then builds the top-level ones. */
  async scan(): Promise<number> {
    for await (const file of walkFiles(this.roots, { wants: (f) => isKustomizationFileName(path.basename(f)) })) this.kustomizations.add(path.dirname(file));
    this.refresh();
    for (const b of this.builds.values()) this.schedule(b);
    return this.kustomizations.size;
  }

  /** Re-reads the trees: which kustomizations are builds, and which files each reads. */
  private refresh(): void {
    const used = new Set<string>();
    const trees = new Map<string, { files: ReadonlySet<string>; patches: ReadonlySet<string> }>();
    for (const dir of this.kustomizations) {
      const read = readBuildTree(dir, this.host.openText);
      if (!read) continue;
      if (read.tree.nodes.get(read.tree.root)?.kustomization.kind === 'Component') used.add(dir);
      for (const d of read.tree.nodes.keys()) if (d !== read.tree.root) used.add(d);
      const patches = new Set<string>();
      for (const node of read.tree.nodes.values()) for (const p of node.kustomization.patches) if (p.path) patches.add(path.resolve(node.dir, p.path));
      trees.set(dir, { files: new Set(read.tree.files.keys()), patches });
    }
    for (const dir of [...this.builds.keys()]) if (!trees.has(dir) || used.has(dir)) this.builds.delete(dir);
    for (const [dir, { files, patches }] of trees) {
      if (used.has(dir)) continue;
      const b = this.builds.get(dir);
      if (b) { b.files = files; b.patchFiles = patches; }
      else this.builds.set(dir, { dir, files, patchFiles: patches, running: false, dirty: false });
    }
  }

  /** A file changed (edited, saved, created or deleted): the builds reading it run again. */
  touched(file: string): void {
    const abs = path.resolve(file);
    if (isKustomizationFileName(path.basename(abs))) {
      setImmediate(() => this.kustomizationTouched(abs));
      return;
    }
    for (const b of this.builds.values()) if (b.files.has(abs)) this.schedule(b);
  }

  private kustomizationTouched(abs: string): void {
    {
      const dir = path.dirname(abs);
      let exists = false;
      try { exists = fs.statSync(abs).isFile(); } catch { exists = false; }
      if (exists || this.host.openText(abs) !== undefined) this.kustomizations.add(dir);
      else this.kustomizations.delete(dir);
      this.refresh();
    }
    for (const b of this.builds.values()) if (b.files.has(abs) || b.dir === path.dirname(abs)) this.schedule(b);
  }

  /** The builds reading `file`. */
  buildsOf(file: string): BuildState[] {
    const abs = path.resolve(file);
    return [...this.builds.values()].filter((b) => b.files.has(abs)).sort((a, b) => a.dir.localeCompare(b.dir));
  }

  /**
   * Runs the build on the next turn of the event loop (reading its inputs is synchronous: never on the
   * typing path), or once more after the running one.
   */
  schedule(build: BuildState): void {
    if (build.running) { build.dirty = true; return; }
    build.running = true;
    build.dirty = false;
    setImmediate(() => this.start(build));
  }

  private start(build: BuildState): void {
    build.dirty = false;
    let started: Promise<BuildResult> | undefined;
    try {
      started = this.service.build(build.dir, this.host.optionsFor(path.join(build.dir, 'kustomization.yaml')), this.host.openText, this.host.settingsFor(build.dir));
    } catch (err) {
      this.host.log(`kustomize build of ${build.dir} failed: ${String(err)}`);
    }
    if (!started) { build.running = false; return; }
    started.then(
      (result) => {
        build.result = result;
        if (result.tree) build.files = new Set(result.tree.files.keys());
      },
      (err: unknown) => this.host.log(`kustomize build of ${build.dir} failed: ${String(err)}`),
    ).finally(() => {
      build.running = false;
      if (build.dirty) this.schedule(build);
      else if (build.result) this.host.onResult(build);
    });
  }

  /** Waits until no build is running (for tests and the benchmark's bookkeeping, never on the typing path). */
  idle(): boolean {
    return [...this.builds.values()].every((b) => !b.running);
  }
}
