/**
 * `secctx check chart/` and `explain chart/` on a Helm chart, in-process through `runCli`: findings on
 * the values file's line (and on an override file given with `--values`, or in `.secctx.yaml`
 * `helm.valuesFiles`), containers listed once per chart with `source: values` and the file and line.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCliCaptured } from '../support/cli';
import type { JsonContainer, JsonFinding } from '../../server/src/cli/format';
import { CHART_DEPLOYMENT } from '../support/helm';


const run = (cwd: string, ...argv: string[]) => runCliCaptured(argv, { cwd });

describe('the CLI on a Helm chart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'secctx-helm-cli-'));
  before(() => {
    mkdirSync(join(dir, 'web', 'templates'), { recursive: true });
    writeFileSync(join(dir, 'web', 'Chart.yaml'), 'apiVersion: v2\nname: web\nversion: 0.1.0\n');
    writeFileSync(join(dir, 'web', 'values.yaml'), 'podSecurityContext:\n  runAsNonRoot: true\n  capabilities:\n    add: [NET_ADMIN]\nsecurityContext:\n  runAsUser: 1000\n');
    writeFileSync(join(dir, 'web', 'templates', 'deployment.yaml'), CHART_DEPLOYMENT);
    writeFileSync(join(dir, 'prod.yaml'), 'securityContext:\n  runAsUser: 0\n');
    mkdirSync(join(dir, 'project', 'web', 'templates'), { recursive: true });
    writeFileSync(join(dir, 'project', '.secctx.yaml'), 'profile: baseline\nhelm:\n  valuesFiles: [web/values-prod.yaml]\n');
    writeFileSync(join(dir, 'project', 'web', 'Chart.yaml'), 'apiVersion: v2\nname: web\nversion: 0.1.0\n');
    writeFileSync(join(dir, 'project', 'web', 'values.yaml'), 'podSecurityContext: {}\nsecurityContext:\n  runAsUser: 1000\n');
    writeFileSync(join(dir, 'project', 'web', 'values-prod.yaml'), 'securityContext:\n  privileged: true\n');
    writeFileSync(join(dir, 'project', 'web', 'templates', 'deployment.yaml'), CHART_DEPLOYMENT);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('check: the error on the values line, exit 1', async () => {
    const r = await run(dir, 'check', '--profile', 'baseline', '--format', 'json', 'web');
    const findings = (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings;
    assert.deepEqual(findings.map((f) => `${f.file}:${f.line} ${f.rule}`), ['web/values.yaml:3 capabilities-at-pod-level']);
    assert.equal(r.code, 1);
  });

  test('--values: the override merged over values.yaml, its findings on its own lines', async () => {
    const r = await run(dir, 'check', '--profile', 'baseline', '--format', 'json', '--values', 'prod.yaml', 'web');
    const findings = (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings;
    assert.deepEqual(findings.map((f) => `${f.file}:${f.line} ${f.rule}`), ['web/values.yaml:3 capabilities-at-pod-level', 'prod.yaml:2 run-as-non-root-violation', 'prod.yaml:2 run-as-root']);
  });

  test('.secctx.yaml helm.valuesFiles: the configured override is merged', async () => {
    const r = await run(join(dir, 'project'), 'check', '--format', 'json', 'web');
    const findings = (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings;
    assert.deepEqual(findings.map((f) => `${f.file}:${f.line} ${f.rule}`), ['web/values-prod.yaml:2 privileged']);
  });

  test('explain: each container once, workload Kind/<rendered name>, source values with file and line', async () => {
    const r = await run(dir, 'explain', '--format', 'json', '--values', 'prod.yaml', 'web');
    const containers = (JSON.parse(r.stdout) as { containers: JsonContainer[] }).containers;
    assert.deepEqual(containers.map((c) => ({ file: c.file, line: c.line, workload: c.workload, name: c.name, user: c.user, chart: c.chart })), [
      { file: 'web/templates/deployment.yaml', line: 11, workload: 'Deployment/release-name-web', name: 'web', user: { uid: 0, source: 'values', file: 'prod.yaml', line: 2 }, chart: 'web' },
    ]);
  });
});

describe('check --fix on a Helm chart', () => {
  const VALUES = 'podSecurityContext:\n  runAsNonRoot: true\n  capabilities:\n    add: [NET_ADMIN]\nsecurityContext:\n  runAsUser: 1000\n  alowPrivilegeEscalation: false\n';
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'secctx-helm-fix-'));
    mkdirSync(join(dir, 'web', 'templates'), { recursive: true });
    writeFileSync(join(dir, 'web', 'Chart.yaml'), 'apiVersion: v2\nname: web\nversion: 0.1.0\n');
    writeFileSync(join(dir, 'web', 'values.yaml'), VALUES);
    writeFileSync(join(dir, 'web', 'templates', 'deployment.yaml'), CHART_DEPLOYMENT);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('--fix applies the safe fix in values.yaml (the did-you-mean rename) and leaves the unsafe capabilities move; --fix-unsafe moves them', async () => {
    const fixed = await run(dir, 'check', 'web', '--fix', '--format', 'json');
    const remaining = (JSON.parse(fixed.stdout) as { findings: JsonFinding[] }).findings.filter((f) => f.severity === 'error').map((f) => `${f.file}:${f.line} ${f.rule}`);
    assert.deepEqual(
      { code: fixed.code, stderr: fixed.stderr, values: readFileSync(join(dir, 'web', 'values.yaml'), 'utf8'), remaining },
      {
        code: 1,
        // Left for --fix-unsafe: the capabilities move, and the template's seccomp profile.
        stderr: 'secctx: web/values.yaml: applied 1 fix\nsecctx: 2 findings have only an unsafe fix (apply with --fix-unsafe)\n',
        values: VALUES.replace('alowPrivilegeEscalation', 'allowPrivilegeEscalation'),
        remaining: ['web/values.yaml:3 capabilities-at-pod-level'],
      },
    );
    const unsafe = await run(dir, 'check', 'web', '--fix-unsafe', '--format', 'json');
    assert.deepEqual(
      { stderr: unsafe.stderr, values: readFileSync(join(dir, 'web', 'values.yaml'), 'utf8') },
      { stderr: 'secctx: web/templates/deployment.yaml: applied 1 fix\nsecctx: web/values.yaml: applied 1 fix\n', values: 'podSecurityContext:\n  runAsNonRoot: true\nsecurityContext:\n  runAsUser: 1000\n  allowPrivilegeEscalation: false\n  capabilities:\n    add: [NET_ADMIN]\n' },
    );
  });
});
