/**
 * A read-only view of a Pod as plain JS (what `yaml`'s `toJS()` yields), with the small type guards the
 * Pod Security checks need. Anything may be of the wrong type. The API server would reject such a pod before
 * admission, so there is no upstream verdict to reproduce; the rule here is: a scalar where a string is
 * expected reads as its text (`name: 123`), and any other value of the wrong type reads as absent.
 */
import type { PssLevel } from '../types';

export type PathSegment = string | number;
/** A field path relative to the Pod object root, e.g. `['spec', 'containers', 0, 'securityContext']`. */
export type FieldPath = readonly PathSegment[];

export interface JsonRecord {
  readonly [key: string]: unknown;
}

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function recordOf(value: unknown): JsonRecord | undefined {
  return isRecord(value) ? value : undefined;
}

export function listOf(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A scalar as the string Go would have decoded it to (`name: 123` is still a name). */
export function scalarString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** A field set to anything but null: how a Go pointer field (`*HostPathVolumeSource`) reads as non-nil. */
export function isSet(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/** One container as upstream's `visitContainers` hands it over: init, regular, then ephemeral containers. */
export interface ContainerView {
  readonly name: string;
  /** `['spec', 'initContainers' | 'containers' | 'ephemeralContainers', index]`. */
  readonly path: FieldPath;
  readonly container: JsonRecord;
  readonly securityContext: JsonRecord | undefined;
}

export interface VolumeView {
  readonly name: string;
  readonly path: FieldPath;
  readonly volume: JsonRecord;
}

export interface PodView {
  readonly annotations: JsonRecord;
  readonly spec: JsonRecord;
  readonly podSecurityContext: JsonRecord | undefined;
  readonly containers: readonly ContainerView[];
  readonly volumes: readonly VolumeView[];
  /** `spec.os.name: windows`. */
  readonly isWindows: boolean;
  /** `spec.hostUsers: false`, upstream's `relaxPolicyForUserNamespacePod`. */
  readonly inUserNamespace: boolean;
}

const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'] as const;

export function podView(pod: unknown): PodView {
  const root = recordOf(pod);
  const metadata = recordOf(root?.['metadata']);
  const spec = recordOf(root?.['spec']) ?? {};
  const containers: ContainerView[] = [];
  for (const list of CONTAINER_LISTS) {
    listOf(spec[list]).forEach((entry, index) => {
      const container = recordOf(entry);
      if (!container) return;
      containers.push({
        name: scalarString(container['name']) ?? '',
        path: ['spec', list, index],
        container,
        securityContext: recordOf(container['securityContext']),
      });
    });
  }
  const volumes: VolumeView[] = [];
  listOf(spec['volumes']).forEach((entry, index) => {
    const volume = recordOf(entry);
    if (!volume) return;
    volumes.push({ name: scalarString(volume['name']) ?? '', path: ['spec', 'volumes', index], volume });
  });
  return {
    annotations: recordOf(metadata?.['annotations']) ?? {},
    spec,
    podSecurityContext: recordOf(spec['securityContext']),
    containers,
    volumes,
    isWindows: recordOf(spec['os'])?.['name'] === 'windows',
    inUserNamespace: spec['hostUsers'] === false,
  };
}

/** What a check reports when it forbids a pod; `undefined` means allowed. */
export interface CheckFinding {
  readonly reason: string;
  readonly detail: string;
  readonly paths: readonly FieldPath[];
}

export type CheckFn = (pod: PodView) => CheckFinding | undefined;

/** One revision of a check, applying from `1.<since>` until the next revision. */
export interface VersionedCheck {
  readonly since: number;
  readonly evaluate: CheckFn;
  /** Baseline checks this restricted revision replaces (upstream's `OverrideCheckIDs`). */
  readonly overrides?: readonly string[];
}

export interface PssCheck {
  readonly id: string;
  readonly level: PssLevel;
  readonly title: string;
  readonly description: string;
  /** Strictly increasing `since`. */
  readonly versions: readonly VersionedCheck[];
}
