/**
 * host-root-mount: host paths that amount to root on the node, in every format. Which Compose and
 * `docker run` volumes are bind mounts follows compose-go format.ParseVolume (isFilePath,
 * populateType) and docker/cli opts.MountOpt (`type=bind,source=`).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Analyzer } from '../../server/src/engine/analyze';
import { composeVolumeSource, mountSource, volumeSource } from '../../server/src/engine/docker/mounts';
import { LineIndex } from '../../server/src/engine/lines';
import { DEFAULT_OPTIONS } from '../../server/src/engine/options';
import { rootEquivalentMount } from '../../server/src/engine/rules/host-root-mount';

const lines = (...l: string[]): string => l.join('\n') + '\n';

function found(file: string, text: string): string[] {
  const index = new LineIndex(text);
  return new Analyzer().analyze(file, text, DEFAULT_OPTIONS).findings
    .filter((f) => f.rule === 'host-root-mount')
    .map((f) => `${index.position(f.span.start).line}: ${text.slice(f.span.start, f.span.end)}`);
}

describe('which volumes have a host side', () => {
  const cases: { spec: string; compose: string | undefined; mount?: string }[] = [
    { spec: '/:/host', compose: '/' },
    { spec: '/var/run/docker.sock:/var/run/docker.sock:ro', compose: '/var/run/docker.sock' },
    { spec: './data:/data', compose: './data' },
    { spec: '~/.ssh:/root/.ssh', compose: '~/.ssh' },
    { spec: 'data:/data', compose: undefined },
    { spec: '/data', compose: undefined },
    { spec: 'C:\\data:/data', compose: 'C:\\data' },
  ];
  for (const c of cases) test(`${c.spec}`, () => assert.deepStrictEqual([composeVolumeSource(c.spec), volumeSource(c.spec)], [c.compose, c.compose]));
  test('--mount: only type=bind has a host side; src is source', () => {
    assert.deepStrictEqual(
      ['type=bind,source=/,target=/host', 'type=bind,src=/etc,dst=/h,readonly', 'type=volume,source=data,target=/data', 'source=/,target=/x'].map(mountSource),
      ['/', '/etc', undefined, undefined],
    );
  });
});

describe('the paths that amount to root', () => {
  test('exact paths, normalised; subpaths and other paths are not flagged', () => {
    const paths = ['/', '//', '/var/run/docker.sock', '/run/docker.sock/', '/run/containerd/containerd.sock', '/var/run/crio/crio.sock', '/proc', '/sys', '/etc', '/root', '/var/lib/kubelet', '/var/log', '/etc/ssl/certs', '/data', 'relative', '/var/lib/kubelet/../..'];
    assert.deepStrictEqual(paths.filter((p) => rootEquivalentMount(p) !== undefined), ['/', '//', '/var/run/docker.sock', '/run/docker.sock/', '/run/containerd/containerd.sock', '/var/run/crio/crio.sock', '/proc', '/sys', '/etc', '/root', '/var/lib/kubelet']);
  });
});

describe('in every format', () => {
  test('Kubernetes hostPath', () => {
    const pod = lines('apiVersion: v1', 'kind: Pod', 'metadata:', '  name: agent', 'spec:', '  containers:', '    - name: agent', '      image: agent:1',
      '  volumes:', '    - name: root', '      hostPath:', '        path: /', '    - name: sock', '      hostPath:', '        path: /run/containerd/containerd.sock', '    - name: logs', '      hostPath:', '        path: /var/log');
    assert.deepStrictEqual(found('pod.yaml', pod), ['12: /', '15: /run/containerd/containerd.sock']);
    const message = new Analyzer().analyze('pod.yaml', pod, DEFAULT_OPTIONS).findings.find((f) => f.rule === 'host-root-mount')?.message;
    assert.equal(message, 'hostPath volume "root" of Pod/agent mounts /, the node\'s whole filesystem: it can read every secret on the node and, with write access, change any file (cron jobs, systemd units, /etc/shadow) — root on the node.');
  });
  test('Compose volumes, short and long syntax; named volumes are not host paths', () => {
    const compose = lines('services:', '  ci:', '    image: ci:1', '    volumes:', '      - /var/run/docker.sock:/var/run/docker.sock:ro', '      - data:/proc', '      - type: bind', '        source: /etc', '        target: /host-etc', '      - type: volume', '        source: root', '        target: /root');
    assert.deepStrictEqual(found('compose.yaml', compose), ['5: /var/run/docker.sock:/var/run/docker.sock:ro', '7: type: bind\n        source: /etc\n        target: /host-etc']);
  });
  test('docker run -v, --volume= and --mount', () => {
    const script = lines('docker run -v /:/host --volume=/proc:/host/proc --mount type=bind,source=/var/lib/kubelet,target=/k -v cache:/sys alpine');
    assert.deepStrictEqual(found('run.sh', script), ['1: -v /:/host', '1: --volume=/proc:/host/proc', '1: --mount type=bind,source=/var/lib/kubelet,target=/k']);
  });
});
