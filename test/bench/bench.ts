/**
 * `npm run bench`: secctx's language server and CLI against yaml-language-server on the same generated
 * manifests. Prints figures beside their targets; never fails on timing (exit 1 only when something crashed).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { LspClient, type LspServerCommand, type StartOptions } from '../support/lsp-client';
import { configBlob, layer, PASSWD, GROUP, pushImage } from '../support/images';
import { registryAvailable, startRegistry } from '../support/registry';
import { imagesBench } from './images';
import { deployment, deploymentStream, riskyDeployment, type GeneratedManifests } from './manifests';
import { HELM_TEMPLATES, helmEditLatency } from './helm';
import { kustomizeEditLatency } from './kustomize';
import { largeInputsBench } from './largeInputs';
import { heavyBench, heavyServers } from './heavy';
import { Analyzer } from '../../server/src/engine/analyze';
import { DEFAULT_OPTIONS } from '../../server/src/engine/options';

const ROOT = path.resolve(__dirname, '..', '..');
const EDITS = Number(process.env.BENCH_EDITS ?? 50);
/** Edits and hovers before measuring, so that both servers' code is warm. */
const WARMUP = 20;
const HOVERS = Number(process.env.BENCH_HOVERS ?? 60);
const CLI_RUNS = Number(process.env.BENCH_CLI_RUNS ?? 5);
const WORKSPACE_FILES = 2000;

interface Server {
  readonly name: string;
  readonly command: LspServerCommand;
  /** Whether publishDiagnostics carries the document version (yaml-language-server's does not). */
  readonly versioned: boolean;
}

const ALL_SERVERS: readonly Server[] = [
  /** BENCH_SECCTX_SERVER points at another server bundle, e.g. one built from an older commit, for a before/after. */
  { name: 'secctx', command: { command: process.execPath, args: [path.resolve(process.env.BENCH_SECCTX_SERVER ?? path.join(ROOT, 'dist/server.js')), '--stdio'] }, versioned: true },
  {
    name: 'yaml-language-server',
    command: { command: process.execPath, args: [path.join(ROOT, 'node_modules/yaml-language-server/bin/yaml-language-server'), '--stdio'] },
    versioned: false,
  },
];
/** BENCH_SERVERS=secctx measures one server only (while profiling); the comparison needs both. */
const SERVERS = ALL_SERVERS.filter((s) => !process.env.BENCH_SERVERS || process.env.BENCH_SERVERS.split(',').includes(s.name));

interface Stats {
  readonly median: number;
  readonly p95: number;
  readonly n: number;
}

function stats(samples: readonly number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
  return { median: rank(0.5), p95: rank(0.95), n: sorted.length };
}

function fileUri(file: string): string {
  return pathToFileURL(file).href;
}

/** A directory of its own per measured file, so a server's workspace scan sees nothing else. */
function isolated(tmp: string, name: string, text: string): string {
  const dir = path.join(tmp, name.replace(/\W/g, '-'));
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** `env`: the server's environment; the rest are the client's start options. */
type ServerStart = Partial<StartOptions> & { readonly env?: NodeJS.ProcessEnv };

async function startServer(server: Server, rootDir: string, extra: ServerStart = {}): Promise<LspClient> {
  const { env, ...options } = extra;
  return LspClient.start(env ? { ...server.command, env } : server.command, { rootUri: fileUri(rootDir), timeoutMs: 60_000, ...options });
}

/** Diagnostics for `version` (or, for servers that do not send versions, the next publication after `mark`). */
function diagnosticsFor(client: LspClient, server: Server, uri: string, version: number, mark: number, timeoutMs: number): Promise<number> {
  return client.waitForDiagnostics(uri, server.versioned ? version : undefined, timeoutMs, mark).then((d) => d.receivedAt);
}

/**
 * The file's diagnostics once it is analysed: secctx publishes a long stream's documents as it analyses them
 * (lsp/progressive.ts), so for it the publication with every finding (those the engine finds without image facts:
 * image answers are asked for after it); for others the first publication. Edits measured before would be answered
 * from a half-analysed file.
 */
function analysedDiagnostics(client: LspClient, server: Server, uri: string, text: string, mark: number, timeoutMs: number): Promise<number> {
  if (server.name !== 'secctx') return diagnosticsFor(client, server, uri, 1, mark, timeoutMs);
  const all = new Analyzer().analyze(new URL(uri).pathname, text, { ...DEFAULT_OPTIONS, imageFacts: undefined }).findings.length;
  return client.waitForDiagnosticsMatching(uri, (d) => d.version === 1 && d.diagnostics.length === all, timeoutMs, mark).then((d) => d.receivedAt);
}

/**
 * Edit→diagnostics: opens the file, then changes the middle Deployment's runAsUser between 0 and its
 * original value (every edit changes the diagnostics, so no server may skip publishing), timing each
 * edit from didChange to the publishDiagnostics that answers it.
 */
async function editLatency(server: Server, tmp: string, name: string, manifests: GeneratedManifests, edits: number, extra: ServerStart = {}): Promise<Stats> {
  const file = isolated(tmp, `${server.name}-${name}`, manifests.text);
  const uri = fileUri(file);
  const client = await startServer(server, path.dirname(file), extra);
  try {
    const timeoutMs = 120_000;
    let mark = client.mark();
    await client.open(uri, manifests.text, 1);
    await analysedDiagnostics(client, server, uri, manifests.text, mark, timeoutMs);
    const { offset, text: original } = manifests.middleRunAsUser;
    const lineOf = (o: number) => manifests.text.slice(0, o).split('\n').length - 1;
    const line = lineOf(offset);
    const character = offset - (manifests.text.lastIndexOf('\n', offset - 1) + 1);
    let current = original;
    const samples: number[] = [];
    for (let i = 0; i < edits + WARMUP; i++) {
      const next = current === original ? '0' : original;
      const version = i + 2;
      mark = client.mark();
      const sent = performance.now();
      await client.change(uri, version, [{ range: { start: { line, character }, end: { line, character: character + current.length } }, text: next }]);
      const receivedAt = await diagnosticsFor(client, server, uri, version, mark, timeoutMs);
      if (i >= WARMUP) samples.push(receivedAt - sent);
      current = next;
    }
    return stats(samples);
  } finally {
    await client.shutdown();
  }
}

/** Hover on the middle Deployment's container name, after the file's diagnostics arrived. */
async function hoverLatency(server: Server, tmp: string, manifests: GeneratedManifests, hovers: number): Promise<{ stats: Stats; answered: boolean }> {
  const file = isolated(tmp, `${server.name}-hover.yaml`, manifests.text);
  const uri = fileUri(file);
  const client = await startServer(server, path.dirname(file));
  try {
    const mark = client.mark();
    await client.open(uri, manifests.text, 1);
    await analysedDiagnostics(client, server, uri, manifests.text, mark, 120_000);
    const before = manifests.text.slice(0, manifests.middleContainerName);
    const position = { line: before.split('\n').length - 1, character: manifests.middleContainerName - (before.lastIndexOf('\n') + 1) };
    const samples: number[] = [];
    let answered = false;
    for (let i = 0; i < hovers + WARMUP; i++) {
      const sent = performance.now();
      const result = await client.request<unknown>('textDocument/hover', { textDocument: { uri }, position }, 60_000);
      if (i >= WARMUP) samples.push(performance.now() - sent);
      answered ||= result !== null;
    }
    return { stats: stats(samples), answered };
  } finally {
    await client.shutdown();
  }
}

function vmRss(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kib('VmRSS') * 1024, hwm: kib('VmHWM') * 1024 };
}

/** RSS once every one of `WORKSPACE_FILES` manifests is open and has its diagnostics. */
async function workspaceRss(server: Server, workspace: string, files: readonly string[]): Promise<{ rss: number; hwm: number; seconds: number }> {
  const client = await startServer(server, workspace);
  try {
    const started = performance.now();
    const waits: Promise<number>[] = [];
    for (const file of files) {
      const uri = fileUri(file);
      const mark = client.mark();
      await client.open(uri, readFileSync(file, 'utf8'), 1);
      waits.push(diagnosticsFor(client, server, uri, 1, mark, 300_000));
    }
    await Promise.all(waits);
    const seconds = (performance.now() - started) / 1000;
    return { ...vmRss(client.pid), seconds };
  } finally {
    await client.shutdown();
  }
}

/**
 * The Security contexts view on the workspace: how long the server's scan of every manifest takes, and
 * how fast a hover on an open file answers while the scan runs (the scan must not block the editor).
 */
async function treeScan(server: Server, workspace: string, openFile: string): Promise<{ seconds: number; entries: number; hover: Stats }> {
  const client = await startServer(server, workspace);
  try {
    const uri = fileUri(openFile);
    const text = readFileSync(openFile, 'utf8');
    const mark = client.mark();
    await client.open(uri, text, 1);
    await diagnosticsFor(client, server, uri, 1, mark, 60_000);
    let entries = 0;
    client.onNotification<{ files: unknown[] }>('secctx/tree/files', (p) => { entries += p.files.length; });
    const position = { line: text.split('\n').findIndex((l) => l.includes('- name:')), character: 14 };
    const started = performance.now();
    let done = false;
    const scan = client.request<unknown>('secctx/tree/scan', {}, 300_000).finally(() => { done = true; });
    const samples: number[] = [];
    while (!done) {
      const sent = performance.now();
      await client.request<unknown>('textDocument/hover', { textDocument: { uri }, position }, 60_000);
      samples.push(performance.now() - sent);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await scan;
    return { seconds: (performance.now() - started) / 1000, entries, hover: stats(samples) };
  } finally {
    await client.shutdown();
  }
}

/** Wall time of a command, min and median over `runs` (a failed run is a crash). */
function wallTime(args: readonly string[], runs: number, okStatus: readonly number[]): { min: number; median: number } {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const r = spawnSync(process.execPath, [...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    samples.push(performance.now() - started);
    if (r.status === null || !okStatus.includes(r.status)) throw new Error(`${args.join(' ')} exited with ${r.status ?? r.signal}: ${r.stderr}`);
  }
  samples.sort((a, b) => a - b);
  return { min: samples[0], median: samples[Math.floor((samples.length - 1) / 2)] };
}

function coldCli(tmp: string, bigFile: string): { cli: { min: number; median: number }; parse: { min: number; median: number } } {
  const parseScript = path.join(tmp, 'parse-only.cjs');
  writeFileSync(parseScript, [
    `const { parseAllDocuments } = require(${JSON.stringify(require.resolve('yaml', { paths: [ROOT] }))});`,
    `const docs = parseAllDocuments(require('node:fs').readFileSync(process.argv[2], 'utf8'));`,
    `if (!docs.length) process.exit(3);`,
  ].join('\n'));
  // Interleave the two so that machine noise hits both alike.
  const cli: number[] = [];
  const parse: number[] = [];
  for (let i = 0; i < CLI_RUNS; i++) {
    cli.push(wallTime(['dist/cli.js', 'check', bigFile, '--format', 'json'], 1, [0, 1]).min);
    parse.push(wallTime([parseScript, bigFile], 1, [0]).min);
  }
  const summary = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return { min: s[0], median: s[Math.floor((s.length - 1) / 2)] }; };
  return { cli: summary(cli), parse: summary(parse) };
}

function bundleSizes(): { file: string; bytes: number }[] {
  const dist = path.join(ROOT, 'dist');
  return readdirSync(dist).filter((f) => f.endsWith('.js')).sort().map((f) => ({ file: `dist/${f}`, bytes: statSync(path.join(dist, f)).size }));
}

const loadAverage = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');
const ms = (x: number) => (x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0));
const mb = (bytes: number) => (bytes / 1048576).toFixed(1);
const verdict = (ok: boolean) => (ok ? 'meets target' : 'MISSES target');

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd()).join('\n');
}

/**
 * Edit→diagnostics on the big file with image lookups on: its 1,000 images moved to a docker-registry
 * on 127.0.0.1 (half of them pushed, half answering 404), the server looking them up in the background
 * from its first analysis on. The lookups must stay off the typing path: the figure should match the
 * one with lookups off. Undefined when docker-registry is not installed.
 */
async function editLatencyWithLookups(tmp: string, big: GeneratedManifests, edits: number): Promise<Stats | undefined> {
  const secctx = ALL_SERVERS[0];
  if (!registryAvailable()) return undefined;
  const registry = await startRegistry();
  try {
    const text = big.text.replace(/registry\.example\.com\//g, `${registry.host}/`);
    const refs = [...new Set([...text.matchAll(/image: (\S+)/g)].map((m) => m[1]))];
    const base = await layer([{ path: 'etc/', type: 'directory' }, { path: 'etc/passwd', content: `${PASSWD}app:x:10001:10001::/app:/bin/sh\n` }, { path: 'etc/group', content: `${GROUP}app:x:10001:\n` }]);
    for (const ref of refs.filter((_, i) => i % 2 === 0)) {
      const [repository, tag] = ref.slice(registry.host.length + 1).split(':');
      await pushImage({ url: registry.url }, repository, tag, configBlob({ user: '10001' }), [base]);
    }
    // The edited value moves by the length difference of every image line before it.
    const before = big.text.slice(0, big.middleRunAsUser.offset).split('registry.example.com/').length - 1;
    const shifted: GeneratedManifests = { ...big, text, middleRunAsUser: { ...big.middleRunAsUser, offset: big.middleRunAsUser.offset + before * (registry.host.length + 1 - 'registry.example.com/'.length) } };
    const env = { ...process.env, SECCTX_IMAGES_LOOPBACK_ONLY: '1', DOCKER_HOST: `unix://${path.join(tmp, 'no-docker.sock')}` };
    return await editLatency(secctx, tmp, 'big-lookups.yaml', shifted, edits, {
      env,
      initializationOptions: { imageCacheDir: path.join(tmp, 'image-cache') },
      configuration: (section) => (section === 'secctx' ? { images: { lookup: 'registry' } } : null),
    });
  } finally {
    await registry.stop();
  }
}

async function main(): Promise<void> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'secctx-bench-'));
  try {
    const big = deploymentStream(1000);
    const small = deploymentStream(5);
    const heavy = deploymentStream(1000, riskyDeployment);
    const heavyFindings = new Analyzer().analyze('/heavy.yaml', heavy.text, DEFAULT_OPTIONS).findings.length;
    const workspace = path.join(tmp, 'workspace');
    const workspaceFiles: string[] = [];
    for (let i = 0; i < WORKSPACE_FILES; i++) {
      const dir = path.join(workspace, `team-${i % 20}`);
      mkdirSync(dir, { recursive: true });
      const file = path.join(dir, `svc-${i}.yaml`);
      writeFileSync(file, deployment(i));
      workspaceFiles.push(file);
    }
    const bigFile = isolated(tmp, 'big.yaml', big.text);
    const cpus = os.cpus();
    console.log(`secctx benchmark — Node ${process.version}, ${os.platform()} ${os.arch()} ${os.release()}, ${cpus[0]?.model ?? 'unknown CPU'} × ${cpus.length}, ${mb(os.totalmem())} MiB RAM`);
    console.log(`big: 1,000 Deployments, ${big.lines.toLocaleString('en')} lines, ${(big.text.length / 1e6).toFixed(2)} MB; small: 5 Deployments, ${small.lines} lines; workspace: ${WORKSPACE_FILES} one-Deployment files`);
    console.log(`heavy: 1,000 Deployments with most mistakes, ${heavy.lines.toLocaleString('en')} lines, ${heavyFindings.toLocaleString('en')} findings`);
    console.log(`edits: ${EDITS} on big, ${EDITS * 2} on small, hovers: ${HOVERS} (each after ${WARMUP} unmeasured ones), cold CLI runs: ${CLI_RUNS}; load average at start ${loadAverage()}\n`);

    const results = new Map<string, { editBig: Stats; editSmall: Stats; editHeavy: Stats; hover: Stats; hoverAnswered: boolean; rss: { rss: number; hwm: number; seconds: number } }>();
    for (const server of SERVERS) {
      process.stderr.write(`measuring ${server.name}...\n`);
      const editSmall = await editLatency(server, tmp, 'small.yaml', small, EDITS * 2);
      const editBig = await editLatency(server, tmp, 'big.yaml', big, EDITS);
      const editHeavy = await editLatency(server, tmp, 'heavy.yaml', heavy, EDITS);
      const hover = await hoverLatency(server, tmp, big, HOVERS);
      const rss = await workspaceRss(server, workspace, workspaceFiles);
      results.set(server.name, { editBig, editSmall, editHeavy, hover: hover.stats, hoverAnswered: hover.answered, rss });
    }
    const withLookups = SERVERS.some((x) => x.name === 'secctx') ? (process.stderr.write('measuring secctx with image lookups on...\n'), await editLatencyWithLookups(tmp, big, EDITS)) : undefined;
    process.stderr.write('measuring a Helm chart...\n');
    const helmServer = SERVERS.find((x) => x.name === 'secctx');
    const helm = helmServer ? await helmEditLatency(helmServer.command, path.join(tmp, 'chart'), EDITS, WARMUP, 'component') : { median: NaN, p95: NaN, n: 0, load: '' };
    const helmShared = helmServer ? await helmEditLatency(helmServer.command, path.join(tmp, 'chart-shared'), EDITS, WARMUP, 'shared') : { median: NaN, p95: NaN, n: 0, load: '' };
    process.stderr.write('measuring the Security contexts scan...\n');
    const tree = helmServer ? await treeScan(helmServer, workspace, workspaceFiles[0]) : undefined;
    process.stderr.write('measuring the CLI...\n');
    const cold = coldCli(tmp, bigFile);
    const bundles = bundleSizes();
    const secctx = SERVERS.find((x) => x.name === 'secctx');
    process.stderr.write('measuring a kustomize overlay...\n');
    const kz = secctx ? await kustomizeEditLatency(secctx.command, Number(process.env.BENCH_KUSTOMIZE_EDITS ?? 10)) : undefined;

    const unmeasured = { n: 0, median: NaN, p95: NaN };
    const none = { editBig: unmeasured, editSmall: unmeasured, editHeavy: unmeasured, hover: unmeasured, hoverAnswered: false, rss: { rss: NaN, hwm: NaN, seconds: NaN } };
    const s = results.get('secctx') ?? none;
    const y = results.get('yaml-language-server') ?? none;
    const pair = (x: Stats) => `${ms(x.median)} / ${ms(x.p95)} ms`;
    const rows: string[][] = [
      ['measure', 'secctx', 'yaml-language-server', 'target (secctx)', ''],
      ['edit→diagnostics, big (median / p95)', pair(s.editBig), pair(y.editBig), 'median ≤ 20 ms', verdict(s.editBig.median <= 20)],
      ['edit→diagnostics, heavy (median / p95)', pair(s.editHeavy), pair(y.editHeavy), 'median ≤ 40 ms', verdict(s.editHeavy.median <= 40)],
      ['edit→diagnostics, big, image lookups on (median / p95)', withLookups ? pair(withLookups) : 'not measured (no docker-registry)', '', 'as with lookups off', withLookups ? verdict(withLookups.median <= Math.max(20, s.editBig.median * 1.25)) : ''],
      ['edit→diagnostics, small (median / p95)', pair(s.editSmall), pair(y.editSmall), 'median ≤ 5 ms', verdict(s.editSmall.median <= 5)],
      ['hover on a container name, big (median / p95)', pair(s.hover) + (s.hoverAnswered ? '' : ' (null)'), pair(y.hover) + (y.hoverAnswered ? '' : ' (null)'), 'median ≤ 5 ms', verdict(s.hover.median <= 5)],
      [`RSS with ${WORKSPACE_FILES} open manifests (peak)`, `${mb(s.rss.rss)} MiB (${mb(s.rss.hwm)})`, `${mb(y.rss.rss)} MiB (${mb(y.rss.hwm)})`, '≤ 150 MiB', verdict(s.rss.rss <= 150 * 1048576)],
      [`  time to open all ${WORKSPACE_FILES} and get diagnostics`, `${s.rss.seconds.toFixed(1)} s`, `${y.rss.seconds.toFixed(1)} s`, '', ''],
      [`edit→diagnostics, values.yaml of a ${HELM_TEMPLATES}-template chart, one workload's block (median / p95)`, `${pair(helm)} (load ${helm.load})`, 'n/a', 'median ≤ 30 ms', verdict(helm.median <= 30)],
      [`  the same, a block all ${HELM_TEMPLATES} workloads use (every template re-rendered)`, `${pair(helmShared)} (load ${helmShared.load})`, 'n/a', '', ''],
    ];
    console.log(table(rows));
    if (tree) {
      console.log(`\nSecurity contexts view: the scan of the ${WORKSPACE_FILES}-file workspace streamed ${tree.entries} entries in ${tree.seconds.toFixed(1)} s; hovers on an open file meanwhile answered in ${ms(tree.hover.median)} / ${ms(tree.hover.p95)} ms (median / p95, ${tree.hover.n} hovers) — target: median ≤ 5 ms ${verdict(tree.hover.median <= 5)}`);
    }
    console.log('\nyaml-language-server waits validationDelayMs (200 ms, not a setting) before validating; its figures include that delay.');
    console.log('It publishes diagnostics without a version, so its edits are timed to the next publication for the file.\n');

    const ratioMin = cold.cli.min / cold.parse.min;
    console.log(table([
      ['cold run on big (wall, node start included)', 'min', 'median'],
      ['node dist/cli.js check big.yaml --format json', `${ms(cold.cli.min)} ms`, `${ms(cold.cli.median)} ms`],
      ['node parse-only.cjs big.yaml (yaml.parseAllDocuments)', `${ms(cold.parse.min)} ms`, `${ms(cold.parse.median)} ms`],
      ['ratio', `${ratioMin.toFixed(2)}×`, `${(cold.cli.median / cold.parse.median).toFixed(2)}×`],
    ]));
    console.log(`target: ≤ 1.5× bare parse — ${verdict(ratioMin <= 1.5)} (ratio of minima)\n`);

    if (kz) {
      const atOnce = stats(kz.atOnce);
      const aware = stats(kz.overlayAware);
      const build = stats(kz.secctxRun);
      const kubectl = stats(kz.kubectl);
      const overhead = stats(kz.overhead);
      console.log(table([
        ['editing a patch of a kustomize overlay (overlays/staging/harden.yaml)', 'median', 'p95'],
        ['edit→diagnostics of the edited file (judged alone, at once)', `${ms(atOnce.median)} ms`, `${ms(atOnce.p95)} ms`],
        ['edit→overlay-aware diagnostics (after the build)', `${ms(aware.median)} ms`, `${ms(aware.p95)} ms`],
        ['  kubectl kustomize overlays/staging (the build alone)', `${ms(kubectl.median)} ms`, `${ms(kubectl.p95)} ms`],
        ['  secctx\'s run of it (copy + wrapper with originAnnotations)', `${ms(build.median)} ms`, `${ms(build.p95)} ms`],
        ['  overlay-aware minus a run of the same build just after (paired per edit)', `${ms(overhead.median)} ms`, `${ms(overhead.p95)} ms`],
      ]));
      console.log(`target: overlay-aware ≤ build + 50 ms — ${verdict(overhead.median <= 50)} (median of the paired differences; ${kz.overlayAware.length} edits)\n`);
    }
    console.log(table([
      ['bundle', 'size'],
      ...bundles.map((b) => [b.file, `${(b.bytes / 1024).toFixed(0)} KiB (${(b.bytes / 1e6).toFixed(2)} MB)`]),
    ]));
    const server = bundles.find((b) => b.file === 'dist/server.js');
    console.log(`target: server bundle ≤ 1.5 MB — ${verdict(!!server && server.bytes <= 1.5e6)}`);
    process.stderr.write('measuring the robustness suite\'s large inputs...\n');
    console.log(`\n${table([['large input (engine, analysis + 10 hovers, 3 runs)', 'size', 'median', 'max'], ...largeInputsBench().map((r) => [r.name, `${(r.bytes / 1e6).toFixed(2)} MB`, `${ms(r.median)} ms`, `${ms(r.max)} ms`])])}`);
    if (secctx) {
      process.stderr.write('measuring heavy files...\n');
      console.log(`\nheavy files (test/bench/heavy.ts; BENCH_BASELINE_SERVER=<bundle> pairs another server's edits with these)\n${await heavyBench(heavyServers(), EDITS, WARMUP, (step) => process.stderr.write(`  ${step}\n`))}`);
    }
    process.stderr.write('measuring image facts...\n');
    console.log(`\n${await imagesBench()}`);
    console.log(`\nload average at end ${loadAverage()} (timings on a busy machine are noisy; compare runs at similar load)`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(
  () => { process.exitCode = 0; },
  (err: unknown) => { console.error(`bench crashed: ${err instanceof Error ? err.stack : String(err)}`); process.exitCode = 1; },
);
