/** Port of upstream `check_hostPorts.go`. */
import { containersPhrase, pluralize, sortedSet } from '../format';
import { listOf, recordOf } from '../model';
import type { CheckFinding, FieldPath, PodView, PssCheck } from '../model';

function hostPorts_1_0(pod: PodView): CheckFinding | undefined {
  const badContainers: string[] = [];
  const hostPorts: string[] = [];
  const paths: FieldPath[] = [];
  for (const c of pod.containers) {
    let valid = true;
    listOf(c.container['ports']).forEach((entry, index) => {
      const hostPort = recordOf(entry)?.['hostPort'];
      if (typeof hostPort !== 'number' || hostPort === 0) return;
      valid = false;
      hostPorts.push(String(hostPort));
      paths.push([...c.path, 'ports', index, 'hostPort']);
    });
    if (!valid) badContainers.push(c.name);
  }
  if (badContainers.length === 0) return undefined;
  // Upstream collects the ports in a string set, so they are listed in string order: "10, 8080, 9090".
  const ports = sortedSet(hostPorts);
  return {
    reason: 'hostPort',
    detail:
      `${containersPhrase(badContainers)} ${pluralize('uses', 'use', badContainers.length)} ` +
      `${pluralize('hostPort', 'hostPorts', ports.length)} ${ports.join(', ')}`,
    paths,
  };
}

export const hostPorts: PssCheck = {
  id: 'hostPorts',
  level: 'baseline',
  title: 'Host ports',
  description: 'Binding container ports to the node (ports[*].hostPort other than 0) is forbidden.',
  versions: [{ since: 0, evaluate: hostPorts_1_0 }],
};
