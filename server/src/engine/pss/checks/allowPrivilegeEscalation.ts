/** Port of upstream `check_allowPrivilegeEscalation.go` (from 1.8; Windows pods exempt from 1.25). */
import { containersPhrase } from '../format';
import type { CheckFinding, FieldPath, PodView, PssCheck } from '../model';

function allowPrivilegeEscalation_1_8(pod: PodView): CheckFinding | undefined {
  const badContainers: string[] = [];
  const paths: FieldPath[] = [];
  for (const c of pod.containers) {
    // Unset means allowed (the runtime default), so only an explicit false passes.
    if (c.securityContext?.['allowPrivilegeEscalation'] !== false) {
      badContainers.push(c.name);
      paths.push([...c.path, 'securityContext', 'allowPrivilegeEscalation']);
    }
  }
  if (badContainers.length === 0) return undefined;
  return {
    reason: 'allowPrivilegeEscalation != false',
    detail: `${containersPhrase(badContainers)} must set securityContext.allowPrivilegeEscalation=false`,
    paths,
  };
}

function allowPrivilegeEscalation_1_25(pod: PodView): CheckFinding | undefined {
  // The API rejects the field on Windows pods, so they are admitted without it.
  return pod.isWindows ? undefined : allowPrivilegeEscalation_1_8(pod);
}

export const allowPrivilegeEscalation: PssCheck = {
  id: 'allowPrivilegeEscalation',
  level: 'restricted',
  title: 'Privilege escalation',
  description:
    'Every container must set securityContext.allowPrivilegeEscalation=false explicitly (from 1.8; pods with ' +
    'spec.os.name: windows are exempt from 1.25).',
  versions: [
    { since: 8, evaluate: allowPrivilegeEscalation_1_8 },
    { since: 25, evaluate: allowPrivilegeEscalation_1_25 },
  ],
};
