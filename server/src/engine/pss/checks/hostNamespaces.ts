/** Port of upstream `check_hostNamespaces.go`. */
import type { CheckFinding, FieldPath, PodView, PssCheck } from '../model';

const HOST_NAMESPACE_FIELDS = ['hostNetwork', 'hostPID', 'hostIPC'] as const;

function hostNamespaces_1_0(pod: PodView): CheckFinding | undefined {
  const shared: string[] = [];
  const paths: FieldPath[] = [];
  for (const field of HOST_NAMESPACE_FIELDS) {
    if (pod.spec[field] === true) {
      shared.push(`${field}=true`);
      paths.push(['spec', field]);
    }
  }
  if (shared.length === 0) return undefined;
  return { reason: 'host namespaces', detail: shared.join(', '), paths };
}

export const hostNamespaces: PssCheck = {
  id: 'hostNamespaces',
  level: 'baseline',
  title: 'Host namespaces',
  description: 'Sharing the host network, PID or IPC namespace is forbidden: hostNetwork, hostPID and hostIPC must be false or unset.',
  versions: [{ since: 0, evaluate: hostNamespaces_1_0 }],
};
