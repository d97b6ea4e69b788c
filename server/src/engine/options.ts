import type { Runtime } from './capabilities';
import type { ImageFactsLookup } from './images/facts';
import type { ImageFactsRecord } from './images/known';
import type { Profile, SeverityOverride } from './types';

/** What the image behind a container reference runs as, when a Dockerfile in the workspace builds it. */
export interface ImageUser {
  /**
   * The image's configured User as the kubelet and Docker read it: the final stage's USER as written
   * (`app`, `1000:1000`, `$UID`) or, without one, a known base image's (`65532`); undefined for root
   * (no USER anywhere) and when an unknown base image decides (`unknownBase`).
   */
  readonly spec?: string;
  /** The final stage sets no USER and its base image is not known: that image's own USER decides. */
  readonly unknownBase?: string;
  readonly name?: string;
  readonly uid?: number;
  readonly gid?: number;
  /** Where it came from, for hovers: `user app created in Dockerfile line 7, via docker-compose.yaml service api`. */
  readonly note: string;
  /** Dockerfile path and the USER instruction's offsets, for cross-file fixes; absent when image facts or the table answered. */
  readonly dockerfile?: string;
  readonly userSpan?: { readonly start: number; readonly end: number };
  /** The 1-based line of that USER instruction, for links from hovers and inlay hints. */
  readonly userLine?: number;
  /** The image's /etc/passwd entry for the uid the resolver was asked about, when that is known. */
  readonly account?: ImageAccount;
  /** Which source answered and what it holds (digest, platform, config User), for hovers and the explain JSON. */
  readonly facts?: ImageFactsRecord;
  /** ARGs whose defaults decided `spec`: `--build-arg` can change the user. */
  readonly buildArgs?: readonly string[];
  /** The groups the image's /etc/group lists the user in, when every membership is known (containerd WithAdditionalGIDs). */
  readonly supplementaryGroups?: readonly number[];
}

/**
 * What the image's /etc/passwd says of a uid a container runs as instead of the USER (`runAsUser`,
 * `--user 1000`): the runtime takes the primary group from its entry, or 0 when it has none
 * (containerd `WithUserID`, CRI-O and Docker through `GetExecUser`).
 */
/** The USER line of the image's Dockerfile as a provenance `elsewhere`, when a USER decides. */
export function imageUserLine(image: ImageUser): { readonly elsewhere?: { readonly path: string; readonly line: number } } {
  return image.userLine !== undefined && image.dockerfile !== undefined ? { elsewhere: { path: image.dockerfile, line: image.userLine } } : {};
}

export interface ImageAccount {
  readonly uid: number;
  /** The entry's user name; absent when the image has no entry for the uid. */
  readonly name?: string;
  /** The entry's primary group, 0 when there is no entry; undefined when the entry's group is not known. */
  readonly gid?: number;
  /** `user app (uid 1000, gid 1000) created in Dockerfile line 2, via …`, `no entry for uid 1234 in the image's /etc/passwd …`. */
  readonly note: string;
  /** The groups the image's /etc/group lists this user in, when every membership is known. */
  readonly supplementaryGroups?: readonly number[];
}

/** A Compose `build:` as written: the context (relative to the Compose file), the Dockerfile in it, the target stage. */
export interface ImageBuild {
  readonly context: string;
  /** Relative to the context; `Dockerfile` when absent. */
  readonly dockerfile?: string;
  readonly target?: string;
}

/**
 * Maps an image reference (tag and digest ignored) to what its Dockerfile says; undefined when not linked.
 * With `uid`, the answer also says what the image's /etc/passwd holds for that uid (`account`).
 */
export interface ImageResolver {
  (image: string, uid?: number): ImageUser | undefined;
  /** The same for the image a Compose `build:` makes, read relative to the asking file; absent when builds are not followed. */
  readonly build?: (build: ImageBuild, uid?: number) => ImageUser | undefined;
}

export interface AnalysisOptions {
  readonly runtime: Runtime;
  readonly profile: Profile;
  /** `1.N`; empty or undefined = newest. */
  readonly kubernetesVersion?: string;
  readonly rules: Readonly<Record<string, SeverityOverride>>;
  readonly defaultNonRootUid: number;
  /** The kubelet's SeccompDefault: when on, an unset seccomp profile means RuntimeDefault. */
  readonly seccompDefault: boolean;
  readonly images?: ImageResolver;
  /**
   * Image facts known right now (cache, Docker Engine, registry), consulted after `images` and before
   * the well-known base-image table (./images/user.ts). Absent: lookups are off.
   */
  readonly imageFacts?: ImageFactsLookup;
}

export const DEFAULT_OPTIONS: AnalysisOptions = {
  runtime: 'containerd',
  profile: 'restricted',
  rules: {},
  defaultNonRootUid: 10001,
  seccompDefault: false,
};

/** Files larger than this get one informational finding instead of analysis (`secctx.maxFileSize`). */
export const DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024;
