/** Moving misplaced securityContext fields between pod and containers. IMPLEMENTATION PENDING (fixes engineer). */
import type { ContainerModel, PodModel } from '../kubernetes/model';
import type { Fix } from '../types';

/** Moves a container-only field from the pod securityContext into every container (a container's own value wins; the title says so). */
export function moveFieldToContainersFix(text: string, pod: PodModel, field: string): Fix[] {
  void text; void pod; void field;
  return [];
}

/** Hoists a pod-only field from a container to the pod; returns the reason as a string when another container disagrees. */
export function hoistFieldToPodFix(text: string, pod: PodModel, container: ContainerModel, field: string): Fix[] | string {
  void text; void pod; void container; void field;
  return [];
}

/**
 * Sets securityContext fields in one container: `non-root` → runAsNonRoot: true + runAsUser: <uid>;
 * `numeric-user` → runAsUser: <uid>. The uid comes from a linked Dockerfile when known, else options.defaultNonRootUid.
 */
export function setFieldFixes(text: string, pod: PodModel, container: ContainerModel, options: import('../options').AnalysisOptions, what: 'non-root' | 'numeric-user'): Fix[] {
  void text; void pod; void container; void options; void what;
  return [];
}

/** Removes the field at `path` (relative to the pod object), e.g. `privileged: true`. */
export function removeFieldFix(text: string, pod: PodModel, path: readonly (string | number)[]): Fix[] {
  void text; void pod; void path;
  return [];
}

/** Sets `securityContext.<field>: <valueYaml>` in the container that `path` (relative to the pod object) points into. */
export function setContainerFieldFix(text: string, pod: PodModel, path: readonly (string | number)[], field: string, valueYaml: string, title: string): Fix[] {
  void text; void pod; void path; void field; void valueYaml; void title;
  return [];
}
