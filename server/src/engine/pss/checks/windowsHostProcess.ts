/** Port of upstream `check_windowsHostProcess.go`. */
import { containersPhrase } from '../format';
import { recordOf } from '../model';
import type { CheckFinding, FieldPath, JsonRecord, PodView, PssCheck } from '../model';

function setsHostProcess(securityContext: JsonRecord | undefined): boolean {
  return recordOf(securityContext?.['windowsOptions'])?.['hostProcess'] === true;
}

function windowsHostProcess_1_0(pod: PodView): CheckFinding | undefined {
  const badSetters: string[] = [];
  const paths: FieldPath[] = [];
  if (setsHostProcess(pod.podSecurityContext)) {
    badSetters.push('pod');
    paths.push(['spec', 'securityContext', 'windowsOptions', 'hostProcess']);
  }
  const badContainers: string[] = [];
  for (const c of pod.containers) {
    if (setsHostProcess(c.securityContext)) {
      badContainers.push(c.name);
      paths.push([...c.path, 'securityContext', 'windowsOptions', 'hostProcess']);
    }
  }
  if (badContainers.length > 0) badSetters.push(containersPhrase(badContainers));
  if (badSetters.length === 0) return undefined;
  return {
    reason: 'hostProcess',
    detail: `${badSetters.join(' and ')} must not set securityContext.windowsOptions.hostProcess=true`,
    paths,
  };
}

export const windowsHostProcess: PssCheck = {
  id: 'windowsHostProcess',
  level: 'baseline',
  title: 'Windows HostProcess',
  description: 'Windows HostProcess containers get privileged access to the node: windowsOptions.hostProcess must be false or unset.',
  versions: [{ since: 0, evaluate: windowsHostProcess_1_0 }],
};
