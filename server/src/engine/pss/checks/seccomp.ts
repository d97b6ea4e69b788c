/** Seccomp values shared by upstream `check_seccompProfile_baseline.go` and `check_seccompProfile_restricted.go`. */
import { recordOf, scalarString } from '../model';
import type { JsonRecord } from '../model';

export const SECCOMP_POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
export const SECCOMP_CONTAINER_ANNOTATION_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';

export function validSeccompType(type: string): boolean {
  return type === 'RuntimeDefault' || type === 'Localhost';
}

export function validSeccompAnnotationValue(value: string): boolean {
  return value === 'runtime/default' || value === 'docker/default' || value.startsWith('localhost/');
}

/** The `seccompProfile.type` of a security context, `''` for a profile without a type; undefined when no profile is set. */
export function seccompProfileType(securityContext: JsonRecord | undefined): string | undefined {
  const profile = recordOf(securityContext?.['seccompProfile']);
  if (!profile) return undefined;
  return scalarString(profile['type']) ?? '';
}
