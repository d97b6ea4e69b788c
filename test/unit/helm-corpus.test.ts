/**
 * The Helm charts of the real-world corpus (../shared/corpus): where each values key lands (level,
 * workload, container), checked by hand against their templates, and no false findings. The corpus
 * keeps only some files of each chart (no Chart.yaml, usually no _helpers.tpl): a folder with
 * values.yaml beside templates/ is a chart, and the helpers it lacks are "not followed".
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ChartAnalyzer, type ChartAnalysis } from '../../server/src/engine/helm/analyze';
import { LineIndex } from '../../server/src/engine/lines';
import { DEFAULT_OPTIONS } from '../../server/src/engine/options';
import { loadChart } from '../../server/src/host/helm/charts';
import { sharedPath } from '../support/shared';

async function analyze(dir: string): Promise<ChartAnalysis> {
  const chart = await loadChart(sharedPath('corpus', dir));
  assert.ok(chart, dir);
  return new ChartAnalyzer().analyze(chart, [], DEFAULT_OPTIONS);
}

const placements = (a: ChartAnalysis) => a.placements.map((p) => `${p.workload} ${p.level}${p.container ? `/${p.container}` : ''} ${p.field} <- ${p.block ?? ([...new Set(p.values.map((v) => v.path))].join(',') || 'template')}`);

/** Findings at warning or error, `file:line rule` relative to the chart. */
function serious(a: ChartAnalysis): string[] {
  const out: string[] = [];
  for (const [file, list] of a.findings) {
    const lines = new LineIndex(a.texts.get(file) ?? '');
    for (const f of list) if (f.severity === 'error' || f.severity === 'warning') out.push(`${file.slice(a.chart.root.length + 1)}:${lines.position(f.span.start).line} ${f.rule}`);
  }
  return out.sort();
}

describe('corpus charts', () => {
  test('metrics-server: securityContext is the metrics-server container\'s; podSecurityContext {} and the disabled addon-resizer place nothing', async () => {
    const a = await analyze('kubernetes-sigs__metrics-server/charts/metrics-server');
    assert.deepEqual(placements(a), ['Deployment/{{ include "metrics-server.fullname" . }} container/metrics-server securityContext <- securityContext']);
    assert.deepEqual(serious(a), []);
  });

  test('prometheus-node-exporter: securityContext is pod-level, containerSecurityContext the container\'s, host namespaces from values', async () => {
    const a = await analyze('prometheus-community__helm-charts/charts/prometheus-node-exporter');
    assert.deepEqual(placements(a), [
      'DaemonSet/{{ include "prometheus-node-exporter.fullname" . }} pod securityContext <- securityContext',
      'DaemonSet/{{ include "prometheus-node-exporter.fullname" . }} pod hostNetwork <- hostNetwork',
      'DaemonSet/{{ include "prometheus-node-exporter.fullname" . }} pod hostPID <- hostPID',
      'DaemonSet/{{ include "prometheus-node-exporter.fullname" . }} pod hostIPC <- hostIPC',
      'DaemonSet/{{ include "prometheus-node-exporter.fullname" . }} container/node-exporter securityContext <- containerSecurityContext',
    ]);
    // True positives: the exporter runs in the host's network and PID namespaces and mounts /proc, /sys and /.
    assert.deepEqual(serious(a), [
      'templates/daemonset.yaml:315 host-namespaces',
      'templates/daemonset.yaml:319 host-namespaces',
      'templates/daemonset.yaml:343 host-path-volume',
      'templates/daemonset.yaml:344 host-root-mount', // /proc
      'templates/daemonset.yaml:346 host-path-volume',
      'templates/daemonset.yaml:347 host-root-mount', // /sys
      'templates/daemonset.yaml:350 host-path-volume',
      'templates/daemonset.yaml:351 host-root-mount', // /
    ]);
  });

  // `allowPrivilegeEscalation: {{ or …allowPrivilegeEscalation …chroot }}` prints chroot's false: `or` returns its last
  // argument when none is true (text/template funcs.go `or`).
  test('ingress-nginx: the controller container gets controller.image.* fields through the controller.containerSecurityContext helper\'s else branch', async () => {
    const a = await analyze('kubernetes__ingress-nginx/charts/ingress-nginx');
    assert.deepEqual(placements(a), ['Deployment/release-name-ingress-nginx-controller container/controller securityContext <- controller.image.runAsNonRoot,controller.image.runAsUser,controller.image.runAsGroup,controller.image.chroot,controller.image.seccompProfile.type,controller.image.readOnlyRootFilesystem']);
    assert.deepEqual(serious(a), []);
  });

  test('cert-manager: securityContext/containerSecurityContext for the controller, webhook.* for the webhook', async () => {
    const a = await analyze('cert-manager__cert-manager/deploy/charts/cert-manager');
    assert.deepEqual(placements(a), [
      'Deployment/{{ template "cert-manager.fullname" . }} pod securityContext <- securityContext',
      'Deployment/{{ template "cert-manager.fullname" . }} container/cert-manager-controller securityContext <- containerSecurityContext',
      'Deployment/{{ include "webhook.fullname" . }} pod securityContext <- webhook.securityContext',
      'Deployment/{{ include "webhook.fullname" . }} container/cert-manager-webhook securityContext <- webhook.containerSecurityContext',
    ]);
    assert.deepEqual(serious(a), []);
  });

  test('tetragon: tetragon.securityContext (privileged) in the container of the _container_tetragon.tpl helper', async () => {
    const a = await analyze('cilium__tetragon/install/kubernetes/tetragon');
    assert.deepEqual(placements(a), [
      'DaemonSet/{{ include "tetragon.name" . }} pod hostNetwork <- hostNetwork',
      'DaemonSet/{{ include "tetragon.name" . }} pod hostUsers <- template',
      'DaemonSet/{{ include "tetragon.name" . }} container/{{ include "container.tetragon.name" . }} securityContext <- tetragon.securityContext',
    ]);
    // True positives: tetragon runs privileged in the host network with hostPath mounts.
    assert.deepEqual(serious(a), [
      'templates/daemonset.yaml:101 host-path-volume',
      'templates/daemonset.yaml:74 host-namespaces',
      'templates/daemonset.yaml:82 host-path-volume',
      'templates/daemonset.yaml:86 host-path-volume',
      'templates/daemonset.yaml:90 host-path-volume',
      'templates/daemonset.yaml:97 host-path-volume',
      'values.yaml:292 host-root-mount', // hostProcPath: "/proc", the hostPath of the proc volume
      'values.yaml:57 privileged',
    ]);
  });

  test('flannel: literal security contexts in the template, judged there', async () => {
    const a = await analyze('flannel-io__flannel/chart/kube-flannel');
    assert.deepEqual(placements(a), ['DaemonSet/kube-flannel-ds pod hostNetwork <- template', 'DaemonSet/kube-flannel-ds container/kube-flannel securityContext <- template']);
    // True positives: host network, NET_ADMIN/NET_RAW added, hostPath mounts.
    assert.ok(serious(a).every((s) => /host-namespaces|host-path-volume|dangerous-capability/.test(s)), serious(a).join('\n'));
  });

  test('kubernetes-dashboard: app.security.securityContext at pod level and containerSecurityContext in the api and web containers', async () => {
    const a = await analyze('kubernetes__dashboard/charts/kubernetes-dashboard');
    assert.deepEqual(placements(a), [
      'Deployment/{{ template "kubernetes-dashboard.fullname" . }}-api pod securityContext <- app.security.securityContext',
      'Deployment/{{ template "kubernetes-dashboard.fullname" . }}-api container/{{ template "kubernetes-dashboard.name" . }}-api securityContext <- app.security.containerSecurityContext',
      'Deployment/{{ template "kubernetes-dashboard.fullname" . }}-web pod securityContext <- app.security.securityContext',
      'Deployment/{{ template "kubernetes-dashboard.fullname" . }}-web container/{{ template "kubernetes-dashboard.name" . }}-web securityContext <- app.security.containerSecurityContext',
    ]);
    assert.deepEqual(serious(a), []);
  });
});
