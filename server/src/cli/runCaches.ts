/**
 * What the passes of one CLI run share. `check --fix` analyses twice: once to fix, once afresh over what the fixes
 * wrote (cli/inputs.ts). Between the two only the written files change, so:
 * - kustomize builds are kept by the content of every input (host/kustomize/service.ts): a build none of whose
 *   files a fix touched is not run again, one whose inputs changed is;
 * - image answers cannot change within one run: the second pass asks the service that already holds them
 *   (its failures are kept as long as they are within its failure TTL, minutes; a run is seconds).
 */
import type { AnalysisOptions } from '../engine/options';
import { KustomizeService } from '../host/kustomize/service';
import { CliImageLookup } from './imageLookup';
import type { CliLookupOptions } from './imagesCommand';

export class RunCaches {
  readonly kustomize = new KustomizeService();
  private readonly buildOptions = new Map<string, AnalysisOptions>();
  private readonly lookups = new Map<string, CliImageLookup | undefined>();

  /**
   * The same object for equal build options: the build cache holds a judgement for the options object it was made
   * with. Build options are plain data (no image resolver or facts lookup); any others are returned as they are.
   */
  optionsForBuild(options: AnalysisOptions): AnalysisOptions {
    if (options.images || options.imageFacts) return options;
    const key = JSON.stringify(options);
    const known = this.buildOptions.get(key);
    if (known) return known;
    this.buildOptions.set(key, options);
    return options;
  }

  /** One image lookup per lookup options for the whole run; undefined when lookups are off. */
  imageLookup(o: CliLookupOptions): CliImageLookup | undefined {
    const key = JSON.stringify([o.imageLookup, o.platform, o.layerBudget]);
    if (!this.lookups.has(key)) this.lookups.set(key, CliImageLookup.start(o));
    return this.lookups.get(key);
  }

  dispose(): void {
    for (const lookup of this.lookups.values()) lookup?.dispose();
    this.lookups.clear();
  }
}
