/**
 * Kustomize builds judged as built, with the real `kubectl kustomize` (kubectl v1.32, kustomize v5.5 on
 * these machines; `.ci/run` fails loudly without it). Each test writes its project to a temporary
 * directory (test/support/kustomize-project.ts).
 *
 * Upstream behaviour encoded here (kubernetes-sigs/kustomize):
 * - api/internal/target/kusttarget.go `accumulateTarget`: a kustomization's resources (bases, built
 *   with their own patches first), then its components, then its own transformers — so an overlay's
 *   patch is applied after its base's and a component's, and "last applied wins".
 * - api/internal/target/kusttarget_configplugin.go `configureBuiltinTransformers`: within one
 *   kustomization, PatchStrategicMergeTransformer, PatchTransformer, Namespace, Prefix, Suffix, …,
 *   PatchJson6902Transformer, …, ReplacementTransformer: patches run before namePrefix (they name the
 *   unprefixed resource), replacements last.
 * - api/internal/target/kusttarget.go `accumulateFile` + api/resource/origin.go `Origin.Append`: with
 *   `buildMetadata: [originAnnotations]`, each resource gets `config.kubernetes.io/origin: {path}`,
 *   the path relative to the directory kustomize was run on (here, secctx's wrapper kustomization).
 * - api/internal/loader/fileloader.go `FileLoader.Load` GETs `http(s)://` paths, and
 *   `accumulateResources` clones what `git.NewRepoSpecFromURL` parses: such references are refused.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCliCaptured } from '../support/cli';
import type { JsonContainer, JsonFinding } from '../../server/src/cli/format';
import { LineIndex } from '../../server/src/engine/lines';
import { combineFindings } from '../../server/src/engine/kustomize/overlays';
import { isRemoteRef, parseKustomization } from '../../server/src/engine/kustomize/kustomization';
import { DEFAULT_OPTIONS } from '../../server/src/engine/options';
import { cleanError } from '../../server/src/host/kustomize/run';
import { KustomizeService } from '../../server/src/host/kustomize/service';
import { PROJECT, writeProject } from '../support/kustomize-project';

const run = (...argv: string[]) => runCliCaptured(argv);

const brief = (f: JsonFinding) => ({ file: f.file, line: f.line, rule: f.rule, severity: f.severity });

describe('kubectl kustomize is installed (the tests below need it)', () => {
  test('kubectl kustomize reports kustomize v5', () => {
    const version = execFileSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
    assert.match(version, /Kustomize Version: v5\./);
  });
});

describe('kustomize builds through the CLI', () => {
  let project = '';
  const cwd = process.cwd();
  before(() => { project = writeProject(); process.chdir(project); });
  after(() => { process.chdir(cwd); rmSync(project, { recursive: true, force: true }); });

  test('a base whose restricted findings every overlay fixes: each is a hint naming the overlays', async () => {
    const r = await run('check', '--format', 'json', 'base', 'overlays');
    assert.equal(r.code, 0, r.stderr);
    const findings = (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings;
    assert.deepEqual(findings.map((f) => ({ ...brief(f), fixedIn: / \(fixed in overlays prod and staging\)$/.test(f.message) })), [
      { file: 'base/deployment.yaml', line: 17, rule: 'restricted-capabilities', severity: 'hint', fixedIn: true },
      { file: 'base/deployment.yaml', line: 17, rule: 'run-as-non-root', severity: 'hint', fixedIn: true },
      { file: 'base/deployment.yaml', line: 17, rule: 'seccomp-profile-required', severity: 'hint', fixedIn: true },
      { file: 'base/deployment.yaml', line: 18, rule: 'privilege-escalation', severity: 'hint', fixedIn: true },
    ]);
  });

  test('an overlay adding capabilities at pod level: the error lands on its patch line', async () => {
    const r = await run('check', '--format', 'json', 'experiments/caps');
    assert.equal(r.code, 1, r.stderr);
    const findings = (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings;
    const errors = findings.filter((f) => f.severity === 'error');
    assert.deepEqual(errors.map(brief), [{ file: 'experiments/caps/caps-patch.yaml', line: 9, rule: 'capabilities-at-pod-level', severity: 'error' }]);
    assert.match(errors[0].message, /\(in overlay caps: Deployment\/caps-podinfo\)$/);
    // The base's findings the overlay does not fix stay on the base, saying where they still are.
    assert.ok(findings.filter((f) => f.file === 'base/deployment.yaml').every((f) => / \(in overlay caps: Deployment\/caps-podinfo\)$/.test(f.message)));
  });

  test('explain: built names, and the file and line that set each value (SMP, inline JSON 6902, component, replacement)', async () => {
    const r = await run('explain', '--format', 'json', 'overlays');
    assert.equal(r.code, 0, r.stderr);
    const containers = (JSON.parse(r.stdout) as { containers: JsonContainer[] }).containers;
    assert.deepEqual(containers.map((c) => ({ workload: c.workload, file: c.file, line: c.line, build: c.build, user: c.user.uid, provenance: c.provenance })), [
      {
        workload: 'Deployment/prod-podinfo', file: 'base/deployment.yaml', line: 15, build: 'overlays/prod', user: 10001,
        provenance: {
          // The replacement's fieldPaths entry copied the pod's runAsUser into the container.
          user: { file: 'overlays/prod/kustomization.yaml', line: 28 },
          allowPrivilegeEscalation: { file: 'overlays/prod/security-patch.yaml', line: 11 },
          // The inline JSON 6902 patch in kustomization.yaml.
          runAsNonRoot: { file: 'overlays/prod/kustomization.yaml', line: 15 },
          capabilities: { file: 'overlays/prod/security-patch.yaml', line: 13 },
          seccomp: { file: 'components/seccomp/seccomp-patch.yaml', line: 10 },
        },
      },
      {
        workload: 'Deployment/staging-podinfo', file: 'base/deployment.yaml', line: 15, build: 'overlays/staging', user: 10001,
        provenance: {
          user: { file: 'overlays/staging/harden.yaml', line: 6 },
          allowPrivilegeEscalation: { file: 'overlays/staging/harden.yaml', line: 4 },
          runAsNonRoot: { file: 'overlays/staging/harden.yaml', line: 5 },
          capabilities: { file: 'overlays/staging/harden.yaml', line: 8 },
          seccomp: { file: 'overlays/staging/harden.yaml', line: 10 },
        },
      },
    ]);
  });

  test('patch files get no findings of their own: a partial Deployment is no Deployment', async () => {
    const r = await run('check', '--format', 'json', 'overlays/prod');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual((JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings, []);
  });
});

describe('where findings land', () => {
  test('a value an inline JSON 6902 patch sets: on its line in kustomization.yaml; what the base lacks: on the base', async () => {
    const dir = writeProject({
      'base/kustomization.yaml': PROJECT['base/kustomization.yaml'],
      'base/deployment.yaml': PROJECT['base/deployment.yaml'],
      'ov/kustomization.yaml': [
        'resources:',
        '  - ../base',
        'patches:',
        '  - target:',
        '      kind: Deployment',
        '    patch: |-',
        '      - op: add',
        '        path: /spec/template/spec/containers/0/securityContext/privileged',
        '        value: true',
        '',
      ].join('\n'),
    });
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const r = await run('check', '--format', 'json', 'ov');
      assert.deepEqual((JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings.map((f) => ({ ...brief(f), column: f.column })), [
        // The op's path names the field it adds.
        { file: 'ov/kustomization.yaml', line: 8, column: 15, rule: 'privileged', severity: 'warning' },
        { file: 'base/deployment.yaml', line: 17, column: 11, rule: 'restricted-capabilities', severity: 'info' },
        { file: 'base/deployment.yaml', line: 17, column: 11, rule: 'run-as-non-root', severity: 'info' },
        { file: 'base/deployment.yaml', line: 17, column: 11, rule: 'seccomp-profile-required', severity: 'info' },
        { file: 'base/deployment.yaml', line: 18, column: 13, rule: 'privilege-escalation', severity: 'info' },
      ]);
    } finally {
      process.chdir(cwd);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('kustomize faults', () => {
  let project = '';
  before(() => { project = writeProject(); });
  after(() => { rmSync(project, { recursive: true, force: true }); });

  test('kustomize missing: the service says how to get overlay-aware results', async () => {
    const service = new KustomizeService({}, '');
    const result = await service.build(join(project, 'overlays/prod'), DEFAULT_OPTIONS);
    assert.equal(result?.status, 'missing');
    assert.equal(service.runs, 0);
  });

  test('kustomize missing in the CLI: files judged alone, one informational line', async () => {
    const cwd = process.cwd();
    const PATH = process.env.PATH;
    process.chdir(project);
    process.env.PATH = '';
    try {
      const r = await run('check', '--format', 'json', 'overlays/prod');
      assert.deepEqual(r.stderr.split('\n').filter(Boolean), [
        'secctx: kustomize was not found (neither `kustomize` nor `kubectl` on PATH): the files of this build are judged one by one. Install kustomize or kubectl, or set `secctx.kustomize.path` (`kustomize: {path: …}` in .secctx.yaml), for results on the built overlays.',
      ]);
      // Judged alone, the partial Deployment in the patch is what it always was.
      assert.deepEqual([...new Set((JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings.map((f) => f.file))], ['overlays/prod/security-patch.yaml']);
    } finally {
      process.env.PATH = PATH;
      process.chdir(cwd);
    }
  });

  test('a failing build: its error, once, on the kustomization file', async () => {
    const dir = writeProject({ 'kustomization.yaml': 'resources:\n  - deployment.yaml\npatches:\n  - path: missing-patch.yaml\n', 'deployment.yaml': PROJECT['base/deployment.yaml'] });
    try {
      const result = await new KustomizeService().build(dir, DEFAULT_OPTIONS);
      assert.equal(result?.status, 'failed');
      assert.ok(result?.status === 'failed' && result.problems.length === 1 && result.problems[0].file === join(dir, 'kustomization.yaml'));
      assert.ok(result?.status === 'failed' && /missing-patch\.yaml/.test(result.problems[0].message), result?.status === 'failed' ? result.problems[0].message : '');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a build that hangs is stopped at the timeout (a stand-in binary that sleeps, via kustomize.path)', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'secctx-fake-kustomize-'));
    const fake = join(bin, 'kustomize');
    // Stand-in for a kustomize that never finishes (a plugin waiting on the network, a huge build).
    writeFileSync(fake, '#!/bin/sh\nexec sleep 30\n');
    chmodSync(fake, 0o755);
    try {
      const started = Date.now();
      const result = await new KustomizeService({ path: fake, timeoutMs: 300 }).build(join(project, 'overlays/prod'), DEFAULT_OPTIONS);
      assert.equal(result?.status, 'timeout');
      assert.ok(Date.now() - started < 10_000);
      assert.ok(result?.status === 'timeout' && /did not finish within/.test(result.problems[0].message));
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });

  test('a remote base is refused, never fetched (a loopback server counts requests)', async () => {
    let requests = 0;
    const server = http.createServer((_req, res) => { requests++; res.end(''); });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const dir = writeProject({ 'kustomization.yaml': `resources:\n  - http://127.0.0.1:${port}/base/deployment.yaml\n  - github.com/example/repo//base?ref=v1\n` });
    try {
      const service = new KustomizeService();
      const result = await service.build(dir, DEFAULT_OPTIONS);
      assert.equal(result?.status, 'refused');
      assert.equal(service.runs, 0);
      const problem = result?.status === 'refused' ? result.problems[0] : undefined;
      const text = readFileSync(join(dir, 'kustomization.yaml'), 'utf8');
      assert.deepEqual(problem && { file: problem.file, line: new LineIndex(text).position(problem.span.start).line }, { file: join(dir, 'kustomization.yaml'), line: 2 });
      assert.equal(requests, 0);
    } finally {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a build is cached by the content of its inputs and re-runs when one changes', async () => {
    const dir = writeProject();
    try {
      const service = new KustomizeService();
      await service.build(join(dir, 'overlays/staging'), DEFAULT_OPTIONS);
      await service.build(join(dir, 'overlays/staging'), DEFAULT_OPTIONS);
      assert.equal(service.runs, 1);
      const harden = join(dir, 'overlays/staging/harden.yaml');
      const edited = readFileSync(harden, 'utf8').replace('allowPrivilegeEscalation: false', 'allowPrivilegeEscalation: true');
      const result = await service.build(join(dir, 'overlays/staging'), DEFAULT_OPTIONS, (f) => (f === harden ? edited : undefined));
      assert.equal(service.runs, 2);
      const findings = result?.status === 'ok' ? result.judgement.findings.map((f) => ({ file: f.file, line: new LineIndex(edited).position(f.span.start).line, rule: f.finding.rule })) : [];
      assert.deepEqual(findings, [{ file: harden, line: 4, rule: 'privilege-escalation' }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('kustomize, pure parts', () => {
  test('remote references: URLs and git repository specs, not local paths', () => {
    assert.deepEqual(
      ['https://example.com/a.yaml', 'github.com/org/repo//base?ref=v1', 'git@github.com:org/repo.git', 'ssh://git@host/org/repo', '../../base', 'deployment.yaml', 'https://dev.azure.com/org/_git/repo'].map(isRemoteRef),
      [true, true, true, true, false, false, true],
    );
  });

  test('patches in application order: patchesStrategicMerge, patches, patchesJson6902 (configureBuiltinTransformers)', () => {
    const k = parseKustomization('patchesJson6902:\n  - path: c.yaml\n    target: {kind: Deployment}\npatches:\n  - path: b.yaml\npatchesStrategicMerge:\n  - a.yaml\n');
    assert.deepEqual(k.patches.map((p) => p.path), ['a.yaml', 'b.yaml', 'c.yaml']);
  });

  test("kustomize's error without kubectl's log prefix, the wrapper's layer or the temporary copy's paths", () => {
    // As kubectl v1.32.4 printed it for a patch file that does not exist.
    const stderr = [
      'E1206 06:16:23.507654   13311 run.go:72] "command failed" err=<',
      "\taccumulating resources: accumulation err='accumulating resources from '../src': '/tmp/secctx-kustomize-ROYBEX/src' must resolve to a file': recursed accumulation of path '/tmp/secctx-kustomize-ROYBEX/src': trouble configuring builtin PatchTransformer with config: `",
      '\tpath: missing-patch.yaml',
      "\t`: failed to get the patch file from path(missing-patch.yaml): evalsymlink failure on 'missing-patch.yaml' : lstat missing-patch.yaml: no such file or directory",
      ' >',
      '',
    ].join('\n');
    assert.equal(cleanError(stderr), "trouble configuring builtin PatchTransformer with config: `\npath: missing-patch.yaml\n`: failed to get the patch file from path(missing-patch.yaml): evalsymlink failure on 'missing-patch.yaml' : lstat missing-patch.yaml: no such file or directory");
  });

  test('combining: a finding only some overlays fix says where it remains; one an overlay adds names it', () => {
    const alone = [{ rule: 'r', severity: 'warning' as const, message: 'm', span: { start: 1, end: 2 }, fixes: [] }];
    const mapped = (rule: string) => ({ file: 'f', span: { start: 1, end: 2 }, via: 'origin' as const, resource: 'Deployment/a-x', built: { start: 1, end: 2 }, finding: { ...alone[0], rule } });
    assert.deepEqual(combineFindings(alone, [{ name: 'a', findings: [mapped('r'), mapped('s')] }, { name: 'b', findings: [] }]).map((f) => `${f.severity} ${f.rule} ${f.message}`), [
      'warning r m (still in a; fixed in b)',
      'warning s m (in overlay a: Deployment/a-x)',
    ]);
  });
});
