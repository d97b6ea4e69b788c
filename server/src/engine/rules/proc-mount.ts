import type { Rule, RuleContext } from './rule';
import type { KubernetesDocument } from '../kubernetes/model';
import { reportPss } from './pss';
import { replaceScalarFix } from '../fixes/fields';
import { containerLabel, unconfinedOpts } from '../docker/findings';
import { removeSetting } from '../docker/fixes';

export const procMount: Rule = {
  meta: {
    id: 'proc-mount',
    title: 'unmasked /proc',
    category: 'pod-security',
    defaultSeverity: 'warning',
    pss: { level: 'baseline', checks: ['procMount', 'procMount_restricted'] },
    docs: {
      summary: 'Flags a `procMount` other than `Default` (that is, `Unmasked`) (Pod Security Standards, baseline; from Kubernetes 1.35 baseline allows it in pods with `hostUsers: false`, restricted still does not).',
      why: 'The runtime normally masks parts of /proc (`/proc/kcore`, `/proc/keys`, `/proc/timer_list`, …) and mounts others read-only (`/proc/sys`, `/proc/sysrq-trigger`, `/proc/irq`, `/proc/bus`). `Unmasked` drops both, so the container can read kernel information and, as root with the capabilities to do so, write kernel settings and trigger SysRq actions that act on the whole node. In a user namespace (`hostUsers: false`) those writes are refused, which is why baseline relaxes the check there from 1.35.',
      bad: { file: 'pod.yaml', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: builder\nspec:\n  containers:\n    - name: builder\n      image: builder:1\n      securityContext:\n        procMount: Unmasked\n' },
      good: { file: 'pod.yaml', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: builder\nspec:\n  containers:\n    - name: builder\n      image: builder:1\n      securityContext:\n        procMount: Default\n' },
      fix: 'Unsafe: sets `procMount: Default`. A workload that runs containers itself (nested runtimes, image builders) may need the unmasked /proc; at baseline, run it in a user namespace (`hostUsers: false`) instead.',
      fixSafety: [
        { fix: 'Mask /proc (procMount: Default); remove `systempaths=unconfined`', safety: 'unsafe', why: 'Nested runtimes and builders may need the unmasked /proc.' },
      ],
      references: [
        'https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline',
        'https://kubernetes.io/docs/concepts/workloads/pods/user-namespaces/',
        'https://github.com/kubernetes/pod-security-admission/blob/master/policy/check_procMount.go',
      ],
    },
  },
  kubernetes(ctx) {
    // At restricted, the baseline check and its restricted replacement (1.35) flag the same field for the
    // same cause: report it once, with the baseline check's words and severity, which come first.
    const reported = new Set<string>();
    const once: RuleContext<KubernetesDocument> = {
      ...ctx,
      report(report) {
        const key = `${report.span.start}:${report.span.end}`;
        if (reported.has(key)) return;
        reported.add(key);
        ctx.report(report);
      },
    };
    reportPss(once, this.meta.pss!.checks, (pod, _v, path) => replaceScalarFix(ctx.text, pod, path, 'Default', 'Mask /proc (procMount: Default)'));
  },
  /** `systempaths=unconfined` in `security_opt` / `--security-opt`. */
  docker(ctx) {
    for (const { container, setting } of unconfinedOpts(ctx.model, 'systempaths')) {
      const edits = removeSetting(ctx.text, container, setting);
      ctx.report({
        span: setting.span,
        message: `${containerLabel(container)} runs with /proc and /sys unmasked and writable: kernel information and settings that Docker normally hides or write-protects are open to it.`,
        fixes: edits ? [{ title: `Remove ${setting.raw}`, safety: 'unsafe', edits }] : [],
      });
    }
  },
};
