import type { Rule } from './rule';
import { interpretCapabilityName, isDefaultCapability } from '../capabilities';
import { capabilityItems } from '../kubernetes/walk';
import { removeListItem } from '../fixes/edits';
import type { Fix } from '../types';

export const redundantCapability: Rule = {
  meta: {
    id: 'redundant-capability',
    title: 'capability that changes nothing',
    category: 'hardening',
    defaultSeverity: 'info',
    docs: {
      summary: 'Flags an added capability the runtime already grants by default, one that is both added and dropped, and repeated names.',
      why: 'Such entries change nothing at run time but suggest an intent the result does not have: with containerd and CRI-O a name in both `add` and `drop` is dropped; with Docker it is added.',
      bad: { file: 'pod.yaml', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx\n      securityContext:\n        capabilities:\n          add: ["CHOWN"]\n' },
      good: { file: 'pod.yaml', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx\n      securityContext:\n        capabilities:\n          drop: ["ALL"]\n          add: ["CHOWN"]\n' },
      fix: 'Safe: removes the entry that has no effect.',
      references: ['https://github.com/containerd/containerd/blob/main/pkg/oci/spec_opts.go'],
    },
  },
  kubernetes(ctx) {
    const { runtime } = ctx.options;
    const items = [...capabilityItems(ctx.model)];
    for (const item of items) {
      const v = interpretCapabilityName(runtime, item.raw);
      if (!v.capability) continue;
      const same = items.filter((o) => o.container === item.container);
      const capOf = (o: typeof item) => interpretCapabilityName(runtime, o.raw);
      const dropsAll = same.some((o) => o.list === 'drop' && capOf(o).all);
      const addsAll = same.some((o) => o.list === 'add' && capOf(o).all);
      const fix: Fix = { title: `Remove ${item.raw}`, safety: 'safe', preferred: true, edits: removeListItem(ctx.text, item.seq, item.index) };
      const earlier = same.find((o) => o.list === item.list && o.index < item.index && capOf(o).capability === v.capability);
      if (earlier) {
        ctx.report({ span: item.span, message: `${item.raw} is listed twice in ${item.list}.`, fixes: [fix] });
        continue;
      }
      const other = same.find((o) => o.list !== item.list && capOf(o).capability === v.capability);
      if (other && item.list === (runtime === 'docker' ? 'drop' : 'add')) {
        ctx.report({ span: item.span, message: `${item.raw} is both added and dropped: ${runtime} ${runtime === 'docker' ? 'adds it' : 'drops it'}, so this entry has no effect.`, fixes: [fix] });
        continue;
      }
      if (item.list === 'add' && !dropsAll && !addsAll && isDefaultCapability(runtime, v.capability)) {
        ctx.report({ span: item.span, message: `${v.capability} is already in ${runtime}'s default capability set: adding it changes nothing.`, fixes: [fix] });
      }
    }
  },
};
