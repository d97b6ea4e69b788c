import type { Rule } from './rule';
import { reportPss } from './pss';
import { containerLabel } from '../docker/findings';

export const hostNamespaces: Rule = {
  meta: {
    id: 'host-namespaces',
    title: 'host namespaces shared',
    category: 'pod-security',
    defaultSeverity: 'warning',
    pss: { level: 'baseline', checks: ['hostNamespaces'] },
    docs: {
      summary: 'Flags `hostNetwork`, `hostPID` and `hostIPC` set to true (Pod Security Standards, baseline).',
      why: 'The pod shares the node\'s network stack, process table or IPC: it can bind node ports and sniff node traffic, see and signal every process on the node, or read other workloads\' shared memory.',
      bad: { file: 'pod.yaml', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: agent\nspec:\n  hostPID: true\n  containers:\n    - name: agent\n      image: agent:1\n' },
      good: { file: 'pod.yaml', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: agent\nspec:\n  containers:\n    - name: agent\n      image: agent:1\n' },
      fix: 'None: removing a host namespace changes what the workload can do; decide by hand.',
      references: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline'],
    },
  },
  kubernetes(ctx) {
    reportPss(ctx, this.meta.pss!.checks);
  },
  /** `network_mode`/`pid`/`ipc: host` (or joining a service that uses them), `--network`/`--pid`/`--ipc host`. */
  docker(ctx) {
    for (const c of ctx.model.containers) {
      const e = c.effective;
      for (const [setting, host, what] of [[c.settings.network, e.hostNetwork, 'network'], [c.settings.pid, e.hostPID, 'PID'], [c.settings.ipc, e.hostIPC, 'IPC']] as const) {
        if (!setting || setting.inheritedFrom !== undefined || !host.value) continue;
        ctx.report({ span: setting.span, message: `${containerLabel(c)} uses the host ${what} namespace${host.note ? ` (${host.note})` : ''}.` });
      }
    }
  },
};
