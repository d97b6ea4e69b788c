/**
 * Pod specs the API server's validation rejects outright (pkg/apis/core/validation): a template
 * without `containers`, host namespaces in a user namespace, and host namespaces on Windows.
 */
import type { Rule } from './rule';
import { boolField } from '../kubernetes/fields';
import { keySpanAt } from '../kubernetes/model';
import { pairOf, seqAt, spanOf } from '../yaml/nodes';

export const invalidPodSpec: Rule = {
  meta: {
    id: 'invalid-pod-spec',
    title: 'pod spec the API server rejects',
    category: 'validity',
    defaultSeverity: 'error',
    docs: {
      summary: 'Flags pod specs the API server\'s validation rejects: no `containers` list, `hostUsers: false` with `hostNetwork`, `hostPID` or `hostIPC`, and `hostPID`, `hostIPC`, `hostUsers` or `shareProcessNamespace` in a Windows pod (`os.name: windows`).',
      why: 'The API server refuses the whole object, so nothing of it runs: `spec.containers: Required value`; `spec.hostPID: Forbidden: when \'pod.Spec.HostUsers\' is false` (a user namespace cannot be combined with the node\'s network, PID or IPC namespace); `spec.hostPID: Forbidden: cannot be set for a windows pod`. A workload template is validated when the workload is created, so a Deployment with such a template is rejected too.',
      bad: { file: 'pod.yaml', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: agent\nspec:\n  hostUsers: false\n  hostPID: true\n  containers:\n    - name: agent\n      image: agent:1\n' },
      good: { file: 'pod.yaml', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: agent\nspec:\n  hostUsers: false\n  containers:\n    - name: agent\n      image: agent:1\n' },
      fix: 'None: which of the conflicting settings the workload needs is a decision for its author.',
      references: [
        'https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/core/validation/validation.go',
        'https://kubernetes.io/docs/concepts/workloads/pods/user-namespaces/',
        'https://kubernetes.io/docs/concepts/windows/intro/',
      ],
    },
  },
  kubernetes(ctx) {
    for (const pod of ctx.model.pods) {
      const where = `${pod.workload}`;
      // ValidatePodSpec → validateContainers: at least one container is required (not said of a
      // document with a syntax error: its containers may be in the part that does not parse).
      if (ctx.model.doc.errors.length === 0 && !seqAt(pod.spec, 'containers')?.items.length) {
        const span = keySpanAt(pod.podObject, 'spec') ?? spanOf(pod.spec) ?? pod.resource.kindSpan;
        ctx.report({ span, message: `The API server rejects ${where}: spec.containers is required (at least one container).` });
      }
      const hostUsers = boolField(pod.spec, 'hostUsers');
      const hostNamespaces = (['hostNetwork', 'hostPID', 'hostIPC'] as const).map((key) => ({ key, field: boolField(pod.spec, key) }));
      if (pod.windows) {
        // validateWindows: node namespaces and user namespaces are Linux notions.
        for (const key of ['hostPID', 'hostIPC', 'hostUsers', 'shareProcessNamespace'] as const) {
          const f = boolField(pod.spec, key);
          const set = key === 'hostPID' || key === 'hostIPC' ? f?.value === true : pairOf(pod.spec, key) !== undefined;
          const span = f?.keySpan ?? keySpanAt(pod.spec, key);
          if (set && span) ctx.report({ span, message: `The API server rejects ${where}: spec.${key} cannot be set for a windows pod.` });
        }
        continue;
      }
      // validateHostUsers: a user namespace (hostUsers: false) cannot share the node's namespaces.
      if (hostUsers?.value === false) {
        for (const { key, field } of hostNamespaces) {
          if (field?.value) ctx.report({ span: field.keySpan, message: `The API server rejects ${where}: spec.${key} is forbidden when hostUsers is false (a user namespace cannot share the node's ${key.slice(4)} namespace).` });
        }
      }
    }
  },
};
