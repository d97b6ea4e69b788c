/** Port of upstream `check_seccompProfile_baseline.go`: annotations before 1.19, fields from 1.19. */
import { containersPhrase, goQuote, joinQuote, pluralize, sortedSet } from '../format';
import { scalarString } from '../model';
import type { CheckFinding, FieldPath, PodView, PssCheck } from '../model';
import {
  SECCOMP_CONTAINER_ANNOTATION_PREFIX,
  SECCOMP_POD_ANNOTATION,
  seccompProfileType,
  validSeccompAnnotationValue,
  validSeccompType,
} from './seccomp';

function seccompProfileBaseline_1_0(pod: PodView): CheckFinding | undefined {
  const forbidden = new Map<string, FieldPath>();
  const inspect = (key: string): void => {
    const value = scalarString(pod.annotations[key]);
    if (value !== undefined && !validSeccompAnnotationValue(value)) {
      forbidden.set(`${key}=${goQuote(value)}`, ['metadata', 'annotations', key]);
    }
  };
  inspect(SECCOMP_POD_ANNOTATION);
  for (const c of pod.containers) inspect(SECCOMP_CONTAINER_ANNOTATION_PREFIX + c.name);
  if (forbidden.size === 0) return undefined;
  const annotations = sortedSet(forbidden.keys());
  return {
    reason: 'seccompProfile',
    detail: `forbidden ${pluralize('annotation', 'annotations', annotations.length)} ${annotations.join(', ')}`,
    paths: annotations.map((annotation) => forbidden.get(annotation) ?? []),
  };
}

function seccompProfileBaseline_1_19(pod: PodView): CheckFinding | undefined {
  const badSetters: string[] = [];
  const badValues: string[] = [];
  const paths: FieldPath[] = [];
  const podType = seccompProfileType(pod.podSecurityContext);
  if (podType !== undefined && !validSeccompType(podType)) {
    badSetters.push('pod');
    badValues.push(podType);
    paths.push(['spec', 'securityContext', 'seccompProfile', 'type']);
  }
  const badContainers: string[] = [];
  for (const c of pod.containers) {
    const type = seccompProfileType(c.securityContext);
    if (type !== undefined && !validSeccompType(type)) {
      badContainers.push(c.name);
      badValues.push(type);
      paths.push([...c.path, 'securityContext', 'seccompProfile', 'type']);
    }
  }
  if (badContainers.length > 0) badSetters.push(containersPhrase(badContainers));
  if (badSetters.length === 0) return undefined;
  return {
    reason: 'seccompProfile',
    detail: `${badSetters.join(' and ')} must not set securityContext.seccompProfile.type to ${joinQuote(sortedSet(badValues))}`,
    paths,
  };
}

export const seccompProfileBaseline: PssCheck = {
  id: 'seccompProfile_baseline',
  level: 'baseline',
  title: 'Seccomp',
  description:
    'A seccomp profile, where set, must be RuntimeDefault or Localhost (before 1.19: the seccomp annotations must be ' +
    'runtime/default, docker/default or localhost/*). Unconfined is forbidden.',
  versions: [
    { since: 0, evaluate: seccompProfileBaseline_1_0 },
    { since: 19, evaluate: seccompProfileBaseline_1_19 },
  ],
};
