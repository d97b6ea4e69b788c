/**
 * The effective security context of one container (a Kubernetes container, a Compose service
 * or a `docker run` command), each value with its provenance.
 */
import type { ImageFactsRecord } from './images/known';
import type { Span } from './types';

/** Where an effective value came from. `service`/`flag` are the Docker-level equivalents of `container`. */
export type Source = 'container' | 'pod' | 'image' | 'default' | 'service' | 'flag' | 'runtime';

export interface Provenance {
  readonly source: Source;
  /** The field that decided it, e.g. `securityContext.runAsUser`, `USER`, `--user`. */
  readonly field?: string;
  /** Where in the analysed file (absent for defaults and for other files). */
  readonly span?: Span;
  /** Where in another file: the USER line of a linked image's Dockerfile (1-based line). */
  readonly elsewhere?: FileLine;
  /** `*name` when the value is written as an alias: `span` is the anchor's value. */
  readonly alias?: string;
  /** Human explanation, e.g. `overrides pod runAsUser 2000`, `user app created in Dockerfile line 7`. */
  readonly note?: string;
}

/** A line of another file, by path: the adapters turn it into a link. */
export interface FileLine {
  readonly path: string;
  readonly line: number;
}

export interface Valued<T> extends Provenance {
  readonly value: T;
}

export type RunAsNonRootVerdict = 'not-required' | 'pass' | 'fail' | 'unverifiable' | 'unknown';

export type ContainerKind = 'container' | 'initContainer' | 'ephemeralContainer' | 'compose-service' | 'docker-run';

export interface EffectiveContext {
  readonly name: string;
  readonly kind: ContainerKind;
  /** Workload label, e.g. `Deployment/web` or `compose/api`. */
  readonly workload: string;
  /** The span of the container's `name` value (or service key / command start). */
  readonly nameSpan: Span;
  /** The whole container node, for hovers on any key inside it. */
  readonly span: Span;
  readonly image?: string;
  /** What the image is known to be and which source said so (a Dockerfile, image facts, the table); absent when nothing is known. */
  readonly imageFacts?: ImageFactsRecord;
  /** uid undefined = unknown (image user not known); name set when the user is a name. */
  readonly user: Valued<number | undefined> & { readonly name?: string };
  readonly group: Valued<number | undefined>;
  readonly supplementalGroups: Valued<readonly number[]>;
  readonly privileged: Valued<boolean>;
  readonly allowPrivilegeEscalation: Valued<boolean>;
  readonly runAsNonRoot: Valued<boolean> & { readonly verdict: RunAsNonRootVerdict; readonly message?: string };
  /** undefined for Windows pods (no Linux capability analysis). */
  readonly capabilities?: {
    readonly bounding: readonly string[];
    readonly effective: readonly string[];
    readonly added: readonly string[];
    readonly dropped: readonly string[];
    readonly provenance: Provenance;
  };
  readonly seccomp: Valued<string>;
  readonly appArmor: Valued<string>;
  readonly seLinux: Valued<string | undefined>;
  readonly readOnlyRootFilesystem: Valued<boolean>;
  readonly procMount: Valued<string>;
  readonly hostNetwork: Valued<boolean>;
  readonly hostPID: Valued<boolean>;
  readonly hostIPC: Valued<boolean>;
  readonly hostUsers: Valued<boolean>;
  readonly windows: boolean;
}
