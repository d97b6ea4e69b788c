/** Finding and reading `.secctx.yaml` on disk, for the CLI and the server. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONFIG_FILE_NAMES, parseConfig, type ConfigProblem, type ProjectConfig } from '../engine/config';
import type { AnalysisOptions } from '../engine/options';
import { MAX_CONFIG_BYTES, readRegularFile } from './readFile';

export interface LoadedConfig {
  readonly file: string;
  readonly config: ProjectConfig;
  readonly problems: readonly ConfigProblem[];
}

/** Walks up from `dir` to `stopAt` (or the filesystem root) for `.secctx.yaml`. */
export function findConfigFile(dir: string, stopAt?: string): string | undefined {
  let current = path.resolve(dir);
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = path.join(current, name);
      // A directory of that name is not a config; anything else (even a FIFO) is, and loadConfig refuses to read it.
      if (fs.existsSync(candidate) && !isDirectory(candidate)) return candidate;
    }
    const parent = path.dirname(current);
    if (parent === current || (stopAt && path.relative(stopAt, current) === '')) return undefined;
    current = parent;
  }
}

function isDirectory(file: string): boolean {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false;
  }
}

/** Reads and parses a config: a regular file of at most MAX_CONFIG_BYTES, else one problem and an empty config. */
export function loadConfig(file: string): LoadedConfig {
  const read = readRegularFile(file, MAX_CONFIG_BYTES);
  if ('problem' in read) {
    return { file, config: { rules: {}, ignore: [], images: {} }, problems: [{ span: { start: 0, end: 0 }, message: `Cannot read ${file}: ${read.problem}` }] };
  }
  return { file, ...parseConfig(read.text) };
}

/** Config values under explicit settings: settings given by the user (editor or CLI flags) win. */
export function mergeOptions(base: AnalysisOptions, config: ProjectConfig | undefined, explicit: Partial<AnalysisOptions>): AnalysisOptions {
  return {
    ...base,
    ...(config?.runtime ? { runtime: config.runtime } : {}),
    ...(config?.profile ? { profile: config.profile } : {}),
    ...(config?.kubernetesVersion ? { kubernetesVersion: config.kubernetesVersion } : {}),
    ...Object.fromEntries(Object.entries(explicit).filter(([, v]) => v !== undefined && v !== '')),
    rules: { ...(config?.rules ?? {}), ...(explicit.rules ?? {}) },
  };
}
