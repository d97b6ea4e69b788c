import type { Rule } from './rule';
import { reportPss } from './pss';
import { capabilityInfo, interpretCapabilityName, isDefaultCapability } from '../capabilities';
import { containerLabel, settingsOnce } from '../docker/findings';
import { removeSetting } from '../docker/fixes';
import { containerAt } from './pss-fixes';
import { removeAddedCapabilityFix } from '../fixes/fields';
import type { Fix } from '../types';

export const dangerousCapability: Rule = {
  meta: {
    id: 'dangerous-capability',
    title: 'capability outside the baseline allow-list',
    category: 'pod-security',
    defaultSeverity: 'warning',
    pss: { level: 'baseline', checks: ['capabilities_baseline'] },
    docs: {
      summary: 'Flags added capabilities outside AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT (Pod Security Standards, baseline; exact names).',
      why: 'Capabilities such as SYS_ADMIN, NET_ADMIN, SYS_PTRACE or SYS_MODULE give a container powers over the node or its neighbours that namespaces do not contain.',
      bad: { file: 'pod.yaml', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: vpn\nspec:\n  containers:\n    - name: vpn\n      image: vpn:1\n      securityContext:\n        capabilities:\n          add: ["NET_ADMIN"]\n' },
      good: { file: 'pod.yaml', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: vpn\nspec:\n  containers:\n    - name: vpn\n      image: vpn:1\n      securityContext:\n        capabilities:\n          add: ["NET_BIND_SERVICE"]\n' },
      fix: 'Unsafe (offered in the editor, never applied on save or by `--fix` without `--fix-unsafe`): "Remove capability X" deletes the added name from the list (the whole `add`/`cap_add` when it is the last one). The workload loses what the capability allowed; decide whether it needs it.',
      fixSafety: [
        { fix: 'Remove capability X', safety: 'unsafe', why: 'Takes away a capability the author added.' },
      ],
      references: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline'],
    },
  },
  kubernetes(ctx) {
    // The violation's path ends at the offending `add` item: `[..., 'add', index]`.
    reportPss(ctx, this.meta.pss!.checks, (pod, _v, path): Fix[] => {
      const container = containerAt(pod, path);
      const index = path[path.length - 1];
      return container && path[path.length - 2] === 'add' && typeof index === 'number' ? removeAddedCapabilityFix(ctx.text, container, index) : [];
    });
  },
  /** Capabilities added beyond Docker's default set (`privileged` is reported by its own rule). */
  docker(ctx) {
    for (const { container, setting } of settingsOnce(ctx.model, (s) => s.capAdd)) {
      if (setting.value === undefined || container.effective.privileged.value) continue;
      const v = interpretCapabilityName('docker', setting.value);
      if (!v.all && (!v.capability || isDefaultCapability('docker', v.capability))) continue;
      const info = v.capability ? capabilityInfo(v.capability) : undefined;
      const what = v.all ? 'ALL: every capability, SYS_ADMIN, SYS_MODULE and SYS_PTRACE among them' : `${v.capability}, which Docker does not grant by default: ${info?.risk ?? info?.description ?? ''}`;
      const removal = removeSetting(ctx.text, container, setting);
      const fixes: Fix[] = removal ? [{ title: `Remove capability ${setting.value}`, safety: 'unsafe', edits: removal }] : [];
      ctx.report({ span: setting.valueSpan, message: `${containerLabel(container)} adds ${what}${v.all ? '.' : ''}`, fixes });
    }
  },
};
