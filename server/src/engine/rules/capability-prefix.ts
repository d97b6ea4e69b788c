import type { Rule } from './rule';
import { capabilityInfo, interpretCapabilityName } from '../capabilities';
import { capabilityItems } from '../kubernetes/walk';
import { quoteOf, replaceSpan, scalarText } from '../fixes/edits';
import { bareCapability } from './unknown-capability';

export const capabilityPrefix: Rule = {
  meta: {
    id: 'capability-prefix',
    title: 'CAP_-prefixed capability name',
    category: 'runtime',
    defaultSeverity: 'error',
    docs: {
      summary: 'Flags capability names written with the `CAP_` prefix (`CAP_SYS_PTRACE`) in Kubernetes manifests.',
      why: 'containerd always prepends `CAP_`, so `CAP_SYS_PTRACE` becomes `CAP_CAP_SYS_PTRACE`, which is not a capability: current runc ignores it with a warning (older versions refuse to start). The capability is silently not added — or, in `drop`, not dropped. CRI-O and Docker strip the prefix, but Pod Security admission compares names exactly.',
      bad: { file: 'pod.yaml', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: debug\nspec:\n  containers:\n    - name: debug\n      image: busybox\n      securityContext:\n        capabilities:\n          add: ["CAP_SYS_PTRACE"]\n' },
      good: { file: 'pod.yaml', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: debug\nspec:\n  containers:\n    - name: debug\n      image: busybox\n      securityContext:\n        capabilities:\n          add: ["SYS_PTRACE"]\n' },
      fix: 'Safe in `drop`, and in `add` where the runtime already reads the prefixed name (CRI-O and Docker strip it): strips the `CAP_` prefix. Unsafe in `add` where the runtime ignores the name (containerd) or refuses the container: the container then gets the capability, so it stays the preferred quick fix but `--fix` and fix-all-on-save leave it.',
      fixSafety: [
        { fix: 'Change to the bare name in `add`, runtime containerd (ignores `CAP_CAP_X`) or a runtime that refuses the name', safety: 'unsafe', why: 'Today the capability is not granted (or nothing runs): fixed, it is.' },
        { fix: 'Change to the bare name in `add` where the runtime strips `CAP_` (CRI-O, Docker)', safety: 'safe', why: 'The runtime already grants it: nothing changes at run time.' },
        { fix: 'Change to the bare name in `drop`', safety: 'safe', why: 'Dropping narrows, as written.' },
      ],
      references: ['https://github.com/containerd/containerd/blob/main/internal/cri/opts/spec_linux_opts.go', 'https://github.com/kubernetes/kubernetes/issues/119568'],
    },
  },
  kubernetes(ctx) {
    for (const item of capabilityItems(ctx.model)) {
      if (!/^cap_/i.test(item.raw)) continue;
      const bare = bareCapability(item.raw);
      if (bare !== 'ALL' && !capabilityInfo(bare)) continue; // unknown-capability reports it
      const { runtime } = ctx.options;
      const containerd = runtime === 'containerd';
      // CRI-O and Docker strip the prefix from capability names, but recognise only `ALL` itself.
      const refused = !containerd && interpretCapabilityName(runtime, item.raw).problem === 'rejected';
      const what = item.list === 'add' ? 'added' : 'dropped';
      ctx.report({
        span: item.span,
        severity: containerd || refused ? 'error' : 'warning',
        message: containerd
          ? `containerd prepends CAP_ to every name, so ${item.raw} becomes CAP_${item.raw.toUpperCase()}, which is not a capability: runc ignores it and ${bare} is not ${what}. Write ${bare}.`
          : refused
            ? `${runtime} refuses ${item.raw} and does not create the container: only ALL, without CAP_, means every capability. Write ${bare}.`
            : `${runtime} accepts ${item.raw}, but containerd would ignore it (CAP_${item.raw.toUpperCase()}) and Pod Security admission compares names exactly. Write ${bare}.`,
        // Where the runtime ignores or refuses the name today, the corrected one in `add` grants the capability.
        fixes: [{ title: `Change to ${bare}`, safety: item.list === 'add' && (containerd || refused) ? 'unsafe' : 'safe', preferred: true, edits: replaceSpan(item.span, scalarText(bare, quoteOf(item.seq.items[item.index]))) }],
      });
    }
  },
};
