/** Port of upstream `check_runAsNonRoot.go` (relaxed for hostUsers: false from 1.35). */
import { containersPhrase } from '../format';
import type { CheckFinding, FieldPath, PodView, PssCheck } from '../model';

function runAsNonRoot_1_0(pod: PodView): CheckFinding | undefined {
  const badSetters: string[] = [];
  const explicitPaths: FieldPath[] = [];
  let podRunAsNonRoot = false;
  const podValue = pod.podSecurityContext?.['runAsNonRoot'];
  if (podValue === false) {
    badSetters.push('pod');
    explicitPaths.push(['spec', 'securityContext', 'runAsNonRoot']);
  } else if (podValue === true) {
    podRunAsNonRoot = true;
  }

  const explicitlyBad: string[] = [];
  const implicitlyBad: string[] = [];
  const implicitPaths: FieldPath[] = [];
  for (const c of pod.containers) {
    const value = c.securityContext?.['runAsNonRoot'];
    const path = [...c.path, 'securityContext', 'runAsNonRoot'];
    if (value === false) {
      explicitlyBad.push(c.name);
      explicitPaths.push(path);
    } else if (value !== true && !podRunAsNonRoot) {
      implicitlyBad.push(c.name);
      implicitPaths.push(path);
    }
  }
  if (explicitlyBad.length > 0) badSetters.push(containersPhrase(explicitlyBad));
  if (badSetters.length > 0) {
    return {
      reason: 'runAsNonRoot != true',
      detail: `${badSetters.join(' and ')} must not set securityContext.runAsNonRoot=false`,
      paths: explicitPaths,
    };
  }
  if (implicitlyBad.length > 0) {
    return {
      reason: 'runAsNonRoot != true',
      detail: `pod or ${containersPhrase(implicitlyBad)} must set securityContext.runAsNonRoot=true`,
      paths: implicitPaths,
    };
  }
  return undefined;
}

function runAsNonRoot_1_35(pod: PodView): CheckFinding | undefined {
  // In a user namespace, root in the container is not root on the node (KEP-127).
  return pod.inUserNamespace ? undefined : runAsNonRoot_1_0(pod);
}

export const runAsNonRoot: PssCheck = {
  id: 'runAsNonRoot',
  level: 'restricted',
  title: 'Running as non-root',
  description:
    'runAsNonRoot must be true, at pod level or in every container, and no level may set it to false. From 1.35 ' +
    'pods with hostUsers: false are exempt.',
  versions: [
    { since: 0, evaluate: runAsNonRoot_1_0 },
    { since: 35, evaluate: runAsNonRoot_1_35 },
  ],
};
