import type { Rule } from './rule';
import { capabilityInfo } from '../capabilities';
import { capabilityItems } from '../kubernetes/walk';
import { quoteOf, replaceSpan, scalarText } from '../fixes/edits';

export const capabilityCase: Rule = {
  meta: {
    id: 'capability-case',
    title: 'capability name not in upper case',
    category: 'runtime',
    defaultSeverity: 'warning',
    docs: {
      summary: 'Flags capability names that are not upper case (`net_admin`, `All`).',
      why: 'Runtimes upper-case names, so the capability is granted, but Pod Security admission compares names exactly: `drop: ["all"]` does not satisfy the restricted profile and an added `chown` is not in the baseline allow-list, so the pod is rejected where the standard is enforced.',
      bad: { file: 'pod.yaml', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n    - name: app\n      image: app:1\n      securityContext:\n        capabilities:\n          add: ["net_bind_service"]\n' },
      good: { file: 'pod.yaml', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n    - name: app\n      image: app:1\n      securityContext:\n        capabilities:\n          add: ["NET_BIND_SERVICE"]\n' },
      fix: 'Safe: writes the name in upper case.',
      fixSafety: [
        { fix: 'Change to the upper-case name', safety: 'safe', why: 'containerd, CRI-O and Docker upper-case names already: nothing changes at run time.' },
      ],
      references: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/'],
    },
  },
  kubernetes(ctx) {
    for (const item of capabilityItems(ctx.model)) {
      const upper = item.raw.toUpperCase();
      if (upper === item.raw || /^cap_/i.test(item.raw)) continue;
      if (upper !== 'ALL' && !capabilityInfo(upper)) continue;
      ctx.report({
        span: item.span,
        message: `${item.raw} works in the runtime (names are upper-cased) but Pod Security admission compares names exactly${upper === 'ALL' && item.list === 'drop' ? ': drop "all" does not satisfy the restricted profile' : ''}. Write ${upper}.`,
        fixes: [{ title: `Change to ${upper}`, safety: 'safe', preferred: true, edits: replaceSpan(item.span, scalarText(upper, quoteOf(item.seq.items[item.index]))) }],
      });
    }
  },
};
