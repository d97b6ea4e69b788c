/**
 * The image-facts service: what the language server and the CLI call. Lookups run in the
 * background, deduplicated (one per normalised reference), at most `concurrency` at once, and
 * never throw; the engine reads what is known through the synchronous `lookup`.
 *
 * Order, first answer wins: the on-disk cache → the local Docker engine's socket (modes `local`
 * and `registry`) → the image's registry (mode `registry`). Mode `off` looks nothing up. A failure
 * is remembered for a while (`failureTtlMs`) so that nothing is retried in a tight loop.
 */
import type { ImageAccounts, ImageFacts, ImageFactsFailure, ImageFactsLookup, ImageFactsSource } from '../../engine/images/facts';
import { parseNormalizedReference, type NormalizedReference } from '../../engine/images/normalize';
import { ImageCache, type CachedImage } from './cache';
import { credentialFor } from './credentials';
import { findDockerSocket, inspectLocalImage, type DockerSocket, type LocalImage } from './dockerEngine';
import { exportedAccounts } from './dockerExport';
import { formatPlatform, parsePlatform, type Platform } from './platform';
import { RegistryClient, RegistryFailure } from './registry';

export interface ImageFactsServiceOptions {
  mode: 'registry' | 'local' | 'off';
  /** `os/arch[/variant]`, default `linux/amd64`. */
  platform?: string;
  /** Compressed layer bytes read per image to find /etc/passwd and /etc/group (default 64 MiB). */
  layerBudget?: number;
  /** Cache directory (default `$XDG_CACHE_HOME/secctx` or `~/.cache/secctx`). */
  cacheDir?: string;
  /** Credential helpers run only when true (trusted workspace, CLI). */
  trusted: boolean;
  /** `unix:///path/to/docker.sock` (default DOCKER_HOST, then the usual sockets). */
  dockerHost?: string;
  /** Docker's config directory or config.json (default DOCKER_CONFIG or ~/.docker). */
  dockerConfig?: string;
  /** Registries (`host[:port]`) that may be spoken to in plain HTTP besides loopback ones. */
  insecureRegistries?: readonly string[];
  /** Deadline of one whole lookup (default 30 s). */
  timeoutMs?: number;
  /** Lookups at once (default 6). */
  concurrency?: number;
  log?: (line: string) => void;
  now?: () => number;
  // Additions beyond the agreed interface (optional, defaults shown):
  /** Docker's per-registry CA directory, `<dir>/<host:port>/*.crt` (default /etc/docker/certs.d). */
  certsDir?: string;
  /** How long a tag → digest cache entry is believed (default 24 h). */
  tagTtlMs?: number;
  /** How long a failure is remembered before a new request() tries again (default 5 min). */
  failureTtlMs?: number;
}

export const DEFAULT_LAYER_BUDGET = 64 * 1024 * 1024;
/** The engine's export is uncompressed: layers usually compress 2–4×, so it gets this many layer budgets. */
const EXPORT_BUDGET_FACTOR = 4;
const DEFAULT_TIMEOUT_MS = 30_000;

type Outcome = { readonly kind: 'facts'; readonly facts: Omit<ImageFacts, 'reference'> } | { readonly kind: 'failure'; readonly reason: string; readonly at: number };

function isFailure(x: ImageFacts | ImageFactsFailure): x is ImageFactsFailure {
  return 'reason' in x && !('user' in x);
}

export class ImageFactsService {
  readonly lookup: ImageFactsLookup;
  private readonly platform: Platform;
  private readonly platformText: string;
  private readonly platformProblem: string | undefined;
  private readonly now: () => number;
  private readonly cache: ImageCache | undefined;
  private readonly registry: RegistryClient | undefined;
  private readonly outcomes = new Map<string, Outcome>();
  private readonly inflight = new Map<string, Promise<Outcome>>();
  private readonly waiting: NormalizedReference[] = [];
  private readonly spellings = new Map<string, Set<string>>();
  private readonly parsed = new Map<string, ReturnType<typeof parseNormalizedReference>>();
  private readonly views = new Map<string, { outcome: Outcome; view: ImageFacts | ImageFactsFailure }>();
  private readonly listeners = new Set<(references: readonly string[]) => void>();
  private readonly controller = new AbortController();
  private readonly concurrency: number;
  private readonly failureTtlMs: number;
  private running = 0;
  private socket: Promise<DockerSocket> | undefined;
  private pendingNotify: Set<string> | undefined;
  private disposed = false;

  constructor(private readonly options: ImageFactsServiceOptions) {
    this.now = options.now ?? Date.now;
    const platform = parsePlatform(options.platform ?? 'linux/amd64');
    this.platformProblem = platform ? undefined : `the platform "${options.platform}" is not os/arch[/variant]`;
    this.platform = platform ?? { os: 'linux', architecture: 'amd64' };
    this.platformText = formatPlatform(this.platform);
    this.concurrency = Math.max(1, options.concurrency ?? 6);
    this.failureTtlMs = options.failureTtlMs ?? 5 * 60_000;
    if (options.mode !== 'off') {
      this.cache = new ImageCache({ dir: options.cacheDir, tagTtlMs: options.tagTtlMs, now: this.now, log: options.log });
    }
    if (options.mode === 'registry') {
      this.registry = new RegistryClient({
        insecureRegistries: options.insecureRegistries ?? [],
        certsDir: options.certsDir ?? '/etc/docker/certs.d',
        layerBudget: options.layerBudget ?? DEFAULT_LAYER_BUDGET,
        credentials: (host) => credentialFor(host, { dockerConfig: options.dockerConfig, trusted: options.trusted, timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS, log: options.log }),
      });
    }
    this.lookup = (reference) => this.known(reference);
  }

  private parse(reference: string): ReturnType<typeof parseNormalizedReference> {
    let p = this.parsed.get(reference);
    if (!p) {
      p = parseNormalizedReference(reference);
      if (this.parsed.size > 10_000) this.parsed.clear();
      this.parsed.set(reference, p);
    }
    return p;
  }

  private known(reference: string): ImageFacts | ImageFactsFailure | undefined {
    const p = this.parse(reference);
    if (!p.ok) return { reference, reason: `invalid image reference: ${p.reason}` };
    const outcome = this.outcomes.get(p.reference.normalized);
    if (!outcome) return undefined;
    return this.view(reference, outcome);
  }

  /** The outcome as seen through one spelling of the reference (kept, so lookups return the same object). */
  private view(reference: string, outcome: Outcome): ImageFacts | ImageFactsFailure {
    const cached = this.views.get(reference);
    if (cached && cached.outcome === outcome) return cached.view;
    const view: ImageFacts | ImageFactsFailure = outcome.kind === 'facts' ? { reference, ...outcome.facts } : { reference, reason: outcome.reason };
    if (this.views.size > 10_000) this.views.clear();
    this.views.set(reference, { outcome, view });
    return view;
  }

  onDidResolve(listener: (references: readonly string[]) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => { this.listeners.delete(listener); } };
  }

  request(references: readonly string[]): void {
    for (const reference of references) void this.start(reference).catch(() => undefined);
  }

  async resolve(references: readonly string[], signal?: AbortSignal): Promise<ReadonlyMap<string, ImageFacts | ImageFactsFailure>> {
    const out = new Map<string, ImageFacts | ImageFactsFailure>();
    const cancelled = new Promise<'cancelled'>((resolve) => {
      if (signal?.aborted) resolve('cancelled');
      signal?.addEventListener('abort', () => resolve('cancelled'), { once: true });
    });
    await Promise.all(references.map(async (reference) => {
      const started = this.start(reference);
      const result = await Promise.race([started, cancelled]);
      const fallback = { reference, reason: this.options.mode === 'off' ? 'image lookup is off' : this.disposed ? 'cancelled' : 'not known' };
      out.set(reference, result === 'cancelled' ? { reference, reason: 'cancelled' } : (this.known(reference) ?? (result ? this.view(reference, result) : fallback)));
    }));
    // Keep the caller's order.
    return new Map(references.map((r) => [r, out.get(r)!]));
  }

  /** Starts (or joins) the lookup of one reference; resolves when its outcome is known. */
  private start(reference: string): Promise<Outcome | undefined> {
    if (this.disposed || this.options.mode === 'off') return Promise.resolve(undefined);
    const p = this.parse(reference);
    if (!p.ok) return Promise.resolve(undefined);
    const key = p.reference.normalized;
    let spellings = this.spellings.get(key);
    if (!spellings) this.spellings.set(key, (spellings = new Set()));
    spellings.add(reference);
    const existing = this.outcomes.get(key);
    if (existing && (existing.kind === 'facts' || this.now() - existing.at < this.failureTtlMs)) return Promise.resolve(existing);
    let running = this.inflight.get(key);
    if (!running) {
      // The cache is read at once (cheap, local); only the engine and registry wait for a slot.
      const ref = p.reference;
      const started = this.now();
      running = this.fromCache(ref).then((hit) => {
        if (!hit) return this.enqueue(ref);
        this.options.log?.(`images: ${ref.familiar} → ${this.describe(hit)} (${this.now() - started} ms)`);
        return hit;
      });
      this.inflight.set(key, running);
      void running.then((outcome) => {
        this.inflight.delete(key);
        if (this.disposed) return;
        this.outcomes.set(key, outcome);
        this.notify(key);
      });
    }
    return running;
  }

  private enqueue(ref: NormalizedReference): Promise<Outcome> {
    return new Promise<Outcome>((resolve) => {
      const run = () => {
        this.running++;
        void this.lookupOne(ref).then(resolve, (e: unknown) => resolve({ kind: 'failure', reason: String(e), at: this.now() })).finally(() => {
          this.running--;
          const next = this.queue.shift();
          if (next) next();
        });
      };
      if (this.running < this.concurrency) run();
      else this.queue.push(run);
    });
  }
  private readonly queue: (() => void)[] = [];

  private notify(key: string): void {
    if (!this.pendingNotify) {
      this.pendingNotify = new Set();
      setImmediate(() => {
        const keys = this.pendingNotify!;
        this.pendingNotify = undefined;
        const refs = [...keys].flatMap((k) => [...(this.spellings.get(k) ?? [])]);
        for (const l of [...this.listeners]) {
          try {
            l(refs);
          } catch (e) {
            this.options.log?.(`images: a listener failed: ${String(e)}`);
          }
        }
      });
    }
    this.pendingNotify.add(key);
  }

  private facts(ref: NormalizedReference, from: ImageFactsSource, image: Omit<CachedImage, 'fetchedAt' | 'digest'> & { digest?: string; fetchedAt?: number }): Omit<ImageFacts, 'reference'> {
    return {
      normalized: ref.normalized,
      ...(image.digest ? { digest: image.digest } : {}),
      ...(image.platform ? { platform: image.platform } : {}),
      user: image.user,
      ...(image.accounts ? { accounts: image.accounts } : {}),
      ...(image.labels ? { labels: image.labels } : {}),
      ...(image.env ? { env: image.env } : {}),
      from,
      ...(image.fetchedAt !== undefined ? { fetchedAt: image.fetchedAt } : {}),
    };
  }

  private describe(outcome: Outcome): string {
    if (outcome.kind === 'failure') return `failed: ${outcome.reason}`;
    const f = outcome.facts;
    const accounts = !f.accounts ? 'accounts not read' : f.accounts.kind === 'known' ? `${f.accounts.passwd.length} passwd / ${f.accounts.group.length} group entries` : `accounts unknown (${f.accounts.reason})`;
    return `${f.from} ${f.digest ?? '(no digest)'} ${f.platform ?? ''} user ${JSON.stringify(f.user)}, ${accounts}`;
  }

  private async lookupOne(ref: NormalizedReference): Promise<Outcome> {
    const started = this.now();
    if (this.controller.signal.aborted) return { kind: 'failure', reason: 'cancelled', at: started };
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    // Not AbortSignal.timeout(): Node's timer holds that signal weakly and AbortSignal.any() holds its sources weakly,
    // so with nothing else holding it a GC could collect it before it fired, and a registry that never answered hung
    // the lookup for good (seen as a test that hung now and then). This timer holds its controller until cleared.
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(new DOMException(`timed out after ${timeoutMs} ms`, 'TimeoutError')), timeoutMs);
    const signal = AbortSignal.any([this.controller.signal, timeout.signal]);
    let outcome: Outcome;
    try {
      outcome = await this.lookupSources(ref, signal);
    } catch (e) {
      const reason = signal.aborted ? (this.controller.signal.aborted ? 'cancelled' : `timed out after ${timeoutMs} ms`) : e instanceof Error ? e.message : String(e);
      outcome = { kind: 'failure', reason, at: this.now() };
    } finally {
      clearTimeout(timer);
    }
    this.options.log?.(`images: ${ref.familiar} → ${this.describe(outcome)} (${this.now() - started} ms)`);
    return outcome;
  }

  private async fromCache(ref: NormalizedReference): Promise<Outcome | undefined> {
    if (!this.cache || this.platformProblem) return undefined;
    const hit = await this.cache.getRef(ref.normalized, this.platformText, !!ref.digest).then((r) => (r ? this.cache!.getImage(r.digest) : undefined)).catch(() => undefined);
    return hit ? { kind: 'facts', facts: this.facts(ref, 'cache', hit) } : undefined;
  }

  /** After the cache: the Docker engine, then the registry. */
  private async lookupSources(ref: NormalizedReference, signal: AbortSignal): Promise<Outcome> {
    if (this.platformProblem) return { kind: 'failure', reason: this.platformProblem, at: this.now() };
    const notes: string[] = [];
    // the local Docker engine
    if (this.options.mode === 'local' || this.options.mode === 'registry') {
      this.socket ??= findDockerSocket(this.options.dockerHost);
      const socket = await this.socket;
      if (socket.kind === 'unix') {
        try {
          const local = await inspectLocalImage(socket.path, ref, signal);
          if (local) {
            const accounts = await this.localAccounts(socket.path, ref, local, signal);
            return { kind: 'facts', facts: this.facts(ref, 'docker', { ...local.config, ...(local.digest ? { digest: local.digest } : {}), platform: local.platform, ...(accounts ? { accounts } : {}), fetchedAt: this.now() }) };
          }
          notes.push('not in the local Docker engine');
        } catch (e) {
          if (signal.aborted) throw e;
          notes.push(`Docker engine at ${socket.path} not usable (${e instanceof Error ? e.message : String(e)})`);
        }
      } else notes.push(socket.reason);
    }
    // the registry
    if (this.registry) {
      try {
        const image = await this.registry.fetchImage(ref, this.platform, signal);
        const cached: CachedImage = { digest: image.digest, platform: image.platform, user: image.config.user, ...(image.config.labels ? { labels: image.config.labels } : {}), ...(image.config.env ? { env: image.config.env } : {}), accounts: image.accounts, fetchedAt: this.now() };
        await this.cache?.put(ref.normalized, this.platformText, cached).catch((e: unknown) => this.options.log?.(`images: cache write failed: ${String(e)}`));
        return { kind: 'facts', facts: this.facts(ref, 'registry', cached) };
      } catch (e) {
        if (signal.aborted) throw e;
        if (e instanceof RegistryFailure || e instanceof Error) return { kind: 'failure', reason: `${RegistryClient.apiHost(ref.domain)}: ${e.message}`, at: this.now() };
        throw e;
      }
    }
    return { kind: 'failure', reason: `not in the cache, ${notes.join(', ')}; image lookup is "local" (registries are not contacted)`, at: this.now() };
  }

  /**
   * The account files of an image the engine has: kept by its image id (they never change), else
   * read from the engine's export of the image (host/images/dockerExport.ts); when that fails, in
   * mode `registry`, from the registry's copy of the same image, fetched by the engine's repository
   * digest.
   */
  private async localAccounts(socketPath: string, ref: NormalizedReference, local: LocalImage, signal: AbortSignal): Promise<ImageAccounts> {
    let exported: ImageAccounts = { kind: 'unknown', reason: 'the local Docker engine gave no image id to export' };
    if (local.id) {
      const kept = await this.cache?.getImage(local.id).catch(() => undefined);
      if (kept?.accounts?.kind === 'known') return kept.accounts;
      const budget = (this.options.layerBudget ?? DEFAULT_LAYER_BUDGET) * EXPORT_BUDGET_FACTOR;
      exported = await exportedAccounts(socketPath, local.id, signal, budget);
      if (exported.kind === 'known') {
        const image: CachedImage = { digest: local.id, platform: local.platform, user: local.config.user, accounts: exported, fetchedAt: this.now() };
        await this.cache?.putImage(image).catch((e: unknown) => this.options.log?.(`images: cache write failed: ${String(e)}`));
        return exported;
      }
    }
    if (!this.registry) return exported;
    const byDigest = local.digest ?? ref.digest;
    if (!byDigest) return { kind: 'unknown', reason: `${exported.reason}, and the image has no repository digest to fetch them from its registry` };
    try {
      return (await this.registry.fetchImage({ ...ref, digest: byDigest }, this.platform, signal)).accounts;
    } catch (e) {
      if (signal.aborted) throw e;
      return { kind: 'unknown', reason: `${exported.reason}; its registry's copy (${byDigest.slice(0, 19)}…): ${e instanceof Error ? e.message : String(e)}` };
    }
  }

  dispose(): void {
    this.disposed = true;
    this.controller.abort();
    this.listeners.clear();
    // Queued lookups start and end at once as cancelled, so every waiting resolve() returns.
    for (const run of this.queue.splice(0)) run();
  }
}

export { isFailure as isImageFactsFailure };
