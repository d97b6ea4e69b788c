/** Port of upstream `check_appArmorProfile.go`: the appArmorProfile fields and the beta annotations. */
import { compareGo, containersPhrase, goQuote, joinQuote, pluralize, sortedSet } from '../format';
import { recordOf, scalarString } from '../model';
import type { CheckFinding, FieldPath, JsonRecord, PodView, PssCheck } from '../model';

const ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

function allowedAnnotationValue(profile: string): boolean {
  return profile.length === 0 || profile === 'runtime/default' || profile.startsWith('localhost/');
}

function allowedProfileType(type: string): boolean {
  return type === 'RuntimeDefault' || type === 'Localhost';
}

/** `appArmorProfile.type`, `''` for a profile without a type; undefined when no profile is set. */
function profileType(securityContext: JsonRecord | undefined): string | undefined {
  const profile = recordOf(securityContext?.['appArmorProfile']);
  if (!profile) return undefined;
  return scalarString(profile['type']) ?? '';
}

function appArmorProfile_1_0(pod: PodView): CheckFinding | undefined {
  const badSetters: string[] = [];
  const badValues: string[] = [];
  const paths: FieldPath[] = [];

  const podType = profileType(pod.podSecurityContext);
  if (podType !== undefined && !allowedProfileType(podType)) {
    badSetters.push('pod');
    badValues.push(podType);
    paths.push(['spec', 'securityContext', 'appArmorProfile', 'type']);
  }
  const badContainers: string[] = [];
  for (const c of pod.containers) {
    const type = profileType(c.securityContext);
    if (type !== undefined && !allowedProfileType(type)) {
      badContainers.push(c.name);
      badValues.push(type);
      paths.push([...c.path, 'securityContext', 'appArmorProfile', 'type']);
    }
  }
  if (badContainers.length > 0) badSetters.push(containersPhrase(badContainers));

  const annotations: { readonly text: string; readonly key: string }[] = [];
  for (const [key, value] of Object.entries(pod.annotations)) {
    const profile = scalarString(value);
    if (key.startsWith(ANNOTATION_PREFIX) && profile !== undefined && !allowedAnnotationValue(profile)) {
      annotations.push({ text: `${key}=${goQuote(profile)}`, key });
    }
  }
  annotations.sort((a, b) => compareGo(a.text, b.text));
  const badValueList = [...sortedSet(badValues), ...annotations.map((a) => a.text)];
  if (annotations.length > 0) {
    badSetters.push(pluralize('annotation', 'annotations', annotations.length));
    for (const a of annotations) paths.push(['metadata', 'annotations', a.key]);
  }

  if (badSetters.length === 0) return undefined;
  return {
    reason: pluralize('forbidden AppArmor profile', 'forbidden AppArmor profiles', badValueList.length),
    detail: `${badSetters.join(' and ')} must not set AppArmor profile type to ${joinQuote(badValueList)}`,
    paths,
  };
}

export const appArmorProfile: PssCheck = {
  id: 'appArmorProfile',
  level: 'baseline',
  title: 'AppArmor',
  description:
    'appArmorProfile.type must be RuntimeDefault, Localhost or unset, and the container.apparmor.security.beta.kubernetes.io/* ' +
    'annotations must be runtime/default, localhost/* or empty: overriding or disabling the default profile is forbidden.',
  versions: [{ since: 0, evaluate: appArmorProfile_1_0 }],
};
