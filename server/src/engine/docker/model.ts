/**
 * The Docker level: Compose services and `docker run` command lines of one file, each with
 * the settings as written (and where) and the effective context Docker gives it.
 */
import type { EffectiveContext } from '../effective';
import type { Span } from '../types';

/** One setting as written: a Compose key or list item, or a `docker run` flag with its value. */
export interface Setting<T> {
  /** The key or flag as written: `cap_add`, `--cap-add`, `-u`. */
  readonly field: string;
  /** The value as written, quotes and escapes removed, variables left as they are (`$UID`). */
  readonly raw: string;
  /** The value Docker uses; undefined when it depends on a variable or cannot be read. */
  readonly value: T | undefined;
  /** The whole setting: `key: value`, the list item, or the flag through its value. */
  readonly span: Span;
  /** The value alone. */
  readonly valueSpan: Span;
  /** The Compose service it was inherited from through `extends`. */
  readonly inheritedFrom?: string;
}

/** Compose `build:`: its context (`build: ./dir`, or the long form's `context`, `.` when absent) with the long form's Dockerfile and target. */
export interface BuildSetting extends Setting<string> {
  readonly dockerfile?: Setting<string>;
  readonly target?: Setting<string>;
  /** `dockerfile_inline`: the Dockerfile is written in the Compose file. */
  readonly inline?: true;
}

/** The security-relevant settings of one container, Compose and `docker run` alike. */
export interface DockerSettings {
  readonly user?: Setting<string>;
  readonly privileged?: Setting<boolean>;
  readonly capAdd: readonly Setting<string>[];
  readonly capDrop: readonly Setting<string>[];
  /** `source[:target[:permissions]]`. */
  readonly devices: readonly Setting<string>[];
  readonly securityOpt: readonly Setting<string>[];
  readonly readOnly?: Setting<boolean>;
  readonly pid?: Setting<string>;
  readonly ipc?: Setting<string>;
  /** `network_mode` / `net` (Compose), the first `--network`/`--net` (run). */
  readonly network?: Setting<string>;
  readonly userns?: Setting<string>;
  readonly groupAdd: readonly Setting<string>[];
  /** `name=value`. */
  readonly sysctls: readonly Setting<string>[];
  /** Host paths mounted into the container (bind mounts): the value is the host path. */
  readonly mounts: readonly Setting<string>[];
}

export const EMPTY_SETTINGS: DockerSettings = { capAdd: [], capDrop: [], devices: [], securityOpt: [], groupAdd: [], sysctls: [], mounts: [] };

interface DockerContainerBase {
  readonly name: string;
  readonly nameSpan: Span;
  readonly span: Span;
  readonly image?: Setting<string>;
  readonly settings: DockerSettings;
  readonly effective: EffectiveContext;
}

export interface ComposeKey {
  readonly key: Span;
  /** `key: value`. */
  readonly pair: Span;
}

export interface ComposeService extends DockerContainerBase {
  readonly kind: 'compose-service';
  /** The build context (with the Dockerfile and target), when the service is built. */
  readonly build?: BuildSetting;
  /** The base service named by `extends` (same file); `file:` bases are not followed. */
  readonly extends?: Setting<string> & { readonly file?: string };
  /** The service's own keys (not inherited ones), for fixes that edit or insert next to them. */
  readonly keys: Readonly<Record<string, ComposeKey>>;
  /** The service's mapping (its body, without the service key). */
  readonly bodySpan: Span;
}

export interface DockerRunCommand extends DockerContainerBase {
  readonly kind: 'docker-run';
  /** As written, normalised: `docker run`, `sudo docker container run`, `podman create`. */
  readonly command: string;
  readonly engine: 'docker' | 'podman';
  /** Unquoted expansions among the options (`${EXTRA_DOCKER_OPTS}`, `"$@"`) that may hold more flags. */
  readonly opaque: readonly Setting<string>[];
}

export type DockerContainer = ComposeService | DockerRunCommand;

export interface DockerProblem {
  readonly message: string;
  readonly span: Span;
}

export interface DockerFileModel {
  readonly fileName: string;
  readonly format: 'compose' | 'docker-run';
  readonly containers: readonly DockerContainer[];
  /** What could not be read (YAML errors, `extends` that cannot be followed). */
  readonly problems: readonly DockerProblem[];
}

export function contains(span: Span, offset: number): boolean {
  return offset >= span.start && offset <= span.end;
}

/** The innermost container whose span holds the offset. */
export function containerAt(model: DockerFileModel, offset: number): DockerContainer | undefined {
  let best: DockerContainer | undefined;
  for (const c of model.containers) {
    if (contains(c.span, offset) && (!best || c.span.end - c.span.start < best.span.end - best.span.start)) best = c;
  }
  return best;
}
