import type { Rule } from './rule';
import { interpretCapabilityName, isDefaultCapability, type CapabilityNameVerdict } from '../capabilities';
import { capabilityItems, type CapabilityItem } from '../kubernetes/walk';
import { removeListItem } from '../fixes/edits';
import type { Fix } from '../types';
import { containerLabel } from '../docker/findings';
import { removeSetting } from '../docker/fixes';

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
      fix: 'Safe for a repeated name or one both added and dropped: removes the entry that has no effect. Unsafe for the `drop` of a name both added and dropped when the runtime is Docker (containerd and CRI-O drop it, so removing the drop grants it there), and for a capability in the runtime\'s default set: the default set is the configured runtime\'s, and another runtime may not grant it (CRI-O does not grant `NET_RAW` by default, containerd does), so removing it can take the capability away where the manifest also runs.',
      fixSafety: [
        { fix: 'Remove a repeated name', safety: 'safe', why: 'The other entry stays: nothing changes.' },
        { fix: 'Remove the `add` of a name both added and dropped (containerd, CRI-O)', safety: 'safe', why: 'The drop wins there; where the add wins (Docker), removing it narrows.' },
        { fix: 'Remove the `drop` of a name both added and dropped (runtime Docker)', safety: 'unsafe', why: 'containerd and CRI-O drop it today: without the drop they grant it.' },
        { fix: 'Remove an `add` already in the runtime\'s default set', safety: 'unsafe', why: 'Another runtime may not grant it by default (CRI-O lacks NET_RAW, Podman has a smaller set): removing can take it away.' },
        { fix: 'Compose / docker run: remove a name that privileged, ALL or an add already decides', safety: 'safe', why: 'Docker ignores the entry: nothing changes. The default-set case is unsafe, as above.' },
      ],
      references: ['https://github.com/containerd/containerd/blob/main/pkg/oci/spec_opts.go'],
    },
  },
  kubernetes(ctx) {
    const { runtime } = ctx.options;
    // One pass per container over its names, interpreted once (linear in the number of names).
    const byContainer = new Map<unknown, { item: CapabilityItem; v: CapabilityNameVerdict }[]>();
    for (const item of capabilityItems(ctx.model)) {
      const list = byContainer.get(item.container) ?? [];
      list.push({ item, v: interpretCapabilityName(runtime, item.raw) });
      byContainer.set(item.container, list);
    }
    for (const entries of byContainer.values()) {
      const dropsAll = entries.some((e) => e.item.list === 'drop' && e.v.all);
      const addsAll = entries.some((e) => e.item.list === 'add' && e.v.all);
      const listed = { add: new Set<string>(), drop: new Set<string>() };
      for (const e of entries) if (e.v.capability) listed[e.item.list].add(e.v.capability);
      const seen = { add: new Set<string>(), drop: new Set<string>() };
      for (const { item, v } of entries) {
        if (!v.capability) continue;
        const fix = (safety: Fix['safety'] = 'safe'): Fix => ({ title: `Remove ${item.raw}`, safety, preferred: true, edits: removeListItem(ctx.text, item.seq, item.index) });
        if (seen[item.list].has(v.capability)) {
          ctx.report({ span: item.span, message: `${item.raw} is listed twice in ${item.list}.`, fixes: [fix()] });
          continue;
        }
        seen[item.list].add(v.capability);
        const otherList = item.list === 'add' ? 'drop' : 'add';
        if (listed[otherList].has(v.capability) && item.list === (runtime === 'docker' ? 'drop' : 'add')) {
          // Removing the add narrows nowhere more than today; removing the drop (Docker's reading) grants the
          // capability where containerd and CRI-O run the same manifest (the drop wins there): unsafe.
          ctx.report({ span: item.span, message: `${item.raw} is both added and dropped: ${runtime} ${runtime === 'docker' ? 'adds it' : 'drops it'}, so this entry has no effect.`, fixes: [fix(item.list === 'drop' ? 'unsafe' : 'safe')] });
          continue;
        }
        if (item.list === 'add' && !dropsAll && !addsAll && isDefaultCapability(runtime, v.capability)) {
          // Unsafe: the default set is this runtime's; on another (CRI-O lacks NET_RAW) the add is what grants it.
          ctx.report({ span: item.span, message: `${v.capability} is already in ${runtime}'s default capability set: adding it changes nothing.`, fixes: [fix('unsafe')] });
        }
      }
    }
  },
  /** Docker's arithmetic: add ALL → all minus drops; drop ALL → only adds; else defaults − drops + adds; privileged ignores both. */
  docker(ctx) {
    const seen = new Set<number>();
    for (const c of ctx.model.containers) {
      const items = [...c.settings.capAdd.map((s) => ({ s, list: 'add' as const })), ...c.settings.capDrop.map((s) => ({ s, list: 'drop' as const }))]
        .map((i) => ({ ...i, v: interpretCapabilityName('docker', i.s.value ?? '') }));
      const addsAll = items.some((i) => i.list === 'add' && i.v.all);
      const dropsAll = items.some((i) => i.list === 'drop' && i.v.all);
      items.forEach((item, index) => {
        if (item.s.inheritedFrom !== undefined || item.s.value === undefined || seen.has(item.s.span.start)) return;
        const same = (o: typeof item) => o.v.all === item.v.all && o.v.capability === item.v.capability;
        let why: string | undefined;
        let safety: Fix['safety'] = 'safe';
        if (c.effective.privileged.value) why = 'the container is privileged, so Docker ignores cap_add and cap_drop';
        else if (!item.v.all && !item.v.capability) return;
        else if (items.some((o, j) => j < index && o.list === item.list && same(o))) why = `it is listed twice in ${item.s.field}`;
        else if (item.list === 'drop' && !item.v.all && !addsAll && items.some((o) => o.list === 'add' && same(o))) why = 'it is also added, and with Docker the add wins';
        else if (item.list === 'add' && !item.v.all && addsAll) why = 'ALL already adds it';
        else if (item.list === 'drop' && !item.v.all && dropsAll && !addsAll) why = 'ALL already drops it';
        else if (item.list === 'add' && item.v.capability && !dropsAll && !addsAll && isDefaultCapability('docker', item.v.capability) && !items.some((o) => o.list === 'drop' && same(o))) {
          why = 'it is already in Docker\'s default capability set';
          safety = 'unsafe'; // Podman runs the same files with a smaller default set
        }
        if (!why) return;
        seen.add(item.s.span.start);
        const edits = c.effective.privileged.value ? undefined : removeSetting(ctx.text, c, item.s);
        ctx.report({
          span: item.s.valueSpan,
          message: `${item.s.raw} in ${item.s.field} of ${containerLabel(c)} changes nothing: ${why}.`,
          fixes: edits ? [{ title: `Remove ${item.s.raw}`, safety, preferred: true, edits }] : [],
        });
      });
    }
  },
};
