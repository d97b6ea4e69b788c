/**
 * The pipeline check and explain share: collect the files, find each one's .secctx.yaml, build the
 * image index, apply fixes when asked, and analyse. Problems are collected, not printed: the
 * command decides where they go (stderr, and SARIF's invocation notifications).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Analyzer, type FileAnalysis, type FileKind } from '../engine/analyze';
import { isIgnored, stricterLookup } from '../engine/config';
import { DEFAULT_OPTIONS, type AnalysisOptions } from '../engine/options';
import { findConfigFile, loadConfig, mergeOptions, type LoadedConfig } from '../host/config';
import { collectFiles, readText, type InputFile } from './files';
import { applyCliFixes } from './fix';
import { buildImageIndex, projectRoots } from './images';
import { CliCharts } from './helm';
import type { CliIo } from './io';
import { buildDirs, runBuilds, type CliBuilds } from './kustomize';
import type { CliOptions } from './options';
import { RunCaches } from './runCaches';

export interface AnalyzedFile {
  readonly file: InputFile;
  /** The text analysed (after `--fix`, the fixed text). */
  readonly text: string;
  readonly analysis: FileAnalysis;
  /** `--fix-dry-run`: this file's unified diff ('' when nothing changes). */
  readonly patch: string;
  /** A kustomize build read this file: its findings are the builds' (see ./kustomize.ts), its containers are listed as built. */
  readonly built?: boolean;
}

export interface InputProblem {
  /** The file or directory concerned, when there is one. */
  readonly file?: string;
  readonly message: string;
  /** Fatal problems (a missing input, a bad config) make the exit status 2. */
  readonly fatal: boolean;
}

export interface AnalyzedInputs {
  readonly files: AnalyzedFile[];
  readonly problems: InputProblem[];
  /** Files left out, by why (binary, ignored by .gitignore, ignored by .secctx.yaml, not recognised). */
  readonly skipped: Map<string, number>;
  /** Arguments (directories, patterns) that held nothing to check. */
  readonly empty: string[];
  /** Findings whose only fix is unsafe (with --fix/--fix-dry-run and without --fix-unsafe). */
  readonly unsafeLeft: number;
  readonly fixesApplied: number;
  /** The kustomize builds among the inputs. */
  readonly builds: CliBuilds;
  /** The Helm charts the inputs belong to. */
  readonly charts: CliCharts;
}

const rel = (file: string) => path.relative(process.cwd(), file) || file;

function readStdin(): string {
  return fs.readFileSync(0, 'utf8');
}

/**
 * Collects, fixes when asked, and analyses. After `--fix` wrote files, the report comes from a second,
 * fresh pass over what is now on disk (the image index and linked Dockerfiles read again, kustomize builds
 * whose inputs a fix wrote run again): exactly what `secctx check` without `--fix` would say next, not
 * findings judged against the facts of before the fixes (a Dockerfile's fixed USER, say). Builds whose
 * inputs no fix touched, and image facts (a registry's answer does not change within one run), are the
 * first pass's (./runCaches.ts).
 */
export async function analyzeInputs(o: CliOptions, io: CliIo): Promise<AnalyzedInputs> {
  // Both passes share the kustomize builds of unchanged inputs and the image answers (./runCaches.ts).
  const caches = new RunCaches();
  try {
    const fixing = await analyzeOnce(o, io, caches);
    if (!o.fix || o.fixDryRun || fixing.inputs.fixesApplied === 0) return fixing.inputs;
    const fresh = await analyzeOnce({ ...o, fix: false, fixUnsafe: false, fixDryRun: false }, io, caches);
    // Findings left with only an unsafe preferred fix, counted as the fixing pass counts them (cli/fix.ts).
    const unsafeLeft = o.fixUnsafe ? fixing.inputs.unsafeLeft : fresh.inputs.files.reduce((n, f) => n + f.analysis.findings.filter((x) => x.fixes.some((fix) => fix.preferred && fix.safety !== 'safe')).length, 0);
    return { ...fresh.inputs, problems: [...fresh.inputs.problems, ...fixing.fixProblems], fixesApplied: fixing.inputs.fixesApplied, unsafeLeft };
  } finally {
    caches.dispose();
  }
}

async function analyzeOnce(o: CliOptions, io: CliIo, caches: RunCaches): Promise<{ inputs: AnalyzedInputs; fixProblems: InputProblem[] }> {
  const problems: InputProblem[] = [];
  // Fixes that could not be written: kept from the fixing pass when a fresh pass makes the report.
  const fixProblems: InputProblem[] = [];
  const collected = collectFiles(o.paths, { noIgnore: o.noIgnore, stdinFilename: o.stdinFilename, readStdin: io.readStdin ?? readStdin, allowUnmatchedPattern: o.allowUnmatchedPattern });
  for (const line of collected.fatal) problems.push({ message: line, fatal: true });
  for (const line of collected.problems) problems.push({ message: line, fatal: false });
  const skipped = collected.skipped;
  const skip = (why: string) => skipped.set(why, (skipped.get(why) ?? 0) + 1);
  const files = collected.files;
  const fixed: { unsafe: boolean; dryRun: boolean } | undefined = o.fix ? { unsafe: o.fixUnsafe, dryRun: o.fixDryRun } : undefined;
  let explicitConfig: LoadedConfig | undefined;
  if (o.config) {
    const file = path.resolve(o.config);
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) problems.push({ message: `--config ${o.config}: no such file`, fatal: true });
    else explicitConfig = loadConfig(file);
  }
  const configs = new Map<string, LoadedConfig | undefined>();
  const optionsByConfig = new Map<string, AnalysisOptions>();
  const configOf = (file: InputFile): LoadedConfig | undefined => {
    if (explicitConfig) return explicitConfig;
    const dir = path.dirname(file.absolute);
    if (!configs.has(dir)) { const found = findConfigFile(dir); configs.set(dir, found ? loadConfig(found) : undefined); }
    return configs.get(dir);
  };
  const reportedConfigs = new Set<string>();
  const configFiles = [...new Set(files.map((f) => configOf(f)?.file).filter((f): f is string => f !== undefined))];
  const workspace = await buildImageIndex(projectRoots(files, configFiles));
  for (const config of configFiles) {
    for (const p of workspace.index.configProblems(config)) problems.push({ file: rel(config), message: p.message, fatal: false });
  }
  // Folders with a kustomization are judged as kustomize builds them (the CLI counts as a trusted workspace).
  const buildNotes: string[] = [];
  const builds = await runBuilds(buildDirs(files).map((dir) => {
    const at: InputFile = { display: dir, absolute: path.join(dir, 'kustomization.yaml'), explicit: true };
    const k = configOf(at)?.config.kustomize;
    return { dir, options: caches.optionsForBuild(mergeOptions(DEFAULT_OPTIONS, configOf(at)?.config, o.explicit)), settings: { path: k?.path, timeoutMs: k?.timeoutSeconds ? k.timeoutSeconds * 1000 : undefined } };
  }), buildNotes, caches.kustomize);
  for (const note of buildNotes) problems.push({ message: note, fatal: false });
  const analyzer = new Analyzer();
  // One options object per file, so that the image pre-pass's analyses are reused by the loop below.
  // The project's .secctx.yaml may restrict lookups (imageLookup, the stricter one wins) and name the platform
  // and layer budget; --platform wins over imagePlatform.
  const project = explicitConfig ?? (files[0] ? configOf(files[0]) : undefined);
  const lookups = caches.imageLookup({
    imageLookup: stricterLookup(o.imageLookup, project?.config.imageLookup),
    ...(o.platform ?? project?.config.imagePlatform ? { platform: o.platform ?? project?.config.imagePlatform } : {}),
    ...(project?.config.imageLayerBudget ? { layerBudget: project.config.imageLayerBudget } : {}),
  });
  const fileOptions = new Map<string, AnalysisOptions>();
  const optionsOf = (file: InputFile, config: LoadedConfig | undefined): AnalysisOptions => {
    let options = fileOptions.get(file.absolute);
    if (options) return options;
    const key = config?.file ?? '';
    let projectOptions = optionsByConfig.get(key);
    if (!projectOptions) { projectOptions = mergeOptions(DEFAULT_OPTIONS, config?.config, o.explicit); optionsByConfig.set(key, projectOptions); }
    // Image users come from the Dockerfiles the project links (the nearest Compose file wins), then image facts.
    options = { ...projectOptions, images: workspace.index.resolver(file.absolute), ...(lookups ? { imageFacts: lookups.lookup } : {}) };
    fileOptions.set(file.absolute, options);
    return options;
  };
  if (lookups) {
    for (const file of files) {
      const read = readText(file);
      if (!('problem' in read)) lookups.record(file.absolute, () => analyzer.analyze(file.absolute, read.text, optionsOf(file, configOf(file))));
    }
    await lookups.resolve(analyzer, workspace.index);
  }
  const charts = new CliCharts(o.values);
  const out: AnalyzedFile[] = [];
  let unsafeLeft = 0;
  let fixesApplied = 0;
  for (const file of files) {
    const config = configOf(file);
    if (config && !file.explicit && isIgnored(path.relative(path.dirname(config.file), file.absolute), config.config.ignore)) { skip('ignored by .secctx.yaml'); continue; }
    if (config && config.problems.length && !reportedConfigs.has(config.file)) {
      // An invalid config is fatal (exit 2): a CI run must not pass on defaults it did not ask for.
      reportedConfigs.add(config.file);
      for (const p of config.problems) problems.push({ file: rel(config.file), message: p.message, fatal: true });
    }
    const read = readText(file);
    if ('problem' in read) {
      if (read.skipped) skip(read.skipped);
      problems.push({ file: file.display, message: read.problem, fatal: !read.skipped && file.explicit });
      continue;
    }
    const options = optionsOf(file, config);
    await charts.prepare(file.absolute, config);
    let text = read.text;
    let patch = '';
    let analysis: FileAnalysis;
    try {
      if (fixed) {
        // A chart's file is fixed as judged through its chart (a values file's fixes come from the templates placing it).
        const result = applyCliFixes(file, read, options, fixed, io, (p, t) => charts.analyze(p, t, options, config) ?? analyzer.analyze(p, t, options));
        // Not written (changed on disk meanwhile, or unwritable): fatal, the run must not pass as fixed.
        if (result.problem) {
          problems.push({ file: file.display, message: result.problem, fatal: true });
          fixProblems.push({ file: file.display, message: result.problem, fatal: true });
        }
        text = result.text;
        patch = result.patch;
        unsafeLeft += result.unsafeLeft;
        fixesApplied += result.applied;
      }
      analysis = charts.analyze(file.absolute, text, options, config) ?? analyzer.analyze(file.absolute, text, options);
    } catch (err) {
      problems.push({ file: file.display, message: `internal error: ${(err as Error).message}`, fatal: true });
      continue;
    }
    if (analysis.kind === 'unknown' || analysis.kind === 'config') { skip('not a recognised kind'); continue; }
    const built = builds.findingsFor(file.absolute, analysis.findings);
    out.push(built ? { file, text, analysis: { ...analysis, findings: built }, patch, built: true } : { file, text, analysis, patch });
  }
  return { inputs: { files: out, problems, skipped, empty: collected.empty, unsafeLeft, fixesApplied, builds, charts }, fixProblems };
}

/** One line per problem, as stderr shows them. */
export function problemLine(p: InputProblem): string {
  return `secctx: ${p.file ? `${p.file}: ` : ''}${p.message}\n`;
}

/** The human name of each kind of file, for summaries. */
export const KIND_NAMES: Record<FileKind, string> = { kubernetes: 'Kubernetes', compose: 'Compose', dockerfile: 'Dockerfile', shell: 'shell', config: 'config', unknown: 'other' };
