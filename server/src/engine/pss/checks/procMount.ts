/** Port of upstream `check_procMount_baseline.go` (any value allowed with hostUsers: false from 1.35). */
import { containersPhrase, joinQuote, sortedSet } from '../format';
import { scalarString } from '../model';
import type { CheckFinding, FieldPath, PodView, PssCheck } from '../model';

/** Forbids any procMount other than Default, whatever the pod's user namespace. */
export function procMount_1_0(pod: PodView): CheckFinding | undefined {
  const badContainers: string[] = [];
  const forbiddenTypes: string[] = [];
  const paths: FieldPath[] = [];
  for (const c of pod.containers) {
    const procMount = scalarString(c.securityContext?.['procMount']);
    if (procMount === undefined || procMount === 'Default') continue;
    badContainers.push(c.name);
    forbiddenTypes.push(procMount);
    paths.push([...c.path, 'securityContext', 'procMount']);
  }
  if (badContainers.length === 0) return undefined;
  return {
    reason: 'procMount',
    detail: `${containersPhrase(badContainers)} must not set securityContext.procMount to ${joinQuote(sortedSet(forbiddenTypes))}`,
    paths,
  };
}

function procMount_1_35(pod: PodView): CheckFinding | undefined {
  return pod.inUserNamespace ? undefined : procMount_1_0(pod);
}

export const procMount: PssCheck = {
  id: 'procMount',
  level: 'baseline',
  title: '/proc mount type',
  description:
    'securityContext.procMount must be Default or unset: the default /proc masks reduce attack surface. ' +
    'From 1.35 any value is allowed in a pod with hostUsers: false.',
  versions: [
    { since: 0, evaluate: procMount_1_0 },
    { since: 35, evaluate: procMount_1_35 },
  ],
};
