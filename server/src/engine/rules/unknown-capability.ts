import type { Rule } from './rule';
import { capabilityInfo, interpretCapabilityName, suggestCapability } from '../capabilities';
import { settingsOnce } from '../docker/findings';
import { capabilityItems } from '../kubernetes/walk';
import { replaceSpan } from '../fixes/edits';

/** The name without `CAP_`, upper case: what the capability would be if the runtime were lenient. */
export function bareCapability(raw: string): string {
  return raw.toUpperCase().replace(/^CAP_/, '');
}

export const unknownCapability: Rule = {
  meta: {
    id: 'unknown-capability',
    title: 'unknown capability name',
    category: 'runtime',
    defaultSeverity: 'error',
    docs: {
      summary: 'Flags names in `capabilities.add`/`drop` that are not Linux capabilities, and suggests the closest one.',
      why: 'Kubernetes does not validate capability names. containerd passes an unknown name on and current runc ignores it with a warning (older runtimes refuse to start the container); CRI-O refuses it. Either way the capability you meant is not added or dropped.',
      bad: { file: 'pod.yaml', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: vpn\nspec:\n  containers:\n    - name: vpn\n      image: vpn:1\n      securityContext:\n        capabilities:\n          add: ["NET_ADMN"]\n' },
      good: { file: 'pod.yaml', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: vpn\nspec:\n  containers:\n    - name: vpn\n      image: vpn:1\n      securityContext:\n        capabilities:\n          add: ["NET_ADMIN"]\n' },
      fix: 'Safe in `drop`: replaces the name with the suggested capability. Unsafe in `add` (and Compose `cap_add`, `docker run --cap-add`): the container then gets a capability it does not have today, so it stays the preferred quick fix but `--fix` and fix-all-on-save leave it.',
      fixSafety: [
        { fix: 'Change to the suggested capability in `add` (Kubernetes), `cap_add` or `--cap-add` (Docker)', safety: 'unsafe', why: 'Today runc ignores the name (containerd) or the runtime refuses the container (CRI-O, Docker): corrected, the capability is granted.' },
        { fix: 'Change to the suggested capability in `drop`, `cap_drop` or `--cap-drop`', safety: 'safe', why: 'Dropping narrows, as written.' },
      ],
      references: ['https://man7.org/linux/man-pages/man7/capabilities.7.html', 'https://github.com/containerd/containerd/blob/main/pkg/oci/spec_opts.go'],
    },
  },
  kubernetes(ctx) {
    for (const item of capabilityItems(ctx.model)) {
      const bare = bareCapability(item.raw);
      if (bare === 'ALL' || capabilityInfo(bare)) continue;
      const suggestion = suggestCapability(item.raw);
      const effect = ctx.options.runtime === 'cri-o' ? 'CRI-O refuses to create the container' : ctx.options.runtime === 'docker' ? 'Docker refuses to create the container' : 'containerd passes it on and runc ignores it, so nothing is ' + (item.list === 'add' ? 'added' : 'dropped');
      ctx.report({
        span: item.span,
        message: `${item.raw} is not a Linux capability: ${effect}.${suggestion ? ` Did you mean ${suggestion}?` : ''}`,
        // Corrected in `add`, the capability is granted where today it is not (runc ignores the name, CRI-O refuses the container).
        fixes: suggestion ? [{ title: `Change to ${suggestion}`, safety: item.list === 'add' ? 'unsafe' : 'safe', preferred: true, edits: replaceSpan(item.span, suggestion) }] : [],
      });
    }
  },
  /** Docker accepts any case and the `CAP_` prefix, and refuses names it does not know. */
  docker(ctx) {
    for (const { container, setting } of settingsOnce(ctx.model, (s) => [...s.capAdd, ...s.capDrop])) {
      if (setting.value === undefined || !interpretCapabilityName('docker', setting.value).problem) continue;
      const suggestion = /^cap_all$/i.test(setting.value) ? 'ALL' : suggestCapability(setting.value);
      ctx.report({
        span: setting.valueSpan,
        message: `${setting.value} is not a Linux capability: Docker refuses to create the container.${suggestion ? ` Did you mean ${suggestion}?` : ''}`,
        // Docker refuses the container today: corrected in cap_add, it runs with the capability.
        fixes: suggestion ? [{ title: `Change to ${suggestion}`, safety: container.settings.capAdd.includes(setting) ? 'unsafe' : 'safe', preferred: true, edits: replaceSpan(setting.valueSpan, suggestion) }] : [],
      });
    }
  },
};
