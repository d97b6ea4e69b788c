/** Completion in the engine: what is offered where, in manifests and Compose files. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RUNTIME_DEFAULTS, isDefaultCapability } from '../../server/src/engine/capabilities';
import { completionsAt } from '../../server/src/engine/complete';

/** Completions at the `|` in `text` (the marker is removed). */
function at(text: string, runtime: 'containerd' | 'cri-o' | 'docker' = 'containerd') {
  const offset = text.indexOf('|');
  return completionsAt(text.slice(0, offset) + text.slice(offset + 1), offset, runtime);
}
const labels = (text: string) => at(text).map((e) => e.label);

const POD = (sc: string) => `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
    - name: app
      image: app:1
      securityContext:
${sc}
`;

describe('completion: securityContext keys', () => {
  test('only keys the block does not have yet, above and below the cursor', () => {
    const offered = labels(POD('        runAsUser: 1000\n        |\n        privileged: false'));
    assert.deepStrictEqual(offered.filter((l) => ['runAsUser', 'privileged', 'capabilities', 'runAsNonRoot'].includes(l)), ['runAsNonRoot', 'capabilities']);
  });

  test('keys of a nested block (seccompProfile.type) do not hide the container\'s own', () => {
    const offered = labels(POD('        seccompProfile:\n          type: RuntimeDefault\n        |'));
    assert.ok(offered.includes('runAsUser'));
    assert.ok(!offered.includes('seccompProfile'));
  });
});

describe('completion: values', () => {
  test('booleans: true and false after runAsNonRoot:', () => {
    assert.deepStrictEqual(at(POD('        runAsNonRoot: |')).map((e) => [e.label, e.detail]), [
      ['true', 'container securityContext.runAsNonRoot'],
      ['false', 'container securityContext.runAsNonRoot'],
    ]);
  });

  test('enums: procMount at container level, supplementalGroupsPolicy at pod level', () => {
    assert.deepStrictEqual(labels(POD('        procMount: |')), ['Default', 'Unmasked']);
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  securityContext:\n    supplementalGroupsPolicy: |\n  containers: []\n';
    assert.deepStrictEqual(labels(pod), ['Merge', 'Strict']);
  });

  test('Compose: privileged: and read_only: offer booleans', () => {
    assert.deepStrictEqual(labels('services:\n  web:\n    image: nginx\n    privileged: |\n'), ['true', 'false']);
  });
});

describe('completion: capabilities', () => {
  test('names already in the list are not offered again (inline and block lists)', () => {
    const inline = labels(POD('        capabilities:\n          drop: [ALL]\n          add: [NET_ADMIN, |]'));
    assert.ok(!inline.includes('NET_ADMIN'));
    assert.ok(inline.includes('SYS_TIME'));
    const block = labels(POD('        capabilities:\n          add:\n            - "SYS_TIME"\n            - |'));
    assert.ok(!block.includes('SYS_TIME'));
    assert.ok(block.includes('NET_ADMIN'));
  });

  test('Compose cap_add: Docker\'s default set decides "granted by default", whatever the Kubernetes runtime setting', () => {
    const entries = at('services:\n  web:\n    image: nginx\n    cap_add: [|]\n', 'containerd');
    const granted = entries.filter((e) => e.detail.startsWith('granted')).map((e) => e.label).sort();
    assert.deepStrictEqual(granted, [...RUNTIME_DEFAULTS.docker].sort());
    // containerd's set differs from Docker's (NET_RAW in both, but not every name): the detail names docker.
    assert.ok(entries.every((e) => e.label === 'ALL' || e.detail.endsWith('(docker)')));
    assert.ok(entries.some((e) => e.label !== 'ALL' && isDefaultCapability('docker', e.label)));
  });
});
