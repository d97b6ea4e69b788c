/**
 * Pod Security Standards evaluation as Kubernetes' Pod Security Admission does it
 * (k8s.io/pod-security-admission `policy/`): the same checks, version by version, the same
 * reasons and details, the same order, and restricted replacing the baseline checks it overrides.
 * Pure: plain JS in (a Pod as `yaml`'s `toJS()` yields it), violations out.
 */
import type { PssLevel } from '../types';
import { compareGo } from './format';
import { podView } from './model';
import type { FieldPath, PssCheck, VersionedCheck } from './model';
import { allowPrivilegeEscalation } from './checks/allowPrivilegeEscalation';
import { appArmorProfile } from './checks/appArmorProfile';
import { capabilitiesBaseline } from './checks/capabilitiesBaseline';
import { capabilitiesRestricted } from './checks/capabilitiesRestricted';
import { hostNamespaces } from './checks/hostNamespaces';
import { hostPathVolumes } from './checks/hostPathVolumes';
import { hostPorts } from './checks/hostPorts';
import { hostProbesAndHostLifecycle } from './checks/hostProbesAndHostLifecycle';
import { privileged } from './checks/privileged';
import { procMount } from './checks/procMount';
import { procMountRestricted } from './checks/procMountRestricted';
import { restrictedVolumes } from './checks/restrictedVolumes';
import { runAsNonRoot } from './checks/runAsNonRoot';
import { runAsUser } from './checks/runAsUser';
import { seccompProfileBaseline } from './checks/seccompProfileBaseline';
import { seccompProfileRestricted } from './checks/seccompProfileRestricted';
import { seLinuxOptions } from './checks/seLinuxOptions';
import { sysctls } from './checks/sysctls';
import { windowsHostProcess } from './checks/windowsHostProcess';

export type { FieldPath, PathSegment } from './model';

export interface KubeVersion {
  readonly major: 1;
  readonly minor: number;
}

export interface PssViolation {
  /** Upstream check id, e.g. `allowPrivilegeEscalation`, `capabilities_restricted`, `hostPathVolumes`. */
  readonly check: string;
  /** The level of the check (a baseline check violated while evaluating restricted has level `baseline`). */
  readonly level: PssLevel;
  /** Upstream ForbiddenReason, e.g. `allowPrivilegeEscalation != false`. */
  readonly reason: string;
  /** Upstream ForbiddenDetail, e.g. `container "app" must set securityContext.allowPrivilegeEscalation=false`. */
  readonly detail: string;
  /**
   * Where each offending field is (or, for a required field that is missing, where it should be),
   * relative to the Pod object root, in the order the detail names them.
   */
  readonly paths: readonly FieldPath[];
}

export interface PssCheckInfo {
  readonly id: string;
  readonly level: PssLevel;
  readonly title: string;
  readonly description: string;
}

/** Every check, baseline then restricted; evaluation order is upstream's (sorted ids, baseline first). */
const CHECKS: readonly PssCheck[] = orderChecks([
  appArmorProfile,
  capabilitiesBaseline,
  hostNamespaces,
  hostPathVolumes,
  hostPorts,
  hostProbesAndHostLifecycle,
  privileged,
  procMount,
  seLinuxOptions,
  seccompProfileBaseline,
  sysctls,
  windowsHostProcess,
  allowPrivilegeEscalation,
  capabilitiesRestricted,
  procMountRestricted,
  restrictedVolumes,
  runAsNonRoot,
  runAsUser,
  seccompProfileRestricted,
]);

/** Upstream's registry order: baseline ids sorted, then restricted ids sorted (Go string order). */
function orderChecks(checks: readonly PssCheck[]): PssCheck[] {
  const byId = (a: PssCheck, b: PssCheck): number => compareGo(a.id, b.id);
  return [
    ...checks.filter((c) => c.level === 'baseline').sort(byId),
    ...checks.filter((c) => c.level === 'restricted').sort(byId),
  ];
}

/** The newest policy version any check defines (upstream's registry `maxVersion`). */
export const LATEST_KUBE_VERSION: KubeVersion = {
  major: 1,
  minor: Math.max(...CHECKS.flatMap((c) => c.versions.map((v) => v.since))),
};

export const PSS_CHECKS: readonly PssCheckInfo[] = CHECKS.map(({ id, level, title, description }) => ({
  id,
  level,
  title,
  description,
}));

/**
 * `1.30`, `v1.30` (a patch suffix such as `1.30.2` is ignored) → that version; `latest`, empty or anything
 * unparseable → the newest supported version. Minors above it are kept and evaluated as the newest, as upstream does.
 */
export function parseKubeVersion(text: string): KubeVersion {
  const match = /^v?1\.(0|[1-9]\d*)(?:\.\d+)?$/.exec(text.trim());
  if (!match) return LATEST_KUBE_VERSION;
  return { major: 1, minor: Number(match[1]) };
}

/** The revision of a check in force at policy version `1.<minor>`, if any. */
function revisionAt(check: PssCheck, minor: number): VersionedCheck | undefined {
  let current: VersionedCheck | undefined;
  for (const revision of check.versions) {
    if (revision.since <= minor) current = revision;
  }
  return current;
}

function effectiveMinor(version: KubeVersion): number {
  const minor = version.minor;
  if (!Number.isInteger(minor) || minor > LATEST_KUBE_VERSION.minor) return LATEST_KUBE_VERSION.minor;
  return Math.max(0, minor);
}

/**
 * The violations of `pod` against the Pod Security Standard `level` as of Kubernetes `version`, one per
 * forbidding check, in the order the admission controller lists them. Never throws on malformed input.
 * With `onlyLevel`, only the checks of that level are evaluated (the same violations, filtered by level,
 * without running the others: restricted's own checks next to a separate baseline evaluation).
 */
export function evaluatePodSecurity(pod: unknown, level: PssLevel, version: KubeVersion, onlyLevel?: PssLevel): PssViolation[] {
  if (level !== 'baseline' && level !== 'restricted') return [];
  const minor = effectiveMinor(version);
  const active: { readonly check: PssCheck; readonly revision: VersionedCheck }[] = [];
  for (const check of CHECKS) {
    if (level === 'baseline' && check.level !== 'baseline') continue;
    const revision = revisionAt(check, minor);
    if (revision) active.push({ check, revision });
  }
  const overridden = new Set(active.flatMap(({ revision }) => revision.overrides ?? []));

  const view = podView(pod);
  const violations: PssViolation[] = [];
  for (const { check, revision } of active) {
    if (check.level === 'baseline' && overridden.has(check.id)) continue;
    if (onlyLevel && check.level !== onlyLevel) continue;
    const finding = revision.evaluate(view);
    if (!finding) continue;
    violations.push({
      check: check.id,
      level: check.level,
      reason: finding.reason || 'unknown forbidden reason',
      detail: finding.detail,
      paths: finding.paths,
    });
  }
  return violations;
}

/** `reason (detail)`, the way the admission controller prints one violation. */
export function formatPssViolation(violation: PssViolation): string {
  return violation.detail === '' ? violation.reason : `${violation.reason} (${violation.detail})`;
}

/** The admission controller's whole message after `violates PodSecurity "<level>:<version>": `. */
export function formatPssViolations(violations: readonly PssViolation[]): string {
  return violations.map(formatPssViolation).join(', ');
}
