/** Port of upstream `check_capabilities_restricted.go` (from 1.22; Windows pods exempt from 1.25). */
import { containersPhrase, joinQuote, sortedSet } from '../format';
import { listOf, recordOf, scalarString } from '../model';
import type { CheckFinding, FieldPath, PodView, PssCheck } from '../model';

function capabilitiesRestricted_1_22(pod: PodView): CheckFinding | undefined {
  const missingDropAll: string[] = [];
  const missingDropAllPaths: FieldPath[] = [];
  const addingForbidden: string[] = [];
  const addingForbiddenPaths: FieldPath[] = [];
  const forbiddenCapabilities: string[] = [];
  for (const c of pod.containers) {
    const capabilitiesPath = [...c.path, 'securityContext', 'capabilities'];
    const capabilities = recordOf(c.securityContext?.['capabilities']);
    if (!capabilities) {
      missingDropAll.push(c.name);
      missingDropAllPaths.push([...capabilitiesPath, 'drop']);
      continue;
    }
    // The literal ALL: lower-case "all" or CAP_ALL do not count.
    if (!listOf(capabilities['drop']).some((capability) => capability === 'ALL')) {
      missingDropAll.push(c.name);
      missingDropAllPaths.push([...capabilitiesPath, 'drop']);
    }
    let addedForbidden = false;
    listOf(capabilities['add']).forEach((entry, index) => {
      const capability = scalarString(entry);
      if (capability === undefined || capability === 'NET_BIND_SERVICE') return;
      addedForbidden = true;
      forbiddenCapabilities.push(capability);
      addingForbiddenPaths.push([...capabilitiesPath, 'add', index]);
    });
    if (addedForbidden) addingForbidden.push(c.name);
  }
  const details: string[] = [];
  if (missingDropAll.length > 0) {
    details.push(`${containersPhrase(missingDropAll)} must set securityContext.capabilities.drop=["ALL"]`);
  }
  if (addingForbidden.length > 0) {
    details.push(
      `${containersPhrase(addingForbidden)} must not include ${joinQuote(sortedSet(forbiddenCapabilities))} in securityContext.capabilities.add`,
    );
  }
  if (details.length === 0) return undefined;
  return {
    reason: 'unrestricted capabilities',
    detail: details.join('; '),
    paths: [...missingDropAllPaths, ...addingForbiddenPaths],
  };
}

function capabilitiesRestricted_1_25(pod: PodView): CheckFinding | undefined {
  // The API rejects capabilities on Windows pods, so they are admitted without them.
  return pod.isWindows ? undefined : capabilitiesRestricted_1_22(pod);
}

export const capabilitiesRestricted: PssCheck = {
  id: 'capabilities_restricted',
  level: 'restricted',
  title: 'Capabilities (restricted)',
  description:
    'From 1.22 every container must drop ALL capabilities (the literal "ALL") and may add back only NET_BIND_SERVICE; ' +
    'this replaces the baseline capabilities check. Windows pods are exempt from 1.25.',
  versions: [
    { since: 22, evaluate: capabilitiesRestricted_1_22, overrides: ['capabilities_baseline'] },
    { since: 25, evaluate: capabilitiesRestricted_1_25, overrides: ['capabilities_baseline'] },
  ],
};
