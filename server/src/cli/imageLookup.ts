/**
 * `check` and `explain` with `--image-lookup local|registry` (default local): the images the files
 * name are resolved (ImageFactsService.resolve: cache, Docker Engine, registry) before the findings
 * are final. A first analysis records every reference the engine asks the lookup about; after the
 * lookups, only the files one of whose images got facts are analysed again (the Analyzer's per-file
 * cache is dropped for them), so a run whose images are all unknown analyses each file once.
 */
import type { Analyzer, FileAnalysis } from '../engine/analyze';
import type { ImageFactsLookup } from '../engine/images/facts';
import type { ImageIndex } from '../engine/images/index';
import { ImageFactsService } from '../host/images/service';
import { cliImageServiceOptions, type CliLookupOptions } from './imagesCommand';

export class CliImageLookup {
  private readonly service: ImageFactsService;
  private readonly asked = new Map<string, Set<string>>();
  private current: Set<string> | undefined;
  /** What `AnalysisOptions.imageFacts` gets: the service's answers, noting who asked. */
  readonly lookup: ImageFactsLookup = (reference) => {
    this.current?.add(reference);
    return this.service.lookup(reference);
  };

  private constructor(o: CliLookupOptions, log: ((line: string) => void) | undefined) {
    this.service = new ImageFactsService(cliImageServiceOptions(o, log));
  }

  static start(o: CliLookupOptions, log?: (line: string) => void): CliImageLookup | undefined {
    return o.imageLookup === 'off' ? undefined : new CliImageLookup(o, log);
  }

  /**
   * Analyses `file` once, recording the references it names: its findings are made here (the engine analyses a
   * stream's documents when they are first read, and each asks about its images then).
   */
  record(file: string, analyse: () => FileAnalysis): FileAnalysis {
    const refs = this.asked.get(file) ?? new Set<string>();
    this.asked.set(file, refs);
    this.current = refs;
    try {
      const analysis = analyse();
      void analysis.findings;
      return analysis;
    } finally {
      this.current = undefined;
    }
  }

  /**
   * Resolves every recorded reference and the workspace Dockerfiles' FROM images, gives the index
   * the answers, and drops the analyses they change. Returns how many references got facts.
   */
  async resolve(analyzer: Analyzer, index: ImageIndex): Promise<number> {
    const bases = index.baseReferences();
    const all = [...new Set([...[...this.asked.values()].flatMap((s) => [...s]), ...bases])];
    if (!all.length) return 0;
    const answers = await this.service.resolve(all);
    const known = new Set([...answers].filter(([, a]) => 'from' in a).map(([r]) => r));
    if (!known.size) return 0;
    index.setImageFacts(this.service.lookup);
    const basesChanged = bases.some((b) => known.has(b));
    for (const [file, refs] of this.asked) if (basesChanged || [...refs].some((r) => known.has(r))) analyzer.forget(file);
    return known.size;
  }

  dispose(): void {
    this.service.dispose();
  }
}
