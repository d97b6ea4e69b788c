/** The fields of PodSecurityContext and (container) SecurityContext, with one-line docs (for diagnostics and completion). */

export type SecurityContextLevel = 'pod' | 'container';

export interface FieldDoc {
  readonly name: string;
  readonly doc: string;
  /** Enum values where the API has them. */
  readonly values?: readonly string[];
  /** A boolean field: completion offers `true` and `false`. */
  readonly boolean?: true;
}

const shared: FieldDoc[] = [
  { name: 'runAsUser', doc: 'The UID the container process runs as. A container value overrides the pod value; without either, the image USER (or root).' },
  { name: 'runAsGroup', doc: 'The primary GID of the container process. Without it, the image user\'s group (or 0).' },
  { name: 'runAsNonRoot', boolean: true, doc: 'The kubelet refuses to start a container that would run as UID 0, or whose image user is a name it cannot verify.' },
  { name: 'seLinuxOptions', doc: 'SELinux labels (user, role, type, level) for the container process.' },
  { name: 'seccompProfile', doc: 'The seccomp filter: RuntimeDefault, Localhost (with localhostProfile) or Unconfined.' },
  { name: 'appArmorProfile', doc: 'The AppArmor profile: RuntimeDefault, Localhost (with localhostProfile) or Unconfined.' },
  { name: 'windowsOptions', doc: 'Windows-specific settings (gMSA, runAsUserName, hostProcess).' },
];

export const POD_SECURITY_CONTEXT_FIELDS: readonly FieldDoc[] = [
  ...shared,
  { name: 'fsGroup', doc: 'A supplemental group added to every container; volumes that support ownership management are made group-owned by it.' },
  { name: 'fsGroupChangePolicy', doc: 'When volume ownership is changed for fsGroup.', values: ['OnRootMismatch', 'Always'] },
  { name: 'supplementalGroups', doc: 'Extra GIDs for the first process of every container.' },
  { name: 'supplementalGroupsPolicy', doc: 'Whether the image\'s /etc/group memberships are merged in (Merge) or not (Strict).', values: ['Merge', 'Strict'] },
  { name: 'sysctls', doc: 'Namespaced sysctls set for the pod.' },
  { name: 'seLinuxChangePolicy', doc: 'How SELinux labels are applied to volumes.', values: ['MountOption', 'Recursive'] },
];

export const CONTAINER_SECURITY_CONTEXT_FIELDS: readonly FieldDoc[] = [
  ...shared,
  { name: 'capabilities', doc: 'Linux capabilities to add to and drop from the runtime\'s default set. Container level only.' },
  { name: 'privileged', boolean: true, doc: 'Runs the container with all capabilities and host devices: equivalent to root on the node.' },
  { name: 'allowPrivilegeEscalation', boolean: true, doc: 'When false, sets no_new_privs: setuid binaries and file capabilities cannot raise privileges. Defaults to true.' },
  { name: 'readOnlyRootFilesystem', boolean: true, doc: 'Mounts the container\'s root filesystem read-only.' },
  { name: 'cgroupOptions', doc: 'How the container\'s cgroup filesystem is mounted (`mountMode: ReadOnly|ReadWrite`; alpha, newer Kubernetes versions).' },
  { name: 'procMount', doc: 'Default masks /proc paths; Unmasked exposes them (needs hostUsers: false).', values: ['Default', 'Unmasked'] },
];

export const PROFILE_TYPES: Readonly<Record<'seccompProfile' | 'appArmorProfile', readonly string[]>> = {
  seccompProfile: ['RuntimeDefault', 'Localhost', 'Unconfined'],
  appArmorProfile: ['RuntimeDefault', 'Localhost', 'Unconfined'],
};

export function fieldsAt(level: SecurityContextLevel): readonly FieldDoc[] {
  return level === 'pod' ? POD_SECURITY_CONTEXT_FIELDS : CONTAINER_SECURITY_CONTEXT_FIELDS;
}

/** Container-only fields that people put at pod level. */
export const CONTAINER_ONLY_FIELDS = ['privileged', 'allowPrivilegeEscalation', 'readOnlyRootFilesystem', 'procMount'] as const;
/** Pod-only fields that people put in a container. */
export const POD_ONLY_FIELDS = ['fsGroup', 'fsGroupChangePolicy', 'supplementalGroups', 'supplementalGroupsPolicy', 'sysctls', 'seLinuxChangePolicy'] as const;
