import type { Scalar } from 'yaml';
import type { Rule } from './rule';
import { MAX_ID } from '../kubernetes/fields';
import { securityContexts } from '../kubernetes/walk';
import { asScalar, asSeq, entries, isQuoted, spanOf } from '../yaml/nodes';
import { replaceSpan } from '../fixes/edits';
import type { Fix, Span } from '../types';
import { safetyFor } from '../fixes/grants';

const ID_FIELDS = new Set(['runAsUser', 'runAsGroup', 'fsGroup']);
const BOOL_FIELDS = new Set(['runAsNonRoot', 'privileged', 'allowPrivilegeEscalation', 'readOnlyRootFilesystem']);

interface Problem { span: Span; message: string; fix?: Fix }

function checkId(field: string, s: Scalar): Problem | undefined {
  const span = spanOf(s);
  if (!span) return undefined;
  const v = s.value;
  if (typeof v === 'string' && /^\d+$/.test(v.trim())) {
    const n = Number(v.trim());
    return { span, message: `${field} must be an integer, not the string "${v}": the API server rejects the object.`, fix: n <= MAX_ID ? { title: `Change to ${n}`, safety: safetyFor(field, n), preferred: true, edits: replaceSpan(span, String(n)) } : undefined };
  }
  if (typeof v === 'number' && Number.isInteger(v) && v < 0) return { span, message: `${field} must not be negative: the API server rejects ${v}.` };
  if (typeof v === 'number' && Number.isInteger(v) && v > MAX_ID) return { span, message: `${field} ${v} is above ${MAX_ID}, the largest id the API server accepts.` };
  if (v === null || typeof v === 'boolean' || typeof v === 'string' || (typeof v === 'number' && !Number.isInteger(v))) {
    return { span, message: `${field} must be an integer user or group id; ${JSON.stringify(v)} is rejected by the API server.` };
  }
  return undefined;
}

function checkBool(field: string, s: Scalar): Problem | undefined {
  const span = spanOf(s);
  if (!span || typeof s.value === 'boolean') return undefined;
  const text = typeof s.value === 'string' ? s.value.trim().toLowerCase() : undefined;
  if (text === 'true' || text === 'false') {
    return { span, message: `${field} must be a boolean, not the string "${s.value}"${isQuoted(s) ? '' : ''}: the API server rejects the object.`, fix: { title: `Change to ${text}`, safety: safetyFor(field, text === 'true'), preferred: true, edits: replaceSpan(span, text) } };
  }
  // Plain `yes`/`no`/`on`/`off` are booleans to go-yaml v2 (YAML 1.1); only a quoted one reaches this point.
  if (text === 'yes' || text === 'no' || text === 'on' || text === 'off') {
    const b = text === 'yes' || text === 'on' ? 'true' : 'false';
    return { span, message: `${field} must be true or false; the quoted "${s.value}" is a string (unquoted, YAML 1.1 reads it as ${b}) and is rejected by the API server.`, fix: { title: `Change to ${b}`, safety: safetyFor(field, b === 'true'), preferred: true, edits: replaceSpan(span, b) } };
  }
  return { span, message: `${field} must be true or false; ${JSON.stringify(s.value)} is rejected by the API server.` };
}

export const invalidValue: Rule = {
  meta: {
    id: 'invalid-value',
    title: 'securityContext value of the wrong type or out of range',
    category: 'validity',
    defaultSeverity: 'error',
    docs: {
      summary: 'Flags ids that are strings, negative or above 2147483647, and booleans written as strings.',
      why: 'The API server rejects the whole object (`runAsUser: "1000"` cannot be decoded into an int64), so the workload is never created.',
      bad: { file: 'pod.yaml', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n    - name: app\n      image: app:1\n      securityContext:\n        runAsUser: "1000"\n' },
      good: { file: 'pod.yaml', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n    - name: app\n      image: app:1\n      securityContext:\n        runAsUser: 1000\n' },
      fix: 'Safe: writes the value with the right type (`"1000"` → `1000`, `"false"` → `false`). Unsafe when the value the API server then accepts grants something (`privileged: "true"` → `true`, `runAsUser: "0"` → `0`, `runAsNonRoot: "false"`, an `fsGroup` or `supplementalGroups` id): today the object is rejected and nothing runs.',
      fixSafety: [
        { fix: 'Change to the typed value of a field that grants (`privileged: true`, `runAsUser: 0`, `runAsGroup: 0`, `runAsNonRoot: false`, any `fsGroup` or `supplementalGroups` id)', safety: 'unsafe', why: 'Today the API server rejects the object and nothing runs; fixed, the container runs with that grant.' },
        { fix: 'Change to the typed value of any other field (`runAsUser: 1000`, `runAsNonRoot: true`, `readOnlyRootFilesystem`, `allowPrivilegeEscalation`)', safety: 'safe', why: 'The value the author wrote, and it grants nothing.' },
      ],
      references: ['https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#security-context'],
    },
  },
  kubernetes(ctx) {
    for (const { node } of securityContexts(ctx.model)) {
      for (const { key, value } of entries(node)) {
        const s = asScalar(value);
        let problem: Problem | undefined;
        if (ID_FIELDS.has(key) && s) problem = checkId(key, s);
        else if (BOOL_FIELDS.has(key) && s) problem = checkBool(key, s);
        else if (key === 'supplementalGroups') {
          for (const item of asSeq(value)?.items ?? []) {
            const p = asScalar(item) && checkId('supplementalGroups item', item as Scalar);
            if (p) ctx.report({ span: p.span, message: p.message, fixes: p.fix ? [p.fix] : [] });
          }
        }
        if (problem) ctx.report({ span: problem.span, message: problem.message, fixes: problem.fix ? [problem.fix] : [] });
      }
    }
  },
};
