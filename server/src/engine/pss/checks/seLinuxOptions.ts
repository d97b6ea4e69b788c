/** Port of upstream `check_seLinuxOptions.go` (container_engine_t allowed from 1.31). */
import { containersPhrase, joinQuote, pluralize, sortedSet } from '../format';
import { recordOf, scalarString } from '../model';
import type { CheckFinding, FieldPath, JsonRecord, PodView, PssCheck } from '../model';

const ALLOWED_TYPES_1_0: ReadonlySet<string> = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t']);
const ALLOWED_TYPES_1_31: ReadonlySet<string> = new Set([...ALLOWED_TYPES_1_0, 'container_engine_t']);

function seLinuxOptionsCheck(allowedTypes: ReadonlySet<string>) {
  return (pod: PodView): CheckFinding | undefined => {
    const badTypes: string[] = [];
    let setUser = false;
    let setRole = false;
    const paths: FieldPath[] = [];

    /** Records what is wrong with one seLinuxOptions; true when it is allowed. */
    const validate = (options: JsonRecord, path: FieldPath): boolean => {
      let valid = true;
      const type = scalarString(options['type']) ?? '';
      if (!allowedTypes.has(type)) {
        valid = false;
        badTypes.push(type);
        paths.push([...path, 'type']);
      }
      if ((scalarString(options['user']) ?? '').length > 0) {
        valid = false;
        setUser = true;
        paths.push([...path, 'user']);
      }
      if ((scalarString(options['role']) ?? '').length > 0) {
        valid = false;
        setRole = true;
        paths.push([...path, 'role']);
      }
      return valid;
    };

    const badSetters: string[] = [];
    const podOptions = recordOf(pod.podSecurityContext?.['seLinuxOptions']);
    if (podOptions && !validate(podOptions, ['spec', 'securityContext', 'seLinuxOptions'])) badSetters.push('pod');
    const badContainers: string[] = [];
    for (const c of pod.containers) {
      const options = recordOf(c.securityContext?.['seLinuxOptions']);
      if (options && !validate(options, [...c.path, 'securityContext', 'seLinuxOptions'])) badContainers.push(c.name);
    }
    if (badContainers.length > 0) badSetters.push(containersPhrase(badContainers));
    if (badSetters.length === 0) return undefined;

    const badData: string[] = [];
    const types = sortedSet(badTypes);
    if (types.length > 0) badData.push(`${pluralize('type', 'types', types.length)} ${joinQuote(types)}`);
    if (setUser) badData.push('user may not be set');
    if (setRole) badData.push('role may not be set');
    return {
      reason: 'seLinuxOptions',
      detail: `${badSetters.join(' and ')} set forbidden securityContext.seLinuxOptions: ${badData.join('; ')}`,
      paths,
    };
  };
}

export const seLinuxOptions: PssCheck = {
  id: 'seLinuxOptions',
  level: 'baseline',
  title: 'SELinux',
  description:
    'seLinuxOptions.type must be unset, container_t, container_init_t or container_kvm_t (from 1.31 also ' +
    'container_engine_t); seLinuxOptions.user and .role must not be set.',
  versions: [
    { since: 0, evaluate: seLinuxOptionsCheck(ALLOWED_TYPES_1_0) },
    { since: 31, evaluate: seLinuxOptionsCheck(ALLOWED_TYPES_1_31) },
  ],
};
