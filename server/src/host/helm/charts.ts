/**
 * Reading Helm charts from disk: finding the chart a file belongs to, and its files (Chart.yaml,
 * values files, values.schema.json, templates/**, charts/<subchart>/**). The engine gets contents only.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildChart, isChartRoot, type ChartModel } from '../../engine/helm/chart';

const MAX_FILES = 5000;
const MAX_FILE_SIZE = 2 * 1024 * 1024;

function toSlash(p: string): string {
  return p.replace(/\\/g, '/');
}

function isChartDir(dir: string): boolean {
  if (fs.existsSync(path.join(dir, 'Chart.yaml'))) return true;
  return fs.existsSync(path.join(dir, 'values.yaml')) && isDirectory(path.join(dir, 'templates'));
}

function isDirectory(p: string): boolean {
  try { return fs.statSync(p).isDirectory(); } catch { return false; }
}

/** The chart root holding `file` (values*.yaml at the root, or anything under templates/), or undefined. */
export function findChartRoot(file: string): string | undefined {
  let dir = path.dirname(path.resolve(file));
  for (let i = 0; i < 6; i++) {
    if (isChartDir(dir)) {
      const rel = toSlash(path.relative(dir, file));
      if (/^values[^/]*\.ya?ml$/.test(rel) || rel.startsWith('templates/')) return toSlash(dir);
      return undefined;
    }
    const up = path.dirname(dir);
    if (up === dir || path.basename(dir) === 'charts' && false) break;
    dir = up;
  }
  return undefined;
}

/** Whether a folder is a chart (for the CLI walking folders). */
export function isChartFolder(dir: string): boolean {
  return isChartDir(dir);
}

/** The chart's files by `/`-path: templates and subcharts' files, values files, Chart.yaml, schema. */
export function readChartFiles(root: string, overlay?: ReadonlyMap<string, string>): Map<string, string> {
  const files = new Map<string, string>();
  const visit = (dir: string, depth: number) => {
    if (files.size >= MAX_FILES || depth > 8) return;
    let entries: fs.Dirent[];
    try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { return; }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
        visit(p, depth + 1);
        continue;
      }
      if (!e.isFile() || !/\.(ya?ml|tpl|json)$/.test(e.name)) continue;
      const rel = toSlash(path.relative(root, p));
      if (!/^(Chart\.yaml|values[^/]*\.ya?ml|values\.schema\.json)$/.test(rel) && !/(^|\/)templates\//.test(rel) && !/^charts\//.test(rel)) continue;
      try {
        if (fs.statSync(p).size > MAX_FILE_SIZE) continue;
        files.set(toSlash(p), fs.readFileSync(p, 'utf8'));
      } catch { /* unreadable: skipped */ }
    }
  };
  visit(root, 0);
  for (const [p, text] of overlay ?? []) if (p.startsWith(toSlash(root) + '/')) files.set(p, text);
  return files;
}

/** Reads and models a chart (with open editor buffers overlaid). */
export function loadChart(root: string, overlay?: ReadonlyMap<string, string>): ChartModel | undefined {
  const files = readChartFiles(root, overlay);
  const r = toSlash(root);
  return isChartRoot(r, files) ? buildChart(r, files) : undefined;
}
