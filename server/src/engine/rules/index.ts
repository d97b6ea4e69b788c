/** The registry: every rule, in the order findings are reported. Adding a rule = one file + one line here. */
import type { Rule } from './rule';
import { yamlSyntax } from './yaml-syntax';
import { capabilitiesAtPodLevel } from './capabilities-at-pod-level';
import { containerFieldAtPodLevel } from './container-field-at-pod-level';
import { podFieldAtContainerLevel } from './pod-field-at-container-level';
import { unknownSecurityContextField } from './unknown-security-context-field';
import { invalidValue } from './invalid-value';
import { invalidSecurityContext } from './invalid-security-context';
import { invalidPodSpec } from './invalid-pod-spec';
import { unknownCapability } from './unknown-capability';
import { capabilityPrefix } from './capability-prefix';
import { capabilityCase } from './capability-case';
import { redundantCapability } from './redundant-capability';
import { runAsNonRootViolation } from './run-as-non-root-violation';
import { runAsRoot } from './run-as-root';
import { privileged } from './privileged';
import { hostNamespaces } from './host-namespaces';
import { dangerousCapability } from './dangerous-capability';
import { privilegeEscalation } from './privilege-escalation';
import { nonNumericUser } from './non-numeric-user';
import { unknownUser } from './unknown-user';
import { seccompUnconfined } from './seccomp-unconfined';
import { seLinuxOptions } from './selinux-options';
import { procMount } from './proc-mount';
import { unsafeSysctl } from './unsafe-sysctl';
import { appArmorProfile } from './apparmor-profile';
import { hostPathVolume } from './host-path-volume';
import { hostRootMount } from './host-root-mount';
import { hostPort } from './host-port';
import { hostProbe } from './host-probe';
import { windowsHostProcess } from './windows-host-process';
import { restrictedCapabilities } from './restricted-capabilities';
import { runAsNonRoot } from './run-as-non-root';
import { runAsUserZero } from './run-as-user-zero';
import { seccompProfileRequired } from './seccomp-profile-required';
import { restrictedVolumeType } from './restricted-volume-type';
import { devicePassthrough } from './device-passthrough';
import { templateSyntax } from './template-syntax';
import { valuesNotUsed } from './values-not-used';

export const RULES: readonly Rule[] = [
  yamlSyntax,
  capabilitiesAtPodLevel,
  containerFieldAtPodLevel,
  podFieldAtContainerLevel,
  unknownSecurityContextField,
  invalidValue,
  invalidSecurityContext,
  invalidPodSpec,
  unknownCapability,
  capabilityPrefix,
  capabilityCase,
  redundantCapability,
  runAsNonRootViolation,
  runAsRoot,
  privileged,
  hostNamespaces,
  dangerousCapability,
  privilegeEscalation,
  nonNumericUser,
  unknownUser,
  seccompUnconfined,
  seLinuxOptions,
  procMount,
  unsafeSysctl,
  appArmorProfile,
  hostPathVolume,
  hostRootMount,
  hostPort,
  hostProbe,
  windowsHostProcess,
  restrictedCapabilities,
  runAsNonRoot,
  runAsUserZero,
  seccompProfileRequired,
  restrictedVolumeType,
  devicePassthrough,
  templateSyntax,
  valuesNotUsed,
];

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.meta.id === id);
}
