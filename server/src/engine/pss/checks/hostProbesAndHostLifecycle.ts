/** Port of upstream `check_hostProbesAndhostLifecycle.go` (from 1.34). */
import { joinQuote, pluralize, sortedSet } from '../format';
import { recordOf, scalarString } from '../model';
import type { CheckFinding, FieldPath, JsonRecord, PodView, PssCheck } from '../model';

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;
const LIFECYCLE_HANDLERS = ['postStart', 'preStop'] as const;
const HANDLER_KINDS = ['httpGet', 'tcpSocket'] as const;

/** Non-empty `httpGet.host` / `tcpSocket.host` of a probe or lifecycle handler, with their paths. */
function forbiddenHosts(handler: JsonRecord | undefined, path: FieldPath, hosts: string[], paths: FieldPath[]): boolean {
  if (!handler) return false;
  let found = false;
  for (const kind of HANDLER_KINDS) {
    const host = scalarString(recordOf(handler[kind])?.['host']) ?? '';
    if (host === '') continue;
    found = true;
    hosts.push(host);
    paths.push([...path, kind, 'host']);
  }
  return found;
}

function hostProbesAndHostLifecycle_1_34(pod: PodView): CheckFinding | undefined {
  const badContainers: string[] = [];
  const hosts: string[] = [];
  const paths: FieldPath[] = [];
  for (const c of pod.containers) {
    let bad = false;
    for (const probe of PROBES) {
      if (forbiddenHosts(recordOf(c.container[probe]), [...c.path, probe], hosts, paths)) bad = true;
    }
    const lifecycle = recordOf(c.container['lifecycle']);
    for (const handler of LIFECYCLE_HANDLERS) {
      if (forbiddenHosts(recordOf(lifecycle?.[handler]), [...c.path, 'lifecycle', handler], hosts, paths)) bad = true;
    }
    if (bad) badContainers.push(c.name);
  }
  if (badContainers.length === 0) return undefined;
  // Upstream collects both containers and hosts in sets: sorted, without repeats.
  const containers = sortedSet(badContainers);
  const uniqueHosts = sortedSet(hosts);
  return {
    reason: 'probe or lifecycle host',
    detail:
      `${pluralize('container', 'containers', containers.length)} ${joinQuote(containers)} ` +
      `${pluralize('uses', 'use', containers.length)} ` +
      `${pluralize('probe or lifecycle host', 'probe or lifecycle hosts', uniqueHosts.length)} ${joinQuote(uniqueHosts)}`,
    paths,
  };
}

export const hostProbesAndHostLifecycle: PssCheck = {
  id: 'hostProbesAndHostLifecycle',
  level: 'baseline',
  title: 'Host probes and lifecycle hooks',
  description:
    'From 1.34, probes and lifecycle handlers must not set httpGet.host or tcpSocket.host: they would let the kubelet ' +
    'reach other hosts on the pod’s behalf.',
  versions: [{ since: 34, evaluate: hostProbesAndHostLifecycle_1_34 }],
};
