import type { Rule } from './rule';
import { reportPss } from './pss';
import { containerAt } from './pss-fixes';
import { replaceScalarFix, setFieldFixes } from '../fixes/fields';

export const runAsUserZero: Rule = {
  meta: {
    id: 'run-as-user-zero',
    title: 'runAsUser: 0',
    category: 'pod-security',
    defaultSeverity: 'info',
    // run-as-root says "runs as root (uid 0): runAsUser: 0 is set" where the uid applies.
    yieldsTo: ['run-as-root'],
    pss: { level: 'restricted', checks: ['runAsUser'] },
    docs: {
      summary: 'Flags `runAsUser: 0` at pod or container level (Pod Security Standards, restricted, from Kubernetes 1.23; from 1.35 pods with `hostUsers: false` are exempt). Where the uid 0 is the one a container runs as, `run-as-root` reports it instead (one finding per cause and place); this rule then flags what is left, such as a pod-level `runAsUser: 0` every container overrides.',
      why: 'Without a user namespace, uid 0 in the container is uid 0 on the node\'s kernel: it owns every root-owned file a mount exposes, every capability the container keeps is effective at once, and a container escape lands as root. Combined with `runAsNonRoot: true` the kubelet refuses to start the container.',
      bad: { file: 'pod.yaml', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  securityContext:\n    runAsUser: 0\n  containers:\n    - name: app\n      image: app:1\n      securityContext:\n        runAsUser: 10001\n' },
      good: { file: 'pod.yaml', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  securityContext:\n    runAsUser: 10001\n  containers:\n    - name: app\n      image: app:1\n' },
      fix: 'Unsafe: sets `runAsUser` to a non-root uid: in a container the image\'s uid from a linked Dockerfile, else `secctx.defaultNonRootUid` (10001); at pod level `secctx.defaultNonRootUid`. The image must work as that user.',
      fixSafety: [
        { fix: 'Run as uid N (runAsUser: N)', safety: 'unsafe', why: 'Changes the user the author wrote.' },
      ],
      references: [
        'https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted',
        'https://kubernetes.io/docs/tasks/configure-pod-container/security-context/',
        'https://github.com/kubernetes/pod-security-admission/blob/master/policy/check_runAsUser.go',
      ],
    },
  },
  kubernetes(ctx) {
    reportPss(ctx, this.meta.pss!.checks, (pod, _v, path) => {
      const container = containerAt(pod, path);
      const uid = String(ctx.options.defaultNonRootUid);
      return container ? setFieldFixes(ctx.text, pod, container, ctx.options, 'numeric-user') : replaceScalarFix(ctx.text, pod, path, uid, `Run as uid ${uid} (runAsUser: ${uid})`);
    });
  },
};
