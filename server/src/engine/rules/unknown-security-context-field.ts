import type { Rule } from './rule';
import { closest } from '../capabilities';
import { CONTAINER_ONLY_FIELDS, POD_ONLY_FIELDS, fieldsAt } from '../kubernetes/fieldCatalog';
import { securityContexts } from '../kubernetes/walk';
import { entries } from '../yaml/nodes';
import { replaceSpan } from '../fixes/edits';
import { decoded, safetyFor } from '../fixes/grants';

const misplaced = new Set<string>([...CONTAINER_ONLY_FIELDS, ...POD_ONLY_FIELDS, 'capabilities']);
const KNOWN = { pod: fieldsAt('pod').map((f) => f.name), container: fieldsAt('container').map((f) => f.name) };

export const unknownSecurityContextField: Rule = {
  meta: {
    id: 'unknown-security-context-field',
    title: 'unknown securityContext field',
    category: 'validity',
    defaultSeverity: 'error',
    docs: {
      summary: 'Flags keys in a `securityContext` that are not fields of it at that level, and suggests the field you probably meant.',
      why: 'A misspelt field (`runAsNonroot`, `allowPriviledgeEscalation`) is rejected under strict field validation or silently dropped: the protection you wrote is not applied.',
      bad: { file: 'pod.yaml', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n    - name: app\n      image: app:1\n      securityContext:\n        runAsNonroot: true\n' },
      good: { file: 'pod.yaml', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n    - name: app\n      image: app:1\n      securityContext:\n        runAsNonRoot: true\n' },
      fix: 'Safe: renames the key to the suggested field. Unsafe when the renamed field grants something the container cannot do today (`privileged: true`, `runAsUser: 0`, `capabilities.add`, `procMount: Unmasked`, an Unconfined profile, `fsGroup`, `sysctls`, `seLinuxOptions`).',
      fixSafety: [
        { fix: 'Rename to a field that grants (`privileged: true`, `runAsUser: 0`, `runAsGroup: 0`, `runAsNonRoot: false`, `capabilities` with `add`, `procMount: Unmasked`, an Unconfined `seccompProfile`/`appArmorProfile`, `hostProcess: true`, `seLinuxOptions`, `fsGroup`, `supplementalGroups`, `sysctls`)', safety: 'unsafe', why: 'Today the misspelt key is dropped; renamed, it takes effect and the container can do more.' },
        { fix: 'Rename to any other field (`runAsNonRoot: true`, a non-zero `runAsUser`, `readOnlyRootFilesystem`, …)', safety: 'safe', why: 'The renamed field narrows, or changes nothing the container may do.' },
      ],
      references: ['https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#security-context'],
    },
  },
  kubernetes(ctx) {
    for (const { level, node } of securityContexts(ctx.model)) {
      const known = KNOWN[level];
      for (const { key, keySpan, value } of entries(node)) {
        if (known.includes(key) || misplaced.has(key)) continue;
        const suggestion = closest(key.toLowerCase(), known.map((k) => k.toLowerCase()), 4);
        const name = suggestion ? known.find((k) => k.toLowerCase() === suggestion) : undefined;
        ctx.report({
          span: keySpan,
          message: `${key} is not a ${level === 'pod' ? 'pod' : 'container'} securityContext field: it is rejected under strict field validation or ignored.${name ? ` Did you mean ${name}?` : ''}`,
          // Renamed, the field takes effect: unsafe when it then grants (a misspelt `privileged: true`).
          fixes: name ? [{ title: `Rename to ${name}`, safety: safetyFor(name, decoded(value)), preferred: true, edits: replaceSpan(keySpan, name) }] : [],
        });
      }
    }
  },
};
