/**
 * The CLI's side of kustomize builds: which folders are builds (given, or found while walking, and not
 * a base of another found build), running them, and the findings and containers they put in each file.
 */
import * as path from 'node:path';
import { LineIndex } from '../engine/lines';
import { combineFindings, type BuildFindings } from '../engine/kustomize/overlays';
import { isKustomizationFileName } from '../engine/kustomize/kustomization';
import type { AnalysisOptions } from '../engine/options';
import type { Finding } from '../engine/types';
import { KustomizeService, type BuildResult, type KustomizeSettings } from '../host/kustomize/service';
import { readBuildTree } from '../host/kustomize/tree';
import type { InputFile } from './files';
import { toJsonContainer, type FileFindings, type JsonContainer } from './format';
import { reportBuildFiles, type ReportFile } from '../engine/present/report';

export interface CliBuilds {
  /** A file a build read: its findings (its own, for a resource file, combined with the builds'); undefined when no build covers it. */
  findingsFor(absolute: string, alone: readonly Finding[]): readonly Finding[] | undefined;
  /** Build results for files no given path reached (a base outside the folder given). */
  otherFiles(seen: ReadonlySet<string>): FileFindings[];
  readonly containers: readonly JsonContainer[];
  /** The builds' containers and findings for the report (`explain --format html|markdown`), in the files that define them. */
  readonly reportFiles: readonly ReportFile[];
}

export interface BuildTarget {
  readonly dir: string;
  readonly options: AnalysisOptions;
  readonly settings: KustomizeSettings;
}

/** The folders to build: those holding a kustomization among the files read, minus bases and components of others. */
export function buildDirs(files: readonly InputFile[]): string[] {
  const dirs = [...new Set(files.filter((f) => isKustomizationFileName(path.basename(f.absolute))).map((f) => path.dirname(f.absolute)))];
  const used = new Set<string>();
  for (const dir of dirs) {
    const read = readBuildTree(dir);
    if (!read) continue;
    const root = read.tree.nodes.get(read.tree.root);
    if (root?.kustomization.kind === 'Component') used.add(dir);
    for (const d of read.tree.nodes.keys()) if (d !== read.tree.root) used.add(d);
  }
  return dirs.filter((d) => !used.has(d));
}

function buildName(dir: string, all: readonly string[]): string {
  const base = path.basename(dir);
  return all.filter((d) => path.basename(d) === base).length > 1 ? path.relative(process.cwd(), dir) || base : base;
}

/** `service`: the run's (cli/runCaches.ts), so that a second pass of `check --fix` reuses builds whose inputs it did not change. */
export async function runBuilds(targets: readonly BuildTarget[], notes: string[], service = new KustomizeService()): Promise<CliBuilds> {
  const results: { name: string; result: BuildResult; runtime: AnalysisOptions['runtime'] }[] = [];
  for (const t of targets) {
    // Each build with its own settings (its .secctx.yaml's kustomize path), without clearing the others from the cache.
    const result = await service.build(t.dir, t.options, undefined, t.settings);
    if (result) results.push({ name: buildName(t.dir, targets.map((x) => x.dir)), result, runtime: t.options.runtime });
  }
  const missing = results.find((r) => r.result.status === 'missing');
  if (missing?.result.status === 'missing') notes.push(missing.result.message);

  /** Per file: the builds reading it, with their findings there; problems (failed, refused) on kustomization files. */
  const perFile = new Map<string, { builds: BuildFindings[]; patch: boolean; problems: Finding[] }>();
  const entry = (file: string) => {
    let e = perFile.get(file);
    if (!e) perFile.set(file, (e = { builds: [], patch: false, problems: [] }));
    return e;
  };
  const texts = new Map<string, string>();
  const containers: JsonContainer[] = [];
  for (const { name, result } of results) {
    if (result.status === 'missing') continue;
    if (result.status !== 'ok') {
      for (const p of result.problems) {
        entry(p.file).problems.push({ rule: 'kustomize-build', severity: result.status === 'failed' ? 'error' : 'warning', message: p.message, span: p.span, fixes: [] });
        if (result.tree) texts.set(p.file, result.tree.files.get(p.file) ?? '');
      }
      continue;
    }
    const { tree, judgement } = result;
    for (const [file, text] of tree.files) {
      texts.set(file, text);
      const e = entry(file);
      e.builds.push({ name, findings: judgement.findings.filter((f) => f.file === file) });
      if (judgement.patchFiles.has(file) || [...tree.nodes.values()].some((n) => n.file === file)) e.patch = true;
    }
    for (const c of judgement.containers) {
      const file = c.at?.file;
      const lines = (f: string) => new LineIndex(tree.files.get(f) ?? '');
      const json = toJsonContainer(file ? path.relative(process.cwd(), file) : path.relative(process.cwd(), result.dir), file ? lines(file) : new LineIndex(''), c.context);
      const provenance: Record<string, { file: string; line: number }> = {};
      for (const [key, at] of Object.entries(c.values)) if (at) provenance[key] = { file: path.relative(process.cwd(), at.file), line: lines(at.file).position(at.span.start).line };
      containers.push({ ...json, ...(file ? { line: lines(file).position(c.at!.span.start).line } : {}), build: path.relative(process.cwd(), result.dir) || '.', provenance });
    }
  }
  const findingsFor = (absolute: string, alone: readonly Finding[]): Finding[] | undefined => {
    const e = perFile.get(absolute);
    if (!e) return undefined;
    const judged = e.builds.length ? combineFindings(e.patch ? undefined : alone, e.builds) : [...alone];
    return [...e.problems, ...judged];
  };
  const reportFiles: ReportFile[] = [];
  for (const { name, result, runtime } of results) {
    if (result.status !== 'ok') continue;
    const files = result.tree.files;
    reportFiles.push(...reportBuildFiles(name, result.judgement, (f) => files.get(f) ?? '', (f) => path.relative(process.cwd(), f), runtime));
  }
  return {
    containers,
    reportFiles,
    findingsFor,
    otherFiles(seen) {
      const out: FileFindings[] = [];
      for (const [file] of perFile) {
        if (seen.has(file)) continue;
        const findings = findingsFor(file, []) ?? [];
        if (findings.length) out.push({ file: path.relative(process.cwd(), file), text: texts.get(file) ?? '', findings });
      }
      return out;
    },
  };
}
