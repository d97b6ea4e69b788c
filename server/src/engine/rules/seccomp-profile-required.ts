import type { Rule } from './rule';
import { reportPssBeyondBaseline } from './pss-overrides';
import { unsafeFix } from './pss-fixes';
import { replaceScalarFix } from '../fixes/fields';
import { setField } from '../fixes/edits';
import { deepestNode } from '../yaml/nodes';
import type { Node } from 'yaml';
import type { Fix } from '../types';

export const seccompProfileRequired: Rule = {
  meta: {
    id: 'seccomp-profile-required',
    title: 'seccomp profile not set',
    category: 'pod-security',
    defaultSeverity: 'info',
    pss: { level: 'restricted', checks: ['seccompProfile_restricted'] },
    docs: {
      summary: 'Flags pods where neither the pod nor every container sets `seccompProfile.type` to RuntimeDefault or Localhost, and any level that sets another type (Pod Security Standards, restricted, from Kubernetes 1.19; Windows pods are exempt from 1.25). A type that is written down but forbidden, such as `Unconfined`, is reported by `seccomp-unconfined` unless that rule is off.',
      why: 'An unset seccomp profile means Unconfined unless the kubelet runs with `seccompDefault: true`, which is off by default: the container can make every system call of the node\'s kernel, including those the runtime\'s default profile blocks (`keyctl`, `userfaultfd`, `kexec_load`, …) and that kernel exploits usually need. Admission cannot see the kubelet\'s setting, so restricted requires the profile in the manifest.',
      bad: { file: 'pod.yaml', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n    - name: app\n      image: app:1\n' },
      good: { file: 'pod.yaml', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  securityContext:\n    seccompProfile:\n      type: RuntimeDefault\n  containers:\n    - name: app\n      image: app:1\n' },
      fix: 'Unsafe: sets `seccompProfile: {type: RuntimeDefault}` in the pod\'s securityContext (every container inherits it), or replaces a forbidden type by `RuntimeDefault`. A workload that needs a system call the default profile blocks then fails with EPERM; give it a `Localhost` profile.',
      fixSafety: [
        { fix: 'Use the runtime\'s default seccomp profile (RuntimeDefault)', safety: 'unsafe', why: 'Where the kubelet runs unconfined by default, system calls the profile blocks then fail.' },
      ],
      references: [
        'https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted',
        'https://kubernetes.io/docs/tutorials/security/seccomp/',
        'https://github.com/kubernetes/pod-security-admission/blob/master/policy/check_seccompProfile_restricted.go',
      ],
    },
  },
  kubernetes(ctx) {
    // The pod-level fix is the same for every container without a profile: built once per pod.
    const podFixes = new Map<object, Fix[]>();
    reportPssBeyondBaseline(ctx, this.meta.pss!.checks, { check: 'seccompProfile_baseline', rule: 'seccomp-unconfined' }, (pod, _v, path): Fix[] => {
      // A forbidden type that is written down is replaced; a missing profile is set once, for the whole pod.
      const set = deepestNode(pod.podObject as unknown as Node, path).depth === path.length;
      if (set) return replaceScalarFix(ctx.text, pod, path, 'RuntimeDefault', 'Use the runtime\'s default seccomp profile (RuntimeDefault)');
      let fixes = podFixes.get(pod);
      if (!fixes) podFixes.set(pod, (fixes = unsafeFix('Use the runtime\'s default seccomp profile for the pod (RuntimeDefault)', setField(ctx.text, pod.spec, ['securityContext', 'seccompProfile', 'type'], 'RuntimeDefault'))));
      return fixes;
    });
  },
};
