/**
 * Fix safety's one question: once the fix is applied, may a container do something it cannot do
 * today? A fix that makes a setting take effect (moving it to where it applies, correcting its key,
 * its type or a capability name in `add`) grants what the workload does not have now. That is unsafe
 * for `--fix` and fix-all-on-save even when it is what the author wrote: it stays a quick fix (the
 * preferred one where it was), and a person applies it. A fix that only narrows to what the author
 * wrote (a `drop` list, `readOnlyRootFilesystem: true`, `runAsNonRoot: true`) stays safe.
 */
import { isMap, isScalar, isSeq } from 'yaml';
import type { FixSafety } from '../types';

/** A YAML node's value as the API server decodes it (`true`, `0`, `{add: [...]}`). */
export function decoded(value: unknown): unknown {
  return isMap(value) || isSeq(value) || isScalar(value) ? value.toJSON() : value;
}

function typeOf(value: unknown): unknown {
  return value !== null && typeof value === 'object' ? (value as { type?: unknown }).type : undefined;
}

/**
 * Whether a securityContext field with this decoded value (`true`, `0`, `{add: [...]}`) widens what a
 * container may do compared with the field being absent.
 */
export function grantsPrivilege(field: string, value: unknown): boolean {
  switch (field) {
    case 'privileged':
      return value === true || value === 'true';
    case 'allowPrivilegeEscalation':
      // Unset already allows escalation (the kubelet sets no_new_privs only for an explicit false):
      // writing true changes nothing, writing false narrows.
      return false;
    case 'readOnlyRootFilesystem':
      return false; // true narrows, false is the default
    case 'runAsNonRoot':
      // false lifts a `runAsNonRoot: true` the pod level may set for the container.
      return value === false || value === 'false';
    case 'runAsUser':
    case 'runAsGroup':
      // Root (or the root group) where the image may run as another user.
      return value === 0 || value === '0';
    case 'capabilities': {
      const add = value !== null && typeof value === 'object' ? (value as { add?: unknown }).add : undefined;
      return Array.isArray(add) && add.length > 0;
    }
    case 'procMount':
      return value === 'Unmasked';
    case 'seccompProfile':
    case 'appArmorProfile':
      return typeOf(value) === 'Unconfined';
    case 'windowsOptions':
      return value !== null && typeof value === 'object' && (value as { hostProcess?: unknown }).hostProcess === true;
    // A label can name a more privileged type (spc_t); a group or a sysctl gives the container access it lacks.
    case 'seLinuxOptions':
    case 'fsGroup':
    case 'supplementalGroups':
    case 'sysctls':
      return value !== null && value !== undefined;
    // How ownership and labels are applied, and Merge (the default) or Strict: nothing is granted.
    case 'fsGroupChangePolicy':
    case 'seLinuxChangePolicy':
    case 'supplementalGroupsPolicy':
    default:
      return false;
  }
}

/** `unsafe` when the field with this value grants (grantsPrivilege), else `safe`. */
export function safetyFor(field: string, value: unknown): FixSafety {
  return grantsPrivilege(field, value) ? 'unsafe' : 'safe';
}
