import type { Rule } from './rule';
import { reportPssBeyondBaseline } from './pss-overrides';
import { containerAt } from './pss-fixes';
import { dropAllCapabilitiesFix, removeForbiddenCapabilitiesFix } from '../fixes/fields';
import type { Fix } from '../types';

export const restrictedCapabilities: Rule = {
  meta: {
    id: 'restricted-capabilities',
    title: 'capabilities not dropped',
    category: 'pod-security',
    defaultSeverity: 'info',
    pss: { level: 'restricted', checks: ['capabilities_restricted'] },
    docs: {
      summary: 'Flags containers that do not drop all capabilities with `capabilities.drop: ["ALL"]` (the literal upper-case `ALL`), or that add any capability other than NET_BIND_SERVICE (Pod Security Standards, restricted, from Kubernetes 1.22; Windows pods are exempt from 1.25). Added capabilities outside the baseline allow-list are reported by `dangerous-capability` unless that rule is off.',
      why: 'Without `drop: ["ALL"]` the container keeps the runtime\'s default set: 14 capabilities on containerd, including NET_RAW (forge packets, spoof ARP and DNS on the pod network), DAC_OVERRIDE (ignore file permissions), SETUID/SETGID and MKNOD. A process running as root has them all; a non-root one regains them through setuid binaries or file capabilities unless privilege escalation is off. Dropping a few names leaves the rest.',
      bad: { file: 'pod.yaml', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: web:1\n      securityContext:\n        capabilities:\n          drop: ["NET_RAW"]\n' },
      good: { file: 'pod.yaml', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: web:1\n      securityContext:\n        capabilities:\n          drop: ["ALL"]\n          add: ["NET_BIND_SERVICE"]\n' },
      fix: 'Unsafe: adds `ALL` to the container\'s `capabilities.drop`, keeping the list\'s style (or creating it); an entry the runtime already reads as ALL (`all`, `CAP_ALL`) is respelled `ALL` instead. A workload that relies on a default capability (CHOWN, SETUID, …) stops working; at restricted only NET_BIND_SERVICE may be added back. Unsafe: on an added capability other than NET_BIND_SERVICE, removes the container\'s added capabilities other than NET_BIND_SERVICE (the whole `add` when nothing else is left); the workload loses what they allowed.',
      fixSafety: [
        { fix: 'Drop all capabilities; remove added ones other than NET_BIND_SERVICE', safety: 'unsafe', why: 'Takes away capabilities the workload may use.' },
      ],
      references: [
        'https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted',
        'https://kubernetes.io/docs/tasks/configure-pod-container/security-context/#set-capabilities-for-a-container',
        'https://github.com/kubernetes/pod-security-admission/blob/master/policy/check_capabilities_restricted.go',
      ],
    },
  },
  kubernetes(ctx) {
    // One finding per forbidden add, one fix for all of a container's: built once (10,000 adds stay linear).
    const removals = new Map<object, Fix[]>();
    reportPssBeyondBaseline(ctx, this.meta.pss!.checks, { check: 'capabilities_baseline', rule: 'dangerous-capability' }, (pod, _v, path): Fix[] => {
      const container = containerAt(pod, path);
      if (!container) return [];
      if (path[path.length - 2] === 'add') {
        let fixes = removals.get(container.node);
        if (!fixes) removals.set(container.node, (fixes = removeForbiddenCapabilitiesFix(ctx.text, container)));
        return fixes;
      }
      if (path[path.length - 1] !== 'drop') return [];
      // Respells a `drop` entry the runtime reads as ALL (`all`, `CAP_ALL`) instead of adding a second one.
      return dropAllCapabilitiesFix(ctx.text, container);
    });
  },
};
