/** Port of upstream `check_capabilities_baseline.go`. */
import { containersPhrase, joinQuote, sortedSet } from '../format';
import { listOf, recordOf, scalarString } from '../model';
import type { CheckFinding, FieldPath, PodView, PssCheck } from '../model';

/** The capabilities a container may add at baseline: the classic Docker default set minus NET_RAW. */
export const BASELINE_ALLOWED_CAPABILITIES: ReadonlySet<string> = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);

function capabilitiesBaseline_1_0(pod: PodView): CheckFinding | undefined {
  const badContainers: string[] = [];
  const nonDefault: string[] = [];
  const paths: FieldPath[] = [];
  for (const c of pod.containers) {
    const capabilities = recordOf(c.securityContext?.['capabilities']);
    if (!capabilities) continue;
    let valid = true;
    listOf(capabilities['add']).forEach((entry, index) => {
      const capability = scalarString(entry);
      if (capability === undefined || BASELINE_ALLOWED_CAPABILITIES.has(capability)) return;
      valid = false;
      nonDefault.push(capability);
      paths.push([...c.path, 'securityContext', 'capabilities', 'add', index]);
    });
    if (!valid) badContainers.push(c.name);
  }
  if (badContainers.length === 0) return undefined;
  return {
    reason: 'non-default capabilities',
    detail: `${containersPhrase(badContainers)} must not include ${joinQuote(sortedSet(nonDefault))} in securityContext.capabilities.add`,
    paths,
  };
}

export const capabilitiesBaseline: PssCheck = {
  id: 'capabilities_baseline',
  level: 'baseline',
  title: 'Capabilities',
  description:
    'Adding capabilities beyond the default set (AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, ' +
    'NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT) is forbidden. Names are compared exactly.',
  versions: [{ since: 0, evaluate: capabilitiesBaseline_1_0 }],
};
