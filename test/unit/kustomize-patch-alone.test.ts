/**
 * A kustomize patch file in the editor is judged by the builds that apply it, never alone: alone, a
 * strategic-merge patch lacks everything its base sets (no runAsNonRoot, no seccompProfile…) and
 * would show gaps the built object does not have. The language server knows a file is a patch from
 * the kustomization files (`patches:`/`patchesStrategicMerge:` paths, read at the workspace scan),
 * before the build first runs or when it fails — kustomize's own reading of those fields:
 * api/types/kustomization.go `Patches`, `PatchesStrategicMerge`.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BuildState } from '../../server/src/host/kustomize/workspace';
import { buildFindings } from '../../server/src/lsp/kustomize';
import type { Finding } from '../../server/src/engine/types';

const PATCH = '/p/overlays/prod/security-patch.yaml';
const gap: Finding = { rule: 'run-as-non-root', severity: 'info', message: 'gap', span: { start: 10, end: 20 }, fixes: [] };
const syntax: Finding = { rule: 'yaml-syntax', severity: 'error', message: 'bad', span: { start: 0, end: 1 }, fixes: [] };
const build = (patchFiles: string[]): BuildState => ({ dir: '/p/overlays/prod', files: new Set(patchFiles), patchFiles: new Set(patchFiles), running: true, dirty: false });

test('a patch file, before its build has a result: only its own YAML errors, none of the gaps it has alone', () => {
  assert.deepStrictEqual(buildFindings(PATCH, 'text', [gap, syntax], [build([PATCH])]).map((f) => f.rule), ['yaml-syntax']);
});

test('a resource (not a patch) of the same build, before the result: judged alone meanwhile', () => {
  const base = '/p/base/deployment.yaml';
  const state: BuildState = { ...build([PATCH]), files: new Set([PATCH, base]) };
  assert.deepStrictEqual(buildFindings(base, 'text', [gap], [state]).map((f) => f.rule), ['run-as-non-root']);
});
