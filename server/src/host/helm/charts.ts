/**
 * Reading Helm charts from disk: finding the chart a file belongs to, and its files (Chart.yaml,
 * values files, templates/**, charts/<subchart>/**; not values.schema.json, which cannot change a judgement:
 * see engine/helm/chart.ts). The engine gets contents only.
 * Everything here is asynchronous (fs/promises): the editor reads charts off the typing path.
 */
import * as fs from 'node:fs';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { buildChart, isChartRoot, type ChartModel } from '../../engine/helm/chart';

const MAX_FILES = 5000;
const MAX_FILE_SIZE = 2 * 1024 * 1024;

export function toSlash(p: string): string {
  return p.split('\\').join('/');
}

async function isFile(p: string): Promise<boolean> {
  try { return (await fsp.stat(p)).isFile(); } catch { return false; }
}

async function isDirectory(p: string): Promise<boolean> {
  try { return (await fsp.stat(p)).isDirectory(); } catch { return false; }
}

/** A folder is a chart with Chart.yaml, or (a partial copy) with values.yaml beside templates/. */
export async function isChartDir(dir: string): Promise<boolean> {
  if (await isFile(path.join(dir, 'Chart.yaml'))) return true;
  return (await isFile(path.join(dir, 'values.yaml'))) && isDirectory(path.join(dir, 'templates'));
}

/** The same check, synchronous, for the CLI walking folders (never on the editor's typing path). */
export function isChartFolder(dir: string): boolean {
  const file = (p: string) => { try { return fs.statSync(p).isFile(); } catch { return false; } };
  if (file(path.join(dir, 'Chart.yaml'))) return true;
  try { return file(path.join(dir, 'values.yaml')) && fs.statSync(path.join(dir, 'templates')).isDirectory(); } catch { return false; }
}

/** A values file at the chart's root (`values.yaml`, `values-prod.yaml`), by its path relative to the root. */
export function isRootValuesFile(rel: string): boolean {
  return !rel.includes('/') && rel.startsWith('values') && (rel.endsWith('.yaml') || rel.endsWith('.yml'));
}

/** Whether a path relative to the chart root is one the chart model reads. */
export function isChartInput(rel: string): boolean {
  if (!/\.(ya?ml|tpl)$/.test(rel)) return false;
  if (rel === 'Chart.yaml' || isRootValuesFile(rel)) return true;
  return rel.startsWith('templates/') || rel.includes('/templates/') || rel.startsWith('charts/');
}

/**
 * The chart root holding `file` (values*.yaml at the root, or anything under templates/), or undefined.
 * `isChart` answers per folder (the caller may cache it).
 */
export async function findChartRoot(file: string, isChart: (dir: string) => Promise<boolean> = isChartDir): Promise<string | undefined> {
  let dir = path.dirname(path.resolve(file));
  for (let i = 0; i < 6; i++) {
    if (await isChart(dir)) {
      const rel = toSlash(path.relative(dir, file));
      if (isRootValuesFile(rel) || rel.startsWith('templates/')) return toSlash(dir);
      return undefined;
    }
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return undefined;
}

/** One file of a chart: its text, or undefined when it is missing, too large or unreadable. */
export async function readChartFile(file: string): Promise<string | undefined> {
  try {
    const handle = await fsp.open(file, 'r');
    try {
      const stat = await handle.stat();
      if (!stat.isFile() || stat.size > MAX_FILE_SIZE) return undefined;
      return await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
  } catch {
    return undefined;
  }
}

/** The chart's files by `/`-path: templates and subcharts' files, values files, Chart.yaml. */
export async function readChartFiles(root: string, overlay?: ReadonlyMap<string, string>): Promise<Map<string, string>> {
  const found: string[] = [];
  const visit = async (dir: string, depth: number): Promise<void> => {
    if (found.length >= MAX_FILES || depth > 8) return;
    let entries: fs.Dirent[];
    try { entries = await fsp.readdir(dir, { withFileTypes: true }); } catch { return; }
    const subdirs: Promise<void>[] = [];
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'node_modules' && !e.name.startsWith('.')) subdirs.push(visit(p, depth + 1));
        continue;
      }
      if (e.isFile() && isChartInput(toSlash(path.relative(root, p))) && found.length < MAX_FILES) found.push(p);
    }
    await Promise.all(subdirs);
  };
  await visit(root, 0);
  const files = new Map<string, string>();
  const texts = await Promise.all(found.map((p) => readChartFile(p)));
  found.forEach((p, i) => { const text = texts[i]; if (text !== undefined) files.set(toSlash(p), text); });
  for (const [p, text] of overlay ?? []) if (p.startsWith(toSlash(root) + '/')) files.set(p, text);
  return files;
}

/** Reads and models a chart (with open editor buffers overlaid). */
export async function loadChart(root: string, overlay?: ReadonlyMap<string, string>): Promise<ChartModel | undefined> {
  const files = await readChartFiles(root, overlay);
  const r = toSlash(root);
  return isChartRoot(r, files) ? buildChart(r, files) : undefined;
}
