/** Port of upstream `check_runAsUser.go` (from 1.23; relaxed for hostUsers: false from 1.35). */
import { containersPhrase } from '../format';
import type { CheckFinding, FieldPath, PodView, PssCheck } from '../model';

function runAsUser_1_23(pod: PodView): CheckFinding | undefined {
  const badSetters: string[] = [];
  const paths: FieldPath[] = [];
  if (pod.podSecurityContext?.['runAsUser'] === 0) {
    badSetters.push('pod');
    paths.push(['spec', 'securityContext', 'runAsUser']);
  }
  const badContainers: string[] = [];
  for (const c of pod.containers) {
    if (c.securityContext?.['runAsUser'] === 0) {
      badContainers.push(c.name);
      paths.push([...c.path, 'securityContext', 'runAsUser']);
    }
  }
  if (badContainers.length > 0) badSetters.push(containersPhrase(badContainers));
  if (badSetters.length === 0) return undefined;
  return { reason: 'runAsUser=0', detail: `${badSetters.join(' and ')} must not set runAsUser=0`, paths };
}

function runAsUser_1_35(pod: PodView): CheckFinding | undefined {
  return pod.inUserNamespace ? undefined : runAsUser_1_23(pod);
}

export const runAsUser: PssCheck = {
  id: 'runAsUser',
  level: 'restricted',
  title: 'Running as non-root user',
  description: 'From 1.23, neither the pod nor a container may set runAsUser: 0. From 1.35 pods with hostUsers: false are exempt.',
  versions: [
    { since: 23, evaluate: runAsUser_1_23 },
    { since: 35, evaluate: runAsUser_1_35 },
  ],
};
