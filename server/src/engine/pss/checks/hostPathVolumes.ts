/** Port of upstream `check_hostPathVolumes.go`. */
import { joinQuote, pluralize } from '../format';
import { isSet } from '../model';
import type { CheckFinding, FieldPath, PodView, PssCheck } from '../model';

function hostPathVolumes_1_0(pod: PodView): CheckFinding | undefined {
  const hostVolumes: string[] = [];
  const paths: FieldPath[] = [];
  for (const v of pod.volumes) {
    if (isSet(v.volume['hostPath'])) {
      hostVolumes.push(v.name);
      paths.push([...v.path, 'hostPath']);
    }
  }
  if (hostVolumes.length === 0) return undefined;
  return {
    reason: 'hostPath volumes',
    detail: `${pluralize('volume', 'volumes', hostVolumes.length)} ${joinQuote(hostVolumes)}`,
    paths,
  };
}

export const hostPathVolumes: PssCheck = {
  id: 'hostPathVolumes',
  level: 'baseline',
  title: 'HostPath volumes',
  description: 'hostPath volumes are forbidden.',
  versions: [{ since: 0, evaluate: hostPathVolumes_1_0 }],
};
