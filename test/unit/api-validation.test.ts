/**
 * Objects the API server rejects (kubernetes pkg/apis/core/validation/validation.go): each case
 * names the validation function it follows and compares every finding of the two validity rules.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Analyzer } from '../../server/src/engine/analyze';
import { LineIndex } from '../../server/src/engine/lines';
import { DEFAULT_OPTIONS } from '../../server/src/engine/options';

const lines = (...l: string[]): string => l.join('\n') + '\n';

function validity(text: string): string[] {
  const index = new LineIndex(text);
  return new Analyzer().analyze('pod.yaml', text, DEFAULT_OPTIONS).findings
    .filter((f) => f.rule === 'invalid-pod-spec' || f.rule === 'invalid-security-context')
    .map((f) => `${index.position(f.span.start).line}: ${f.rule}: ${f.message}`);
}

const pod = (...spec: string[]): string => lines('apiVersion: v1', 'kind: Pod', 'metadata:', '  name: demo', 'spec:', ...spec.map((l) => `  ${l}`));

describe('API validation the API server applies', () => {
  const cases: { name: string; text: string; expected: string[] }[] = [
    {
      // validateHostUsers: hostNetwork, HostPID and HostIPC are Forbidden "when `pod.Spec.HostUsers` is false".
      name: 'validateHostUsers: hostUsers false with hostPID and hostNetwork',
      text: pod('hostUsers: false', 'hostPID: true', 'hostNetwork: true', 'hostIPC: false', 'containers:', '  - name: app', '    image: app:1'),
      expected: [
        '8: invalid-pod-spec: The API server rejects Pod/demo: spec.hostNetwork is forbidden when hostUsers is false (a user namespace cannot share the node\'s Network namespace).',
        '7: invalid-pod-spec: The API server rejects Pod/demo: spec.hostPID is forbidden when hostUsers is false (a user namespace cannot share the node\'s PID namespace).',
      ],
    },
    {
      name: 'validateHostUsers: hostUsers true (the default) allows host namespaces',
      text: pod('hostPID: true', 'containers:', '  - name: app', '    image: app:1'),
      expected: [],
    },
    {
      // validateSecurityContext: procMount Unmasked is Invalid unless hostUsers is false ("`hostUsers` must be false to use `Unmasked`").
      name: 'validateSecurityContext: procMount Unmasked without hostUsers: false',
      text: pod('containers:', '  - name: app', '    image: app:1', '    securityContext:', '      procMount: Unmasked'),
      expected: ['10: invalid-security-context: The API server rejects container "app": procMount Unmasked needs hostUsers: false in the pod spec.'],
    },
    {
      name: 'validateSecurityContext: procMount Unmasked with hostUsers: false is accepted',
      text: pod('hostUsers: false', 'containers:', '  - name: app', '    image: app:1', '    securityContext:', '      procMount: Unmasked'),
      expected: [],
    },
    {
      // validateWindows: Linux-only fields are Forbidden ("cannot be set for a windows pod") at both levels, and so are hostPID/hostIPC/hostUsers.
      name: 'validateWindows: Linux fields in a Windows pod',
      text: pod('os:', '  name: windows', 'hostPID: true', 'securityContext:', '  runAsUser: 1000', '  seLinuxOptions:', '    level: s0', 'containers:', '  - name: app', '    image: app:1', '    securityContext:', '      runAsGroup: 3000', '      capabilities:', '        drop: [ALL]', '      windowsOptions:', '        runAsUserName: ContainerUser'),
      expected: [
        '8: invalid-pod-spec: The API server rejects Pod/demo: spec.hostPID cannot be set for a windows pod.',
        '11: invalid-security-context: The API server rejects Pod/demo: spec.securityContext.seLinuxOptions cannot be set for a windows pod.',
        '10: invalid-security-context: The API server rejects Pod/demo: spec.securityContext.runAsUser cannot be set for a windows pod.',
        '18: invalid-security-context: The API server rejects container "app": securityContext.capabilities cannot be set for a windows pod.',
        '17: invalid-security-context: The API server rejects container "app": securityContext.runAsGroup cannot be set for a windows pod.',
      ],
    },
    {
      // validateLinux: windowsOptions are Forbidden in a pod that says os.name: linux.
      name: 'validateLinux: windowsOptions in a Linux pod',
      text: pod('os:', '  name: linux', 'containers:', '  - name: app', '    image: app:1', '    securityContext:', '      windowsOptions:', '        runAsUserName: ContainerUser'),
      expected: ['12: invalid-security-context: The API server rejects container "app": securityContext.windowsOptions cannot be set for a linux pod.'],
    },
  ];
  for (const c of cases) test(c.name, () => assert.deepStrictEqual(validity(c.text).sort(), [...c.expected].sort()));
});

describe('a workload template without containers is still a pod spec', () => {
  // ValidatePodTemplateSpec → ValidatePodSpec → validateContainers: `containers` is Required.
  const deployment = lines(
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: web',
    'spec:',
    '  template:',
    '    spec:',
    '      hostIPC: true',
  );
  test('it is analysed: its host namespace and the missing containers are reported', () => {
    const index = new LineIndex(deployment);
    const findings = new Analyzer().analyze('deploy.yaml', deployment, DEFAULT_OPTIONS).findings.map((f) => `${index.position(f.span.start).line}: ${f.rule}`);
    assert.deepStrictEqual(findings.sort(), ['7: invalid-pod-spec', '8: host-namespaces'].sort());
  });
  test('another kind\'s spec.template without containers is not taken for a pod', () => {
    const crd = deployment.replace('apps/v1', 'example.com/v1').replace('Deployment', 'Widget');
    assert.deepStrictEqual(new Analyzer().analyze('widget.yaml', crd, DEFAULT_OPTIONS).findings, []);
  });
});
