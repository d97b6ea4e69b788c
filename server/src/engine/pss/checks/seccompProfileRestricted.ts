/** Port of upstream `check_seccompProfile_restricted.go` (from 1.19; Windows pods exempt from 1.25). */
import { containersPhrase, joinQuote, sortedSet } from '../format';
import type { CheckFinding, FieldPath, PodView, PssCheck } from '../model';
import { seccompProfileType, validSeccompType } from './seccomp';

function seccompProfileRestricted_1_19(pod: PodView): CheckFinding | undefined {
  const badSetters: string[] = [];
  const badValues: string[] = [];
  const explicitPaths: FieldPath[] = [];
  let podSeccompSet = false;
  const podType = seccompProfileType(pod.podSecurityContext);
  if (podType !== undefined) {
    if (validSeccompType(podType)) {
      podSeccompSet = true;
    } else {
      badSetters.push('pod');
      badValues.push(podType);
      explicitPaths.push(['spec', 'securityContext', 'seccompProfile', 'type']);
    }
  }

  const explicitlyBad: string[] = [];
  const implicitlyBad: string[] = [];
  const implicitPaths: FieldPath[] = [];
  for (const c of pod.containers) {
    const type = seccompProfileType(c.securityContext);
    const path = [...c.path, 'securityContext', 'seccompProfile', 'type'];
    if (type !== undefined) {
      if (!validSeccompType(type)) {
        explicitlyBad.push(c.name);
        badValues.push(type);
        explicitPaths.push(path);
      }
    } else if (!podSeccompSet) {
      implicitlyBad.push(c.name);
      implicitPaths.push(path);
    }
  }
  if (explicitlyBad.length > 0) badSetters.push(containersPhrase(explicitlyBad));
  if (badSetters.length > 0) {
    return {
      reason: 'seccompProfile',
      detail: `${badSetters.join(' and ')} must not set securityContext.seccompProfile.type to ${joinQuote(sortedSet(badValues))}`,
      paths: explicitPaths,
    };
  }
  if (implicitlyBad.length > 0) {
    return {
      reason: 'seccompProfile',
      detail: `pod or ${containersPhrase(implicitlyBad)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`,
      paths: implicitPaths,
    };
  }
  return undefined;
}

function seccompProfileRestricted_1_25(pod: PodView): CheckFinding | undefined {
  // The API rejects seccompProfile on Windows pods, so they are admitted without it.
  return pod.isWindows ? undefined : seccompProfileRestricted_1_19(pod);
}

export const seccompProfileRestricted: PssCheck = {
  id: 'seccompProfile_restricted',
  level: 'restricted',
  title: 'Seccomp (restricted)',
  description:
    'From 1.19 a seccomp profile is required: the pod, or every container, must set seccompProfile.type to ' +
    'RuntimeDefault or Localhost; this replaces the baseline seccomp check. Windows pods are exempt from 1.25.',
  versions: [
    { since: 19, evaluate: seccompProfileRestricted_1_19, overrides: ['seccompProfile_baseline'] },
    { since: 25, evaluate: seccompProfileRestricted_1_25, overrides: ['seccompProfile_baseline'] },
  ],
};
