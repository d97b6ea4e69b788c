/** Port of upstream `check_privileged.go`. */
import { containersPhrase } from '../format';
import type { CheckFinding, FieldPath, PodView, PssCheck } from '../model';

function privileged_1_0(pod: PodView): CheckFinding | undefined {
  const badContainers: string[] = [];
  const paths: FieldPath[] = [];
  for (const c of pod.containers) {
    if (c.securityContext?.['privileged'] === true) {
      badContainers.push(c.name);
      paths.push([...c.path, 'securityContext', 'privileged']);
    }
  }
  if (badContainers.length === 0) return undefined;
  return {
    reason: 'privileged',
    detail: `${containersPhrase(badContainers)} must not set securityContext.privileged=true`,
    paths,
  };
}

export const privileged: PssCheck = {
  id: 'privileged',
  level: 'baseline',
  title: 'Privileged containers',
  description:
    'Privileged containers disable most security mechanisms. securityContext.privileged must be false or unset.',
  versions: [{ since: 0, evaluate: privileged_1_0 }],
};
