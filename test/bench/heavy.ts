/**
 * Heavy files (issue 14): edit→publishDiagnostics over stdio against the built server on
 * - the heavy stream: 1,000 Deployments with most mistakes (~40k lines, ~13k findings), and a stream of the same
 *   length built by repeating the real corpus documents that have findings;
 * - real corpus files (Argo CD's 34k-line install.yaml, Calico, the Tailscale operator, Online Boutique…);
 * - a 4.9 MB manifest stream: didOpen→first diagnostics, then edits.
 * Each edit toggles one value (so every edit changes the text, and the server must publish), timed from didChange to
 * the publication of that version. With several servers (BENCH_BASELINE_SERVER), edits alternate between them, one
 * each in turn, so that machine noise hits both alike: a paired before/after.
 *
 * Run alone: `node --import tsx test/bench/heavy.ts` (after `npm run build`); `npm run bench` runs it too.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { LspClient, type LspServerCommand } from '../support/lsp-client';
import { sharedPath } from '../support/shared';
import { deploymentStream, riskyDeployment } from './manifests';
import { Analyzer } from '../../server/src/engine/analyze';
import { DEFAULT_OPTIONS } from '../../server/src/engine/options';
import { KUBERNETES_YAML, splitYamlDocuments } from '../../server/src/engine/yaml/documents';
import { parseAllDocuments } from 'yaml';

const ROOT = path.resolve(__dirname, '..', '..');

/** A file to measure and the value each edit toggles (`from` ↔ `to` at `offset`). */
export interface HeavyCase {
  readonly name: string;
  readonly text: string;
  readonly offset: number;
  readonly from: string;
  readonly to: string;
}

export interface Stats {
  readonly median: number;
  readonly p95: number;
  readonly n: number;
}

export function stats(samples: readonly number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
  return { median: rank(0.5), p95: rank(0.95), n: sorted.length };
}

export interface NamedServer {
  readonly name: string;
  readonly command: LspServerCommand;
}

export interface CaseResult {
  readonly server: string;
  /** didOpen → first publication (a long stream's first publication holds the documents analysed so far). */
  readonly openMs: number;
  /** didOpen → the publication with every finding. */
  readonly completeMs: number;
  /** A hover in the middle of the file, sent right after didOpen: how long it waited for its answer. */
  readonly hoverMs: number;
  readonly edit: Stats;
  /** The server's CPU time (user + system, /proc) per measured edit: less noisy than wall time on a busy machine. */
  readonly cpuPerEdit: number;
  /** JSON size of the last publication's params. */
  readonly publishBytes: number;
  /**
   * What JSON alone costs one publication, median of 5 in this process: stringify it, make its UTF-8 bytes, decode and
   * parse them back (what the server's encoder and the client's reader do at the least): no edit can publish faster.
   */
  readonly jsonFloorMs: number;
  readonly diagnostics: number;
}

/** User + system CPU time of a process so far, in ms (Linux /proc; NaN elsewhere). */
function cpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return NaN;
  }
}

function positionAt(text: string, offset: number): { line: number; character: number } {
  let line = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return { line, character: offset - (text.lastIndexOf('\n', offset - 1) + 1) };
}

/**
 * Opens `c` in every server (one after the other), then makes `edits` (+ `warmup` unmeasured) edits, each server's
 * in turn (the order alternates per round).
 */
export async function measureCase(servers: readonly NamedServer[], c: HeavyCase, edits: number, warmup: number, tmp: string, findings = findingsOf(c)): Promise<CaseResult[]> {
  const dir = path.join(tmp, c.name.replace(/\W/g, '-'));
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, c.name);
  writeFileSync(file, c.text);
  const uri = pathToFileURL(file).href;
  const position = positionAt(c.text, c.offset);
  const opened: { server: NamedServer; client: LspClient; openMs: number; completeMs: number; hoverMs: number; current: string; samples: number[]; cpu: number }[] = [];
  try {
    for (const server of servers) {
      const client = await LspClient.start(server.command, { rootUri: pathToFileURL(dir).href, timeoutMs: 60_000 });
      opened.push({ server, client, openMs: NaN, completeMs: NaN, hoverMs: NaN, current: c.from, samples: [], cpu: 0 });
    }
    for (const o of opened) {
      const sent = performance.now();
      const mark = o.client.mark();
      await o.client.open(uri, c.text, 1);
      const hovered = o.client.request('textDocument/hover', { textDocument: { uri }, position }, 120_000).then(() => performance.now() - sent);
      o.openMs = (await o.client.waitForDiagnostics(uri, 1, 120_000, mark)).receivedAt - sent;
      o.completeMs = (await o.client.waitForDiagnosticsMatching(uri, (d) => d.version === 1 && d.diagnostics.length === findings, 120_000, mark)).receivedAt - sent;
      o.hoverMs = await hovered;
    }
    for (let i = 0; i < edits + warmup; i++) {
      if (i === warmup) for (const o of opened) o.cpu = cpuMs(o.client.pid);
      const order = i % 2 === 0 ? opened : [...opened].reverse();
      for (const o of order) {
        const next = o.current === c.from ? c.to : c.from;
        const version = i + 2;
        const range = { start: position, end: { line: position.line, character: position.character + o.current.length } };
        const sent = performance.now();
        await o.client.change(uri, version, [{ range, text: next }]);
        const received = await o.client.waitForDiagnostics(uri, version, 120_000);
        if (i >= warmup) o.samples.push(received.receivedAt - sent);
        o.current = next;
      }
    }
    for (const o of opened) o.cpu = cpuMs(o.client.pid) - o.cpu;
    return opened.map((o) => {
      const last = o.client.diagnostics(uri)?.params;
      return { server: o.server.name, openMs: o.openMs, completeMs: o.completeMs, hoverMs: o.hoverMs, edit: stats(o.samples), cpuPerEdit: o.cpu / Math.max(1, edits), publishBytes: last ? Buffer.byteLength(JSON.stringify(last)) : 0, jsonFloorMs: last ? jsonFloor(last) : 0, diagnostics: last?.diagnostics.length ?? 0 };
    });
  } finally {
    for (const o of opened) await o.client.shutdown();
  }
}

function jsonFloor(params: unknown): number {
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    JSON.parse(Buffer.from(JSON.stringify(params), 'utf8').toString('utf8'));
    samples.push(performance.now() - start);
  }
  return stats(samples).median;
}

/** The synthetic heavy stream: 1,000 Deployments with most mistakes; edits flip the middle one's runAsUser to 0 and back. */
export function syntheticHeavy(): HeavyCase {
  const heavy = deploymentStream(1000, riskyDeployment);
  return { name: 'heavy.yaml', text: heavy.text, offset: heavy.middleRunAsUser.offset, from: heavy.middleRunAsUser.text, to: '0' };
}

/** A stream of about `bytes` of ordinary Deployments (a share with mistakes); edits flip the middle one's runAsUser. */
export function bigStream(bytes: number): HeavyCase {
  const perDeployment = deploymentStream(10).text.length / 10;
  const s = deploymentStream(Math.round(bytes / perDeployment));
  return { name: 'stream-4.9mb.yaml', text: s.text, offset: s.middleRunAsUser.offset, from: s.middleRunAsUser.text, to: '0' };
}

/** The edit for a real file: the middle `name:` value (a label, a container, a port) gets an `x` typed after it, then loses it. */
function middleNameEdit(name: string, text: string): HeavyCase | undefined {
  const names = [...text.matchAll(/^[ \t]*(?:- )?name: ([\w.-]+)[ \t]*$/gm)];
  const m = names[Math.floor(names.length / 2)];
  if (!m || m.index === undefined) return undefined;
  const offset = m.index + m[0].indexOf(m[1]) + m[1].length;
  return { name, text, offset, from: '', to: 'x' };
}

function corpusFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...corpusFiles(p));
    else if (/\.ya?ml$/.test(e.name)) out.push(p);
  }
  return out;
}

/** Real manifests of the corpus, by size: the largest multi-document streams and a few single workloads. */
const REAL_FILES = [
  'argoproj__argo-cd/manifests/install.yaml',
  'projectcalico__calico/manifests/calico.yaml',
  'tailscale__tailscale/cmd/k8s-operator/deploy/manifests/operator.yaml',
  'GoogleCloudPlatform__microservices-demo/release/kubernetes-manifests.yaml',
  'kubernetes-csi__csi-driver-host-path/deploy/kubernetes-1.34/hostpath/csi-hostpath-plugin.yaml',
  'falcosecurity__deploy-kubernetes/kubernetes/falco/templates/daemonset.yaml',
];

export function realCases(): HeavyCase[] {
  return REAL_FILES.flatMap((rel) => {
    const c = middleNameEdit(path.basename(rel), readFileSync(sharedPath('corpus', rel), 'utf8'));
    return c ? [{ ...c, name: `${rel.split('/')[0].split('__')[1]}-${c.name}` }] : [];
  });
}

/**
 * About `lines` lines of real corpus documents: every Kubernetes document of the corpus that has findings (plain
 * manifests, not Helm templates), repeated in order with `-<copy>` appended to its first `name:` so that no two are
 * the same text. Edits toggle an `x` on the middle document's name.
 */
export function corpusHeavy(lines: number): HeavyCase {
  const analyzer = new Analyzer();
  const documents: string[] = [];
  for (const file of corpusFiles(sharedPath('corpus'))) {
    const text = readFileSync(file, 'utf8');
    if (text.includes('{{')) continue;
    const analysis = analyzer.analyze(file, text, DEFAULT_OPTIONS);
    if (analysis.kind !== 'kubernetes' || analysis.helm) continue;
    for (const chunk of splitYamlDocuments(text)) {
      const body = chunk.text.replace(/^---[^\n]*\n/, '').replace(/\n*$/, '\n');
      if (!/^kind: /m.test(body) || !/^ +name: [\w.-]+$/m.test(body)) continue;
      if (new Analyzer().analyze('/doc.yaml', body, DEFAULT_OPTIONS).findings.length) documents.push(body);
    }
  }
  const parts: string[] = [];
  let count = 0;
  for (let copy = 0; count < lines; copy++) {
    for (const doc of documents) {
      const renamed = doc.replace(/^( +name: [\w.-]+)$/m, `$1-${copy}`);
      parts.push(renamed);
      count += renamed.split('\n').length;
      if (count >= lines) break;
    }
  }
  const middle = Math.floor(parts.length / 2);
  const before = parts.slice(0, middle).join('---\n') + '---\n';
  const m = /^ +name: ([\w.-]+)$/m.exec(parts[middle]);
  if (!m) throw new Error('corpus document without a name');
  const offset = before.length + m.index + m[0].length;
  return { name: 'corpus-heavy.yaml', text: parts.join('---\n'), offset, from: '', to: 'x' };
}

export function findingsOf(c: HeavyCase): number {
  return new Analyzer().analyze(`/${c.name}`, c.text, DEFAULT_OPTIONS).findings.length;
}

const ms = (x: number) => (x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0));
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');
const verdict = (ok: boolean) => (ok ? 'meets target' : 'MISSES target');

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0].map((_, col) => Math.max(...rows.map((r) => r[col].length)));
  return rows.map((r) => r.map((cell, col) => cell.padEnd(widths[col])).join('  ').trimEnd()).join('\n');
}

/** The servers to compare: secctx's bundle (BENCH_SECCTX_SERVER or dist/server.js) and, with BENCH_BASELINE_SERVER, another one. */
export function heavyServers(): NamedServer[] {
  const server = (file: string): LspServerCommand => ({ command: process.execPath, args: [path.resolve(file), '--stdio'] });
  const current = { name: 'secctx', command: server(process.env.BENCH_SECCTX_SERVER ?? path.join(ROOT, 'dist/server.js')) };
  const baseline = process.env.BENCH_BASELINE_SERVER;
  return baseline ? [{ name: 'baseline', command: server(baseline) }, current] : [current];
}

/** Every heavy-file measure, as printable tables; `progress` names each step (on stderr). */
export async function heavyBench(servers: readonly NamedServer[], edits: number, warmup: number, progress: (s: string) => void = () => undefined): Promise<string> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'secctx-heavy-'));
  const only = process.env.BENCH_HEAVY_ONLY?.split(',');
  const want = (key: string) => !only || only.includes(key);
  try {
    const out: string[] = [];
    const rows: string[][] = [['file', 'server', 'lines', 'findings', 'publish', 'open: first / all', 'hover while opening', 'edit median / p95', 'JSON floor', 'server CPU / edit', 'load (1 min)', 'target', '']];
    const run = async (key: string, c: HeavyCase, target: string, ok: (r: CaseResult) => boolean, n = edits) => {
      if (!want(key)) return;
      progress(`measuring ${c.name}...`);
      const lines = c.text.split('\n').length - 1;
      const findings = findingsOf(c);
      const results = await measureCase(servers, c, n, warmup, tmp, findings);
      const loadNow = os.loadavg()[0].toFixed(2);
      for (const r of results) {
        rows.push([c.name, r.server, lines.toLocaleString('en'), findings.toLocaleString('en'), `${(r.publishBytes / 1e6).toFixed(2)} MB`, `${ms(r.openMs)} / ${ms(r.completeMs)} ms`, `${ms(r.hoverMs)} ms`, `${ms(r.edit.median)} / ${ms(r.edit.p95)} ms`, `${ms(r.jsonFloorMs)} ms`, `${ms(r.cpuPerEdit)} ms`, loadNow, target, verdict(ok(r))]);
      }
    };
    await run('heavy', syntheticHeavy(), 'median ≤ 40 ms', (r) => r.edit.median <= 40);
    await run('corpus-heavy', corpusHeavy(39_000), 'median ≤ 40 ms', (r) => r.edit.median <= 40);
    for (const c of realCases()) await run('real', c, 'median ≤ 20 ms', (r) => r.edit.median <= 20);
    const stream = bigStream(4.9e6);
    await run('stream', stream, 'first diagnostics < 2 s, edit < 100 ms', (r) => r.openMs < 2000 && r.edit.median < 100, Math.max(10, Math.round(edits / 2)));
    out.push(table(rows));
    if (want('stream')) {
      const start = performance.now();
      parseAllDocuments(stream.text, KUBERNETES_YAML);
      out.push(`${stream.name}: yaml's parseAllDocuments alone takes ${ms(performance.now() - start)} ms in this process, the least a complete first analysis of it costs.`);
    }
    out.push(`publish: the JSON size of one publishDiagnostics; open: didOpen → first publication / the publication with every finding (a long stream is published as its documents are analysed); hover while opening: a hover in the middle of the file sent right after didOpen, until its answer; JSON floor: stringify, encode, decode and parse of one publication in this process (median of 5), the least any edit's publication costs; edit: didChange → its publication, ${edits} edits per file after ${warmup} unmeasured ones${servers.length > 1 ? ', servers alternating edit by edit' : ''}; server CPU: user + system time of the server process over the measured edits, divided by their number (10 ms clock ticks).`);
    return out.join('\n');
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const edits = Number(process.env.BENCH_EDITS ?? 50);
  console.log(`heavy files — Node ${process.version}, ${os.cpus().length} CPUs; load average at start ${load()}`);
  heavyBench(heavyServers(), edits, 10, (s) => process.stderr.write(`${s}\n`)).then(
    (text) => console.log(`${text}\nload average at end ${load()}`),
    (err: unknown) => { console.error(`bench crashed: ${err instanceof Error ? err.stack : String(err)}`); process.exitCode = 1; },
  );
}
