import type { Runtime } from './capabilities';
import type { Profile, SeverityOverride } from './types';

/** What the image behind a container reference runs as, when a Dockerfile in the workspace builds it. */
export interface ImageUser {
  /** The USER spec as written (`app`, `1000:1000`, `$UID`), undefined when the final stage sets none. */
  readonly spec?: string;
  readonly name?: string;
  readonly uid?: number;
  readonly gid?: number;
  /** Where it came from, for hovers: `user app created in Dockerfile line 7, via docker-compose.yaml service api`. */
  readonly note: string;
  /** Dockerfile path and the USER instruction's offsets, for cross-file fixes. */
  readonly dockerfile: string;
  readonly userSpan?: { readonly start: number; readonly end: number };
}

/** Maps an image reference (tag and digest ignored) to what its Dockerfile says; undefined when not linked. */
export type ImageResolver = (image: string) => ImageUser | undefined;

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
