/**
 * Image lookups for the language server: owns the image-facts service (host/images) for the current
 * settings, asks it in the background about the images of analysed documents, and tells the server
 * which references got an answer. Never awaited on the typing path: `request` only queues work.
 */
import type { Connection } from 'vscode-languageserver';
import type { ImageFactsLookup } from '../engine/images/facts';
import { ImageFactsService } from '../host/images/service';
import type { ImageSettings } from './settings';

/** Unknown references at once that make a lookup batch worth a progress notification. */
const PROGRESS_THRESHOLD = 5;

export class ImageLookups {
  private service: ImageFactsService | undefined;
  private key = '';
  private subscription: { dispose(): void } | undefined;
  /** References asked about and not answered yet, for the progress notification. */
  private readonly pending = new Set<string>();
  private progress: Promise<{ report(message: string): void; done(): void } | undefined> | undefined;
  private answered = 0;

  constructor(
    private readonly connection: Connection,
    private readonly log: (line: string) => void,
    private readonly resolved: (references: readonly string[]) => void,
  ) {}

  /** The synchronous view the engine reads (`AnalysisOptions.imageFacts`); undefined when lookups are off. */
  get lookup(): ImageFactsLookup | undefined {
    return this.service?.lookup;
  }

  /**
   * (Re)creates the service when the settings that shape it change. Untrusted workspaces look nothing
   * up: no network, no Docker socket. Returns whether the lookup changed.
   */
  configure(settings: ImageSettings, trusted: boolean, cacheDir: string | undefined): boolean {
    const mode = trusted ? settings.lookup : 'off';
    const key = JSON.stringify([mode, settings.platform, settings.layerBudget, cacheDir]);
    if (key === this.key) return false;
    this.key = key;
    this.dispose();
    if (mode === 'off') {
      this.log(`image lookup is off${trusted ? '' : ' (untrusted workspace)'}`);
      return true;
    }
    this.service = new ImageFactsService({
      mode,
      trusted,
      ...(settings.platform ? { platform: settings.platform } : {}),
      ...(settings.layerBudget ? { layerBudget: settings.layerBudget } : {}),
      ...(cacheDir ? { cacheDir } : {}),
      log: (line) => this.log(line),
    });
    this.subscription = this.service.onDidResolve((references) => this.onResolved(references));
    this.log(`image lookup: ${mode}${settings.platform ? `, platform ${settings.platform}` : ''}${cacheDir ? `, cache ${cacheDir}` : ''}`);
    return true;
  }

  /** Queues lookups of references whose facts are not known yet; returns at once. */
  request(references: readonly string[]): void {
    const service = this.service;
    if (!service || !references.length) return;
    const unknown = references.filter((r) => service.lookup(r) === undefined && !this.pending.has(r));
    if (!unknown.length) return;
    for (const r of unknown) this.pending.add(r);
    if (this.pending.size >= PROGRESS_THRESHOLD) this.beginProgress();
    service.request(unknown);
  }

  private onResolved(references: readonly string[]): void {
    for (const r of references) if (this.pending.delete(r)) this.answered++;
    void this.progress?.then((p) => {
      if (!p) return;
      if (this.pending.size === 0) {
        p.done();
        this.progress = undefined;
        this.answered = 0;
      } else p.report(`${this.answered} looked up, ${this.pending.size} to go`);
    });
    this.resolved(references);
  }

  private beginProgress(): void {
    if (this.progress) return;
    this.progress = this.connection.window.createWorkDoneProgress().then((p) => {
      p.begin('secctx: looking up images', undefined, `${this.pending.size} images`, false);
      return p;
    }, () => undefined);
  }

  dispose(): void {
    this.subscription?.dispose();
    this.subscription = undefined;
    this.service?.dispose();
    this.service = undefined;
    this.pending.clear();
    void this.progress?.then((p) => p?.done());
    this.progress = undefined;
  }
}
