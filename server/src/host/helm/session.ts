/**
 * Charts as the server and the CLI use them. Finding a file's chart and reading the chart are
 * asynchronous and never on the typing path: until a chart is read, `fileAnalysis` answers undefined
 * (the caller gives the file's own analysis) and `onReady(root)` fires once the chart model is there.
 * Then each chart's files are kept: an edited buffer replaces just its file, a file changed on disk is
 * the only one read again, the model is rebuilt from cached parses, and the chart is re-judged
 * (rendered documents whose text did not change keep their analyses). One analysis per chart state
 * serves every open file of the chart.
 */
import * as path from 'node:path';
import type { FileAnalysis } from '../../engine/analyze';
import { buildChart, isChartRoot } from '../../engine/helm/chart';
import { ChartAnalyzer, type ChartAnalysis, type ValuesFile } from '../../engine/helm/analyze';
import { helmFileAnalysis } from '../../engine/helm/view';
import type { AnalysisOptions } from '../../engine/options';
import { findChartRoot, isChartDir, isChartInput, isRootValuesFile, readChartFile, readChartFiles, toSlash } from './charts';

interface ChartState {
  files: Map<string, string>;
  generation: number;
  analyzer: ChartAnalyzer;
  last?: { key: string; options: AnalysisOptions; analysis: ChartAnalysis };
}

const resolved = (p: string) => toSlash(path.resolve(p));

export class HelmCharts {
  private readonly charts = new Map<string, ChartState>();
  /** Charts being read. */
  private readonly loading = new Map<string, Promise<void>>();
  /** File → its chart root (undefined: not a chart file), once found. */
  private readonly roots = new Map<string, string | undefined>();
  private readonly rootLookups = new Map<string, Promise<string | undefined>>();
  /** Folder → whether it is a chart (shared by the lookups of every file under it). */
  private readonly chartDirs = new Map<string, Promise<boolean>>();
  /** Open editor buffers: they win over the disk. */
  private readonly buffers = new Map<string, string>();
  /** Override values files outside the chart (not open): their text, or null when unreadable. */
  private readonly external = new Map<string, string | null>();
  private readonly externalLoads = new Map<string, Promise<void>>();
  /** Bumped when an override values file's text changes on disk. */
  private externalGeneration = 0;
  /** Files whose chart is being read for `fileAnalysis` (one background read and one `onReady` each). */
  private readonly waiting = new Set<string>();
  /** Disk re-reads of single files in flight (tests and the CLI can wait on them). */
  private readonly rereads = new Set<Promise<void>>();

  /** `onReady(root)`: a chart's model is read (or changed on disk) and its files can be judged again. */
  constructor(private readonly onReady: (root: string) => void = () => undefined) {}

  /** The chart root of a file when known (undefined: not a chart file or not looked up yet). */
  knownRoot(file: string): string | undefined {
    return this.roots.get(resolved(file));
  }

  private lookupRoot(key: string): Promise<string | undefined> {
    let lookup = this.rootLookups.get(key);
    if (!lookup) {
      lookup = findChartRoot(key, (dir) => {
        let known = this.chartDirs.get(dir);
        if (!known) this.chartDirs.set(dir, (known = isChartDir(dir)));
        return known;
      }).then((root) => { this.roots.set(key, root); this.rootLookups.delete(key); return root; });
      this.rootLookups.set(key, lookup);
    }
    return lookup;
  }

  private load(root: string): Promise<void> {
    let loading = this.loading.get(root);
    if (!loading) {
      loading = readChartFiles(root).then((files) => {
        for (const [file, text] of this.buffers) if (file.startsWith(root + '/')) files.set(file, text);
        this.charts.set(root, { files, generation: 0, analyzer: new ChartAnalyzer() });
        this.loading.delete(root);
      });
      this.loading.set(root, loading);
    }
    return loading;
  }

  private loadExternal(file: string): Promise<void> {
    let loading = this.externalLoads.get(file);
    if (!loading) {
      loading = readChartFile(file).then((text) => { this.external.set(file, text ?? null); this.externalGeneration++; this.externalLoads.delete(file); });
      this.externalLoads.set(file, loading);
    }
    return loading;
  }

  /**
   * Finds the chart of `file` and reads it and the override values files outside it; resolves with the
   * root (undefined: not a chart file). The CLI awaits this; the server lets `fileAnalysis` start it.
   */
  async prepare(file: string, valuesFiles: readonly string[] = []): Promise<string | undefined> {
    if (!/\.(ya?ml|tpl)$/.test(file)) return undefined;
    const key = resolved(file);
    const root = this.roots.has(key) ? this.roots.get(key) : await this.lookupRoot(key);
    if (!root) return undefined;
    const waits: Promise<void>[] = [];
    if (!this.charts.has(root)) waits.push(this.load(root));
    for (const f of valuesFiles.map(resolved)) if (!f.startsWith(root + '/') && !this.external.has(f)) waits.push(this.loadExternal(f));
    await Promise.all(waits);
    return root;
  }

  /**
   * The root of a file that a chart already read has among its files, known without a lookup (findChartRoot's rule:
   * a root values file or a template of the nearest chart folder, with no subchart's Chart.yaml between). A template
   * opened after its values file is then judged with its chart at once, not first alone until the lookup ends.
   */
  private rootAmongRead(key: string): string | undefined {
    for (const [root, s] of this.charts) {
      if (!key.startsWith(`${root}/`) || !s.files.has(key)) continue;
      const rel = key.slice(root.length + 1);
      if (!isRootValuesFile(rel) && !rel.startsWith('templates/')) continue;
      let dir = path.posix.dirname(key);
      while (dir !== root && !s.files.has(`${dir}/Chart.yaml`)) dir = path.posix.dirname(dir);
      if (dir !== root) continue;
      this.roots.set(key, root);
      return root;
    }
    return undefined;
  }

  /** Whether everything `fileAnalysis` needs for this file is in memory. */
  private ready(key: string, valuesFiles: readonly string[]): string | undefined {
    const root = this.roots.has(key) ? this.roots.get(key) : this.rootAmongRead(key);
    if (!root || !this.charts.has(root)) return undefined;
    return valuesFiles.every((f) => f.startsWith(root + '/') || this.external.has(f)) ? root : undefined;
  }

  /** An open file changed: its text replaces the file's in the chart (the editor has it). */
  private update(root: string, file: string, text: string): void {
    const s = this.charts.get(root);
    if (!s || s.files.get(file) === text) return;
    s.files.set(file, text);
    s.generation++;
  }

  /**
   * A file changed, was created or deleted on disk (a watched-file event): a chart file that is not open
   * is read again (alone), an override values file too; a created or deleted Chart.yaml, values.yaml or
   * templates folder changes which files belong to charts. `onReady` fires for the charts it concerns.
   */
  fileChanged(file: string, created = false, deleted = false): void {
    const key = resolved(file);
    if (created || deleted) {
      const base = path.posix.basename(key);
      // A deleted folder that held a chart (or was a chart's templates/) changes roots too.
      const heldChart = deleted && [...this.charts.keys()].some((root) => root === key || root.startsWith(key + '/') || key === `${root}/templates`);
      if (base === 'Chart.yaml' || base === 'values.yaml' || base === 'templates' || heldChart) { this.roots.clear(); this.chartDirs.clear(); }
      if (heldChart) for (const root of [...this.charts.keys()]) if (root === key || root.startsWith(key + '/')) this.charts.delete(root);
    }
    if (this.external.has(key)) {
      this.external.delete(key);
      this.track(this.loadExternal(key).then(() => { for (const root of this.charts.keys()) this.onReady(root); }));
    }
    if (this.buffers.has(key)) return;
    for (const [root, s] of this.charts) {
      if (!key.startsWith(root + '/')) continue;
      if (!isChartInput(key.slice(root.length + 1))) continue;
      this.track(readChartFile(key).then((text) => {
        if (this.buffers.has(key) || this.charts.get(root) !== s) return;
        if (text === undefined ? !s.files.delete(key) : s.files.get(key) === text) return;
        if (text !== undefined) s.files.set(key, text);
        s.generation++;
        this.onReady(root);
      }));
    }
  }

  /** An open file was closed: the disk's text is the chart's again. */
  closed(file: string): void {
    const key = resolved(file);
    if (!this.buffers.delete(key)) return;
    this.fileChanged(key);
  }

  private track(p: Promise<void>): void {
    this.rereads.add(p);
    void p.finally(() => this.rereads.delete(p));
  }

  /** Resolves when the disk reads started so far have ended (for the CLI and tests). */
  async settled(): Promise<void> {
    while (this.rereads.size || this.loading.size || this.externalLoads.size || this.rootLookups.size) {
      await Promise.all([...this.rereads, ...this.loading.values(), ...this.externalLoads.values(), ...this.rootLookups.values()]);
    }
  }

  private valuesFile(key: string, s: ChartState): ValuesFile | undefined {
    const text = s.files.get(key) ?? this.external.get(key);
    return typeof text === 'string' ? { path: key, text } : undefined;
  }

  /** The chart analysis with `valuesFiles` (absolute `/`-paths) merged over the defaults, cached per chart state. */
  private analyze(root: string, valuesFiles: readonly string[], options: AnalysisOptions): ChartAnalysis | undefined {
    const s = this.charts.get(root);
    if (!s || !isChartRoot(root, s.files)) return undefined;
    const overrides = valuesFiles.map((f) => this.valuesFile(f, s)).filter((f): f is ValuesFile => !!f);
    const key = `${s.generation}\0${this.externalGeneration}\0${valuesFiles.join('\0')}`;
    if (s.last?.key === key && s.last.options === options) return s.last.analysis;
    const analysis = s.analyzer.analyze(buildChart(root, s.files), overrides, options);
    s.last = { key, options, analysis };
    return analysis;
  }

  /**
   * The analysis of a chart file (values file or template), or undefined when the file is not part of a
   * chart or its chart is not read yet (then it is read in the background and `onReady` fires). A values
   * file other than values.yaml is judged as an override over the defaults.
   */
  fileAnalysis(file: string, text: string, options: AnalysisOptions, configuredValues: readonly string[] = []): FileAnalysis | undefined {
    if (!/\.(ya?ml|tpl)$/.test(file)) return undefined;
    const key = resolved(file);
    this.buffers.set(key, text);
    const valuesFiles = configuredValues.map(resolved);
    const root = this.ready(key, valuesFiles);
    if (!root) {
      if (this.roots.has(key) && !this.roots.get(key)) this.buffers.delete(key);
      else if (!this.waiting.has(key)) {
        this.waiting.add(key);
        void this.prepare(key, valuesFiles).then((r) => {
          this.waiting.delete(key);
          if (r) this.onReady(r);
          else this.buffers.delete(key);
        }, () => this.waiting.delete(key));
      }
      return undefined;
    }
    this.update(root, key, text);
    const analysis = this.analyze(root, withOwnValues(root, key, valuesFiles), options);
    if (!analysis) return undefined;
    return helmFileAnalysis(file, text, analysis, key, options);
  }

  /**
   * How a chart file would be judged with other texts of it (fix-all's passes), from the chart as it is now,
   * which stays untouched; undefined when the file's chart is not read yet. Each call judges through an
   * analyzer of its own, so that the passes re-render only what the last one changed.
   */
  judgeWith(file: string, options: AnalysisOptions, configuredValues: readonly string[] = []): ((text: string) => FileAnalysis) | undefined {
    const key = resolved(file);
    const root = this.ready(key, configuredValues.map(resolved));
    const s = root ? this.charts.get(root) : undefined;
    if (!root || !s || !isChartRoot(root, s.files)) return undefined;
    const valuesFiles = withOwnValues(root, key, configuredValues.map(resolved));
    const files = new Map(s.files);
    const analyzer = new ChartAnalyzer();
    return (text) => {
      files.set(key, text);
      const overrides = valuesFiles.map((f) => this.valuesFile(f, { ...s, files })).filter((f): f is ValuesFile => !!f);
      return helmFileAnalysis(file, text, analyzer.analyze(buildChart(root, files), overrides, options), key, options);
    };
  }
}

/** The override files a chart is judged with for `key`: the configured ones, and `key` itself when it is a `values-….yaml` beside Chart.yaml. */
function withOwnValues(root: string, key: string, valuesFiles: readonly string[]): string[] {
  const own = /^values.+\.ya?ml$/.test(path.posix.basename(key)) && path.posix.dirname(key) === root && !valuesFiles.includes(key);
  return own ? [...valuesFiles, key] : [...valuesFiles];
}
