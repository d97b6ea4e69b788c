/**
 * Builds kustomizations and judges them, for the CLI and the language server: reads the inputs,
 * refuses remote ones, runs kustomize off the caller's path (a promise), and caches the judgement by
 * the content of every input (a build re-runs only when a file of it changes).
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { Analyzer } from '../../engine/analyze';
import { judgeBuild, type BuildJudgement } from '../../engine/kustomize/judge';
import type { BuildTree } from '../../engine/kustomize/patches';
import type { AnalysisOptions } from '../../engine/options';
import type { Span } from '../../engine/types';
import { findKustomize, MISSING_KUSTOMIZE, type KustomizeBinary } from './binary';
import { readBuildTree, type TreeProblem } from './tree';
import { runKustomize } from './run';

export const DEFAULT_TIMEOUT_MS = 30_000;

interface Common {
  /** The build's directory. */
  readonly dir: string;
  readonly kustomizationFile: string;
}

export type BuildResult =
  | (Common & { readonly status: 'ok'; readonly tree: BuildTree; readonly judgement: BuildJudgement; readonly ms: number })
  /** Build failed, timed out or was refused: one problem, shown on `file` at `span`. */
  | (Common & { readonly status: 'failed' | 'timeout' | 'refused'; readonly tree?: BuildTree; readonly problems: readonly TreeProblem[] })
  | (Common & { readonly status: 'missing'; readonly tree?: BuildTree; readonly message: string });

export interface KustomizeSettings {
  /** `secctx.kustomize.path` or `kustomize.path` in .secctx.yaml. */
  readonly path?: string;
  readonly timeoutMs?: number;
}

function hashTree(tree: BuildTree, binary: KustomizeBinary): string {
  const h = createHash('sha256');
  h.update(`${binary.command}\0${binary.args.join(' ')}\0`);
  for (const file of [...tree.files.keys()].sort()) h.update(`${file}\0${tree.files.get(file)}\0`);
  return h.digest('hex');
}

const ZERO: Span = { start: 0, end: 0 };

export class KustomizeService {
  private readonly cache = new Map<string, { hash: string; options: AnalysisOptions; result: Promise<BuildResult> }>();
  private readonly analyzer = new Analyzer();
  /** How many times kustomize ran (for tests: a cached build does not run it). */
  runs = 0;

  constructor(private settings: KustomizeSettings = {}, private readonly envPath = process.env.PATH) {}

  configure(settings: KustomizeSettings): void {
    if (JSON.stringify(settings) === JSON.stringify(this.settings)) return;
    this.settings = settings;
    this.cache.clear();
  }

  binary(settings: KustomizeSettings = this.settings): KustomizeBinary | undefined {
    return findKustomize(settings.path, this.envPath);
  }

  /** Builds and judges the kustomization in `dir` (with `override` for unsaved files); cached by input content. */
  build(dir: string, options: AnalysisOptions, override?: (file: string) => string | undefined, settings: KustomizeSettings = this.settings): Promise<BuildResult> | undefined {
    const read = readBuildTree(dir, override);
    if (!read) return undefined;
    const { tree, refused } = read;
    const kustomizationFile = tree.nodes.get(tree.root)!.file;
    const common = { dir: tree.root, kustomizationFile };
    if (refused.length) return Promise.resolve({ ...common, status: 'refused', tree, problems: refused.slice(0, 1) });
    const binary = this.binary(settings);
    if (!binary) return Promise.resolve({ ...common, status: 'missing', tree, message: MISSING_KUSTOMIZE });
    const hash = hashTree(tree, binary);
    const hit = this.cache.get(tree.root);
    if (hit && hit.hash === hash && hit.options === options) return hit.result;
    const result = this.run(binary, tree, options, common, settings.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    this.cache.set(tree.root, { hash, options, result });
    return result;
  }

  private async run(binary: KustomizeBinary, tree: BuildTree, options: AnalysisOptions, common: Common, timeoutMs: number): Promise<BuildResult> {
    this.runs++;
    const outcome = await runKustomize(binary, tree, timeoutMs);
    if (!outcome.ok) {
      return { ...common, status: outcome.timedOut ? 'timeout' : 'failed', tree, problems: [{ file: common.kustomizationFile, span: ZERO, message: outcome.timedOut ? outcome.message : `${binary.label} build failed: ${outcome.message}` }] };
    }
    const judgement = judgeBuild(tree, outcome.built, outcome.originFile, this.analyzer, options, path.join(tree.root, '.secctx-kustomize-build.yaml'));
    return { ...common, status: 'ok', tree, judgement, ms: outcome.ms };
  }

  forget(dir: string): void {
    this.cache.delete(path.resolve(dir));
  }
}
