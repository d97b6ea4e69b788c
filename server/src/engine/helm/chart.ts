/**
 * The chart model, from file contents passed in (reading them is the host's job): Chart.yaml,
 * values.yaml, templates/** (.yaml, .yml, .tpl) with their named templates,
 * subcharts in charts/ and library charts. Parsed templates are cached by text, so re-reading a chart
 * after one file changed re-parses only that file.
 */
import { parseDocument, type Document } from 'yaml';
import { parseTemplate, type Define, type ParsedTemplate } from './template';
import { parseValues, type ParsedValues, type VMap, type ValuesProblem } from './values';

/** A chart's files: absolute (or chart-relative) path → text. Paths use `/`. */
export type ChartFiles = ReadonlyMap<string, string>;

export interface TemplateFile {
  readonly path: string;
  readonly text: string;
  readonly parsed: ParsedTemplate;
  /** Partials (`_helpers.tpl`) and .tpl files only define; the others are rendered. */
  readonly rendered: boolean;
}

export interface Dependency {
  readonly name: string;
  readonly alias?: string;
  readonly condition?: string;
}

export interface ChartModel {
  readonly root: string;
  /** False for a folder that is a chart only by values.yaml beside templates/ (no Chart.yaml: maybe a partial copy). */
  readonly hasChartYaml: boolean;
  readonly name: string;
  readonly version: string;
  readonly appVersion?: string;
  readonly type: 'application' | 'library';
  readonly valuesPath: string;
  readonly valuesText: string;
  readonly defaults: VMap;
  readonly valuesProblems: readonly ValuesProblem[];
  readonly templates: readonly TemplateFile[];
  readonly subcharts: readonly ChartModel[];
  readonly dependencies: readonly Dependency[];
}

export function joinPath(dir: string, name: string): string {
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

const parsedCache = new Map<string, { text: string; parsed: ParsedTemplate }>();
const valuesCache = new Map<string, { text: string; parsed: ParsedValues }>();

export function parseTemplateCached(path: string, text: string): ParsedTemplate {
  const hit = parsedCache.get(path);
  if (hit && hit.text === text) return hit.parsed;
  const parsed = parseTemplate(text);
  parsedCache.set(path, { text, parsed });
  if (parsedCache.size > 5000) parsedCache.delete(parsedCache.keys().next().value as string);
  return parsed;
}

/** A values file parsed once per text: its values with provenance and its YAML document (for fixes, hovers, hints). */
export function parseValuesCached(path: string, text: string): ParsedValues {
  const hit = valuesCache.get(path);
  if (hit && hit.text === text) return hit.parsed;
  const parsed = parseValues(text, path);
  valuesCache.set(path, { text, parsed });
  if (valuesCache.size > 500) valuesCache.delete(valuesCache.keys().next().value as string);
  return parsed;
}

type ChartMeta = { name?: string; version?: string; appVersion?: string; type?: string; dependencies: Dependency[] };
const metaCache = new Map<string, ChartMeta>();

/** Chart.yaml's fields, parsed once per text. */
function chartMeta(text: string | undefined): ChartMeta {
  if (!text) return { dependencies: [] };
  let meta = metaCache.get(text);
  if (!meta) {
    meta = readChartMeta(text);
    if (metaCache.size > 200) metaCache.clear();
    metaCache.set(text, meta);
  }
  return meta;
}

function readChartMeta(text: string): ChartMeta {
  const doc = parseDocument(text, { prettyErrors: false, strict: false }).toJSON() as Record<string, unknown> | null;
  const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined);
  const deps = Array.isArray(doc?.dependencies) ? (doc?.dependencies as Record<string, unknown>[]) : [];
  return {
    name: str(doc?.name),
    version: str(doc?.version),
    appVersion: str(doc?.appVersion),
    type: str(doc?.type),
    dependencies: deps.filter((d) => d && typeof d === 'object' && typeof d.name === 'string').map((d) => ({ name: d.name as string, alias: str(d.alias), condition: str(d.condition) })),
  };
}

/** The key a parent's values hold a subchart's under: its dependency's alias, else its name (Helm's `coalesceDeps`). */
export function subchartKey(parent: ChartModel, sub: ChartModel): string {
  return parent.dependencies.find((d) => d.name === sub.name)?.alias ?? sub.name;
}

/** A chart or subchart with the keys its values sit under in the root chart's values (`[]` for the root). */
export interface ChartScope {
  readonly model: ChartModel;
  readonly prefix: readonly string[];
}

/** The root chart and every subchart below it, each with its key path (`subchartKey` at each level). */
export function chartScopes(root: ChartModel): ChartScope[] {
  const out: ChartScope[] = [];
  const visit = (model: ChartModel, prefix: readonly string[]) => {
    out.push({ model, prefix });
    for (const sub of model.subcharts) visit(sub, [...prefix, subchartKey(model, sub)]);
  };
  visit(root, []);
  return out;
}

/** The key path a values file's keys sit under in the root's values: a subchart's values.yaml its scope's, any other file `[]`. */
export function valuesPrefixOf(root: ChartModel, file: string): readonly string[] {
  return chartScopes(root).find((s) => s.model.valuesPath === file)?.prefix ?? [];
}

/** True when a folder's file list makes it a chart: Chart.yaml, or values.yaml beside templates/. */
export function isChartRoot(root: string, files: ChartFiles): boolean {
  if (files.has(joinPath(root, 'Chart.yaml'))) return true;
  if (!files.has(joinPath(root, 'values.yaml'))) return false;
  const prefix = joinPath(root, 'templates/');
  for (const k of files.keys()) if (k.startsWith(prefix)) return true;
  return false;
}

export function buildChart(root: string, files: ChartFiles): ChartModel {
  const meta = chartMeta(files.get(joinPath(root, 'Chart.yaml')));
  const valuesPath = joinPath(root, 'values.yaml');
  const valuesText = files.get(valuesPath) ?? '';
  const { values, problems } = parseValuesCached(valuesPath, valuesText);
  // values.schema.json is not read: Helm only validates values against it (chartutil ValidateAgainstSchema),
  // never fills defaults or converts types from it, so it cannot change what the templates render.
  const templatesDir = joinPath(root, 'templates/');
  const chartsDir = joinPath(root, 'charts/');
  const templates: TemplateFile[] = [];
  const subRoots = new Set<string>();
  for (const [path, text] of files) {
    if (path.startsWith(templatesDir) && /\.(ya?ml|tpl)$/.test(path)) {
      const base = path.slice(path.lastIndexOf('/') + 1);
      templates.push({ path, text, parsed: parseTemplateCached(path, text), rendered: !base.startsWith('_') && !/\.tpl$/.test(base) });
    } else if (path.startsWith(chartsDir)) {
      const rest = path.slice(chartsDir.length);
      const slash = rest.indexOf('/');
      if (slash > 0) subRoots.add(joinPath(chartsDir, rest.slice(0, slash)));
    }
  }
  templates.sort((a, b) => (a.path < b.path ? -1 : 1));
  const subcharts = [...subRoots].sort().filter((r) => isChartRoot(r, files)).map((r) => buildChart(r, files));
  let end = root.length;
  while (end > 0 && root[end - 1] === '/') end--;
  const name = meta.name ?? (root.slice(0, end).split('/').pop() || 'chart');
  return {
    root, hasChartYaml: files.has(joinPath(root, 'Chart.yaml')), name, version: meta.version ?? '0.1.0', appVersion: meta.appVersion,
    type: meta.type === 'library' ? 'library' : 'application',
    valuesPath, valuesText, defaults: values, valuesProblems: problems,
    templates, subcharts, dependencies: meta.dependencies,
  };
}

/** Every named template of a chart and its subcharts (Helm shares them across the whole tree). */
export function collectDefines(chart: ChartModel, into = new Map<string, { define: Define; file: string }>()): Map<string, { define: Define; file: string }> {
  for (const sub of chart.subcharts) collectDefines(sub, into);
  // The parent's definitions win over a subchart's of the same name (loaded last in engine.go's sort).
  for (const t of chart.templates) for (const d of t.parsed.defines) into.set(d.name, { define: d, file: t.path });
  return into;
}
