/** `secctx check|explain <files|dirs...>`: the CLI adapter over the engine. */
import * as path from 'node:path';
import { Analyzer, type FileAnalysis } from '../engine/analyze';
import { RUNTIMES, type Runtime } from '../engine/capabilities';
import { isIgnored } from '../engine/config';
import { LineIndex } from '../engine/lines';
import { DEFAULT_OPTIONS, type AnalysisOptions } from '../engine/options';
import type { Profile } from '../engine/types';
import { findConfigFile, loadConfig, mergeOptions, type LoadedConfig } from '../host/config';
import { collectFiles, readText, type InputFile } from './files';
import { applyCliFixes } from './fix';
import { buildImageIndex, projectRoots } from './images';
import { CliCharts, unlistedChartFindings } from './helm';
import { formatExplainText, formatImagesText, toJsonImages, type JsonImage, formatSarif, formatStylish, toJsonContainer, toJsonFindings, type FileFindings, type JsonContainer } from './format';

export const VERSION = '0.1.0';

const USAGE = `Usage: secctx <command> [options] <files or directories...>

Commands:
  check     report problems (exit 1 when any is an error)
  explain   show each container's effective security context

Options:
  --format text|json|sarif     output format (sarif: check only; default text)
  --profile restricted|baseline|privileged
                               Pod Security Standards profile (default restricted)
  --kubernetes-version 1.N     judge Pod Security Standards as of this version (default newest)
  --runtime containerd|cri-o|docker
                               runtime whose capability rules apply (default containerd)
  --config <file>              use this .secctx.yaml instead of searching upward
  --fix                        apply the preferred safe fixes in place
  --fix-unsafe                 with --fix: apply unsafe fixes too
  --fix-dry-run                print the fixes as a unified diff instead of writing
  --no-color                   plain text output
  -h, --help                   this help
  -v, --version                print the version

Exit status: 0 no errors, 1 errors found, 2 usage error or nothing could be read.`;

export interface CliOptions {
  command: 'check' | 'explain';
  paths: string[];
  format: 'text' | 'json' | 'sarif';
  explicit: { -readonly [K in keyof AnalysisOptions]?: AnalysisOptions[K] };
  config?: string;
  fix: boolean;
  fixUnsafe: boolean;
  fixDryRun: boolean;
  color: boolean;
}

class UsageError extends Error {}

export function parseArgs(argv: readonly string[]): CliOptions | 'help' | 'version' {
  const args = [...argv];
  const o: CliOptions = { command: 'check', paths: [], format: 'text', explicit: {}, fix: false, fixUnsafe: false, fixDryRun: false, color: !!process.stdout.isTTY && !process.env.NO_COLOR };
  const value = (flag: string, inline?: string): string => {
    const v = inline ?? args.shift();
    if (v === undefined || (inline === undefined && v.startsWith('--'))) throw new UsageError(`${flag} needs a value`);
    return v;
  };
  let command: string | undefined;
  while (args.length) {
    const raw = args.shift()!;
    if (raw === '-h' || raw === '--help') return 'help';
    if (raw === '-v' || raw === '--version') return 'version';
    const eq = raw.startsWith('--') ? raw.indexOf('=') : -1;
    const flag = eq > 0 ? raw.slice(0, eq) : raw;
    const inline = eq > 0 ? raw.slice(eq + 1) : undefined;
    switch (flag) {
      case '--format': {
        const f = value(flag, inline);
        if (f !== 'text' && f !== 'json' && f !== 'sarif') throw new UsageError(`--format must be text, json or sarif, not ${f}`);
        o.format = f;
        break;
      }
      case '--profile': {
        const p = value(flag, inline);
        if (p !== 'restricted' && p !== 'baseline' && p !== 'privileged') throw new UsageError(`--profile must be restricted, baseline or privileged, not ${p}`);
        o.explicit.profile = p as Profile;
        break;
      }
      case '--kubernetes-version': {
        const v = value(flag, inline);
        if (!/^v?1\.\d+$/.test(v)) throw new UsageError(`--kubernetes-version must look like 1.30, not ${v}`);
        o.explicit.kubernetesVersion = v;
        break;
      }
      case '--runtime': {
        const r = value(flag, inline);
        if (!(RUNTIMES as readonly string[]).includes(r)) throw new UsageError(`--runtime must be one of ${RUNTIMES.join(', ')}, not ${r}`);
        o.explicit.runtime = r as Runtime;
        break;
      }
      case '--config': o.config = value(flag, inline); break;
      case '--fix': o.fix = true; break;
      case '--fix-unsafe': o.fix = true; o.fixUnsafe = true; break;
      case '--fix-dry-run': o.fix = true; o.fixDryRun = true; break;
      case '--no-color': o.color = false; break;
      case '--color': o.color = true; break;
      default:
        if (raw.startsWith('-') && raw !== '-') throw new UsageError(`unknown option ${raw}`);
        if (command === undefined && (raw === 'check' || raw === 'explain')) command = raw;
        else if (command === undefined) throw new UsageError(`unknown command ${raw} (expected check or explain)`);
        else o.paths.push(raw);
    }
  }
  if (!command) throw new UsageError('missing command (check or explain)');
  o.command = command as CliOptions['command'];
  if (!o.paths.length) throw new UsageError('no files or directories given');
  if (o.format === 'sarif' && o.command === 'explain') throw new UsageError('--format sarif is for check');
  return o;
}

export interface CliIo {
  stdout(s: string): void;
  stderr(s: string): void;
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let o: CliOptions | 'help' | 'version';
  try {
    o = parseArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.stderr(`secctx: ${err.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (o === 'help') { io.stdout(USAGE + '\n'); return 0; }
  if (o === 'version') { io.stdout(`secctx ${VERSION}\n`); return 0; }

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
  const analyzer = new Analyzer();
  const charts = new CliCharts();
  const results: FileFindings[] = [];
  const containers: JsonContainer[] = [];
  const images: JsonImage[] = [];
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
      if (fixed) {
        text = applyCliFixes(file, text, options, fixed, io);
      }
      analysis = charts.analyze(file.absolute, text, options, config) ?? analyzer.analyze(file.absolute, text, options);
    } catch (err) {
      problems.push(`${file.display}: internal error: ${(err as Error).message}`);
      continue;
    }
    results.push({ file: file.display, text, findings: analysis.findings });
    const lines = new LineIndex(text);
    for (const c of analysis.contexts) containers.push(toJsonContainer(file.display, lines, c));
    if (analysis.dockerfile) images.push(...toJsonImages(file.display, analysis.dockerfile));
  }
  results.push(...unlistedChartFindings(charts, new Set(files.map((f) => f.absolute.replace(/\\/g, '/'))), (f) => path.relative(process.cwd(), f)));
  for (const p of problems) io.stderr(`secctx: ${p}\n`);
  if (readCount === 0) {
    io.stderr('secctx: nothing could be read\n');
    return 2;
  }
  if (o.command === 'explain') {
    if (o.format === 'json') io.stdout(JSON.stringify({ containers, images }, null, 2) + '\n');
    else {
      const parts = [containers.length ? formatExplainText(containers) : '', images.length ? formatImagesText(images) : ''].filter(Boolean);
      io.stdout((parts.length ? parts.join('\n\n') : 'No containers or images found.') + '\n');
    }
    return 0;
  }
  const findings = toJsonFindings(results);
  if (o.format === 'json') io.stdout(JSON.stringify({ findings }, null, 2) + '\n');
  else if (o.format === 'sarif') io.stdout(JSON.stringify(formatSarif(findings, VERSION), null, 2) + '\n');
  else {
    const text = formatStylish(findings, o.color);
    if (text) io.stdout(text + '\n');
  }
  return findings.some((f) => f.severity === 'error') ? 1 : 0;
}

if (require.main === module) {
  runCli(process.argv.slice(2), { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s) }).then(
    (code) => { process.exitCode = code; },
    (err: unknown) => { process.stderr.write(`secctx: internal error: ${(err as Error).message}\n`); process.exitCode = 2; },
  );
}
