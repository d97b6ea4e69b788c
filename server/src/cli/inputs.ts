/**
 * The pipeline check and explain share: collect the files, find each one's .secctx.yaml, build the
 * image index, apply fixes when asked, and analyse. Problems (unreadable files, config problems)
 * are collected, not printed: the command decides where they go.
 */
import * as path from 'node:path';
import { Analyzer, type FileAnalysis } from '../engine/analyze';
import { isIgnored } from '../engine/config';
import { DEFAULT_OPTIONS, type AnalysisOptions } from '../engine/options';
import { findConfigFile, loadConfig, mergeOptions, type LoadedConfig } from '../host/config';
import { collectFiles, readText, type InputFile } from './files';
import { applyCliFixes } from './fix';
import { buildImageIndex, projectRoots } from './images';
import type { CliIo } from './io';
import { buildDirs, runBuilds, type CliBuilds } from './kustomize';
import type { CliOptions } from './options';

export interface AnalyzedFile {
  readonly file: InputFile;
  /** The text analysed (after `--fix`, the fixed text). */
  readonly text: string;
  readonly analysis: FileAnalysis;
  /** A kustomize build read this file: its findings are the builds' (see ./kustomize.ts), its containers are listed as built. */
  readonly built?: boolean;
}

export interface AnalyzedInputs {
  readonly files: AnalyzedFile[];
  /** One line each, without the `secctx: ` prefix. */
  readonly problems: string[];
  /** How many files could be read. */
  readonly readCount: number;
  /** The kustomize builds among the inputs. */
  readonly builds: CliBuilds;
}

export async function analyzeInputs(o: CliOptions, io: CliIo): Promise<AnalyzedInputs> {
  const problems: string[] = [];
  const files = collectFiles(o.paths, problems);
  const fixed: { unsafe: boolean; dryRun: boolean } | undefined = o.fix ? { unsafe: o.fixUnsafe, dryRun: o.fixDryRun } : undefined;
  const explicitConfig = o.config ? loadConfig(path.resolve(o.config)) : undefined;
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
  const workspace = await buildImageIndex(projectRoots(process.cwd(), files, configFiles));
  for (const config of configFiles) {
    for (const p of workspace.index.configProblems(config)) problems.push(`${path.relative(process.cwd(), config)}: ${p.message}`);
  }
  // Folders with a kustomization are judged as kustomize builds them (the CLI counts as a trusted workspace).
  const builds = await runBuilds(buildDirs(files).map((dir) => {
    const at: InputFile = { display: dir, absolute: path.join(dir, 'kustomization.yaml'), explicit: true };
    const k = configOf(at)?.config.kustomize;
    return { dir, options: mergeOptions(DEFAULT_OPTIONS, configOf(at)?.config, o.explicit), settings: { path: k?.path, timeoutMs: k?.timeoutSeconds ? k.timeoutSeconds * 1000 : undefined } };
  }), problems);
  const analyzer = new Analyzer();
  const out: AnalyzedFile[] = [];
  let readCount = 0;
  for (const file of files) {
    const config = configOf(file);
    if (config && !file.explicit && isIgnored(path.relative(path.dirname(config.file), file.absolute), config.config.ignore)) continue;
    if (config && config.problems.length && !reportedConfigs.has(config.file)) {
      reportedConfigs.add(config.file);
      for (const p of config.problems) problems.push(`${path.relative(process.cwd(), config.file)}: ${p.message}`);
    }
    const read = readText(file);
    if ('problem' in read) { problems.push(`${file.display}: ${read.problem}`); continue; }
    readCount++;
    const key = config?.file ?? '';
    let projectOptions = optionsByConfig.get(key);
    if (!projectOptions) { projectOptions = mergeOptions(DEFAULT_OPTIONS, config?.config, o.explicit); optionsByConfig.set(key, projectOptions); }
    // Image users come from the Dockerfiles the project links (the nearest Compose file wins).
    const options: AnalysisOptions = { ...projectOptions, images: workspace.index.resolver(file.absolute) };
    let text = read.text;
    let analysis: FileAnalysis;
    try {
      if (fixed) text = applyCliFixes(file, text, options, fixed, io);
      analysis = analyzer.analyze(file.absolute, text, options);
    } catch (err) {
      problems.push(`${file.display}: internal error: ${(err as Error).message}`);
      continue;
    }
    const built = builds.findingsFor(file.absolute, analysis.findings);
    out.push(built ? { file, text, analysis: { ...analysis, findings: built }, built: true } : { file, text, analysis });
  }
  return { files: out, problems, readCount, builds };
}

/** Prints the problems on stderr; false (after saying so) when nothing could be read. */
export function reportProblems(inputs: AnalyzedInputs, io: CliIo): boolean {
  for (const p of inputs.problems) io.stderr(`secctx: ${p}\n`);
  if (inputs.readCount === 0) {
    io.stderr('secctx: nothing could be read\n');
    return false;
  }
  return true;
}
