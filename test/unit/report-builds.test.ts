/**
 * `secctx explain --format markdown|html` over a Helm chart and a kustomize overlay. A chart's containers are
 * cards in its template, as the chart renders them, once (the values file's findings join the card). A build's
 * containers are cards in the file that defines them (the base's Deployment), and the build's findings sit
 * on the card with the file they are in (the overlay's patch). Runs the real `kubectl kustomize`.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { runCliCaptured } from '../support/cli';

const dir = mkdtempSync(join(tmpdir(), 'secctx-report-builds-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const write = (file: string, text: string) => {
  mkdirSync(join(dir, file, '..'), { recursive: true });
  writeFileSync(join(dir, file), text);
};
write('base/kustomization.yaml', 'resources:\n  - deploy.yaml\n');
write('base/deploy.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: api:1\n');
write('overlay/kustomization.yaml', 'resources:\n  - ../base\npatches:\n  - path: patch.yaml\n');
write('overlay/patch.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          securityContext:\n            privileged: true\n');

write('chart/Chart.yaml', 'apiVersion: v2\nname: demo\nversion: 0.1.0\n');
write('chart/values.yaml', 'securityContext:\n  runAsUser: 0\n');
write('chart/templates/deploy.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}-web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: web:1\n          securityContext:\n            {{- toYaml .Values.securityContext | nindent 12 }}\n');

describe('the report includes Helm charts and kustomize builds', () => {
  test('markdown of a chart: its rendered container once, in the template, with the values file\'s finding on its card', async () => {
    const run = await runCliCaptured(['explain', '--format', 'markdown', '--profile', 'baseline', 'chart'], { cwd: dir });
    assert.deepStrictEqual(run.stdout.split('\n').filter((l) => /^#{2,4} /.test(l) || l.startsWith('| User') || l.startsWith('- **')).map((l) => l.replace(/ \S+ \(`([\w-]+)`\)$/, ' … $1').replace(/^(- \*\*\w+\*\* \S+) .* … /, '$1 ')), [
      '## chart/templates/deploy.yaml',
      '### Deployment/release-name-web',
      '#### web — runs as root',
      '| User | uid 0 (root) | container `securityContext.runAsUser` (line 2) |',
      '- **warning** chart/values.yaml:2 run-as-root',
    ]);
  });


  test('markdown: the base\'s container, privileged by the overlay\'s patch, with the patch\'s finding on its card', async () => {
    const run = await runCliCaptured(['explain', '--format', 'markdown', '--profile', 'baseline', 'overlay'], { cwd: dir });
    const lines = run.stdout.split('\n');
    assert.deepStrictEqual(lines.filter((l) => /^#{2,4} /.test(l) || l.startsWith('- **') || l.includes(' · image ')), [
      '## base/deploy.yaml (kustomize build overlay)',
      '### Deployment/api',
      '#### api — privileged',
      'base/deploy.yaml:9 · image `api:1`',
      '- **privileged**: every capability (all 41) and every host device; add and drop do not apply',
      // check_privileged.go privileged_1_0, in the patch that sets it.
      '- **warning** overlay/patch.yaml:11 Container "api" is privileged: it gets every capability and the node\'s devices, without seccomp, AppArmor or SELinux confinement, so root in it is root on the node. The baseline profile forbids privileged containers. (`privileged`)',
    ]);
  });

  test('html: the same card, and the finding names its file', async () => {
    const run = await runCliCaptured(['explain', '--format', 'html', '--profile', 'baseline', 'overlay'], { cwd: dir });
    assert.ok(run.stdout.includes('<h2>base/deploy.yaml <span class="sub">kustomize build overlay</span></h2>'), run.stdout);
    assert.ok(run.stdout.includes('overlay/patch.yaml: Container &quot;api&quot; is privileged'), run.stdout);
  });
});
