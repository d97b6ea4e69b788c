/**
 * Image facts: what an image's config and its own /etc/passwd and /etc/group say, as the runtime
 * reads them. Pure data. The host layer (`host/images/`) fetches them (cache → Docker Engine socket
 * → registry) and the engine consumes them through a synchronous lookup over facts already known:
 * nothing in the engine waits on I/O. The well-known base-image table is one more source.
 *
 * This file is the contract between the fetching side (host/images) and the judging side (engine,
 * LSP, CLI): change it only together with both.
 */

/** Where a fact came from, most authoritative first. `dockerfile`: a Dockerfile in the workspace builds it. */
export type ImageFactsSource = 'dockerfile' | 'cache' | 'docker' | 'registry' | 'table';

/** An /etc/passwd entry. */
export interface PasswdEntry {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

/** An /etc/group entry with its member list. */
export interface GroupEntry {
  readonly name: string;
  readonly gid: number;
  readonly members: readonly string[];
}

/** The image's account files, or why they are not known (over the layer budget, not found, …). */
export type ImageAccounts =
  | { readonly kind: 'known'; readonly passwd: readonly PasswdEntry[]; readonly group: readonly GroupEntry[]; readonly passwdFound: boolean; readonly groupFound: boolean }
  | { readonly kind: 'unknown'; readonly reason: string };

export interface ImageFacts {
  /** The reference as written (`nginx:1.27`). */
  readonly reference: string;
  /** Fully normalised as Docker does: `docker.io/library/nginx:1.27`. */
  readonly normalized: string;
  /** The manifest digest the facts were read from (`sha256:…`), when known. */
  readonly digest?: string;
  /** `os/arch[/variant]` of the manifest chosen from an index. */
  readonly platform?: string;
  /** `config.User` exactly as the image config holds it; '' when unset (root). */
  readonly user: string;
  /** Present when account files were read (or tried): needed for named users and groups. */
  readonly accounts?: ImageAccounts;
  /** Labels and Env worth showing in a hover (may be trimmed by the fetcher). */
  readonly labels?: Readonly<Record<string, string>>;
  readonly env?: readonly string[];
  readonly from: ImageFactsSource;
  /** When the facts were fetched (ms since epoch), for hovers and cache expiry. */
  readonly fetchedAt?: number;
}

/** Why facts are not known for a reference (shown in hovers and the log). */
export interface ImageFactsFailure {
  readonly reference: string;
  readonly reason: string;
}

/**
 * Synchronous view of the facts known right now, given to the engine in `AnalysisOptions`.
 * `undefined` = not known (yet): the engine then says "unknown", never guesses root or non-root.
 */
export interface ImageFactsLookup {
  (reference: string): ImageFacts | ImageFactsFailure | undefined;
}
