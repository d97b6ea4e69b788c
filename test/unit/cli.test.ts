/**
 * The CLI adapter, run in-process through `runCli` with captured output (and once as the built
 * `dist/cli.js`): exit codes, the JSON contracts of check and explain, SARIF 2.1.0, text output,
 * bad input that is reported on one line while the rest is analysed, and the option flags.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { VERSION } from '../../server/src/cli/main';
import { runCliCaptured } from '../support/cli';
import { COMMANDS } from '../../server/src/cli/commands';
import { OPTIONS } from '../../server/src/cli/options';
import type { JsonContainer, JsonFinding } from '../../server/src/cli/format';
import { RULES } from '../../server/src/engine/rules/index';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Every SARIF log the suite writes is checked against the official 2.1.0 schema (test/support/cli.ts). */
const run = (...argv: string[]): Promise<Run> => runCliCaptured(argv);

const DEFAULTS = ['CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'SETGID', 'SETUID', 'SETPCAP', 'NET_BIND_SERVICE', 'NET_RAW', 'SYS_CHROOT', 'MKNOD', 'AUDIT_WRITE', 'SETFCAP'];
const PREFIX_MESSAGE = 'containerd prepends CAP_ to every name, so CAP_NET_ADMIN becomes CAP_CAP_NET_ADMIN, which is not a capability: runc ignores it and NET_ADMIN is not added. Write NET_ADMIN.';
const ROOT_MESSAGE = 'Container "web" runs as root (uid 0): runAsUser: 0 is set in the container securityContext.';

/** Root, with a CAP_-prefixed add: one error (capability-prefix, line 12) and a warning (run-as-root, line 10). */
const POD = [
  'apiVersion: v1',
  'kind: Pod',
  'metadata:',
  '  name: web',
  'spec:',
  '  containers:',
  '    - name: web',
  '      image: nginx:1.27',
  '      securityContext:',
  '        runAsUser: 0',
  '        capabilities:',
  '          add: ["CAP_NET_ADMIN"]',
  '',
].join('\n');

/** Passes the restricted profile: nothing at all to report. */
const HARDENED = [
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: api',
  'spec:',
  '  template:',
  '    spec:',
  '      securityContext:',
  '        runAsNonRoot: true',
  '        runAsUser: 10001',
  '        fsGroup: 10001',
  '        seccompProfile:',
  '          type: RuntimeDefault',
  '      containers:',
  '        - name: api',
  '          image: api:1',
  '          securityContext:',
  '            allowPrivilegeEscalation: false',
  '            capabilities:',
  '              drop: ["ALL"]',
  '',
].join('\n');

const BROKEN = ['apiVersion: v1', 'kind: Pod', 'metadata:', '  name: broken', '  labels: {a: [}', 'spec:', '  containers: []', ''].join('\n');

describe('secctx CLI', () => {
  let dir: string;
  const file = (name: string) => join(dir, name);

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'secctx-cli-'));
    writeFileSync(file('pod.yaml'), POD);
    writeFileSync(file('hardened.yaml'), HARDENED);
    writeFileSync(file('broken.yaml'), BROKEN);
    writeFileSync(file('binary.yaml'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01, 0x02]));
    writeFileSync(file('docker.secctx.yaml'), 'runtime: docker\nrules:\n  run-as-root: error\n');
    writeFileSync(file('bad.secctx.yaml'), 'profile: strict\n');
    mkdirSync(file('project/skip'), { recursive: true });
    mkdirSync(file('project/keep'), { recursive: true });
    writeFileSync(file('project/.secctx.yaml'), 'profile: privileged\nignore:\n  - "skip/**"\n');
    writeFileSync(file('project/skip/pod.yaml'), POD);
    writeFileSync(file('project/keep/pod.yaml'), POD);
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  describe('exit codes', () => {
    test('0: no errors (hardened workload), and a one-line summary says so', async () => {
      assert.deepStrictEqual(await run('check', '--no-color', file('hardened.yaml')), { code: 0, stdout: '✔ 1 file checked (1 Kubernetes), no problems\n', stderr: '' });
    });

    test('1: errors found', async () => {
      assert.equal((await run('check', '--no-color', file('pod.yaml'))).code, 1);
    });

    test('0: explain never fails on findings', async () => {
      assert.equal((await run('explain', file('pod.yaml'))).code, 0);
    });

    test('--help and --version', async () => {
      const help = await run('--help');
      assert.deepStrictEqual({ code: help.code, first: help.stdout.split('\n')[0], stderr: help.stderr }, { code: 0, first: 'Usage: secctx <command> [options] <files or directories...>', stderr: '' });
      assert.deepStrictEqual(await run('-v'), { code: 0, stdout: `secctx ${VERSION}\n`, stderr: '' });
    });

    test('--help is generated from the option and command tables', async () => {
      const help = (await run('--help')).stdout;
      assert.deepStrictEqual(
        { options: OPTIONS.filter((d) => !help.includes(`--${d.name}`)).map((d) => d.name), commands: COMMANDS.filter((c) => !help.includes(`  ${c.name} `)).map((c) => c.name) },
        { options: [], commands: [] },
      );
    });

    test('options may come before the command and after the paths; `--` ends the options', async () => {
      const f = file('pod.yaml');
      const a = await run('--format=json', 'check', f, '--profile', 'privileged');
      const b = await run('check', '--format', 'json', '--profile', 'privileged', '--', f);
      assert.deepStrictEqual({ a: a.code, same: a.stdout === b.stdout, b: b.code }, { a: 1, same: true, b: 1 });
    });

    const usage: { argv: string[]; message: string }[] = [
      { argv: [], message: 'missing command (check, explain or images)' },
      { argv: ['check'], message: 'no files or directories given' },
      { argv: ['lint', 'x.yaml'], message: 'unknown command lint (expected check, explain or images)' },
      { argv: ['check', '--bogus', 'x.yaml'], message: 'unknown option --bogus' },
      { argv: ['check', '--format', 'xml', 'x.yaml'], message: '--format must be text, json, sarif, junit, checkstyle, codeclimate, github, html or markdown, not xml' },
      { argv: ['explain', '--format', 'sarif', 'x.yaml'], message: '--format sarif is for check' },
      { argv: ['check', '--profile=strict', 'x.yaml'], message: '--profile must be restricted, baseline or privileged, not strict' },
      { argv: ['check', '--kubernetes-version', '1.x', 'x.yaml'], message: '--kubernetes-version must look like 1.30, not 1.x' },
      { argv: ['check', '--runtime', 'podman', 'x.yaml'], message: '--runtime must be one of containerd, cri-o, docker, not podman' },
      { argv: ['check', '--runtime', '--profile', 'baseline', 'x.yaml'], message: '--runtime needs a value' },
      { argv: ['check', '--fix=yes', 'x.yaml'], message: '--fix takes no value' },
      { argv: ['check', 'x.yaml', '--config'], message: '--config needs a value' },
    ];
    for (const { argv, message } of usage) {
      test(`2: usage error ${JSON.stringify(argv)}`, async () => {
        const r = await run(...argv);
        assert.deepStrictEqual({ code: r.code, stdout: r.stdout, first: r.stderr.split('\n')[0], usage: r.stderr.includes('\n\nUsage: secctx') }, { code: 2, stdout: '', first: `secctx: ${message}`, usage: true });
      });
    }

    test('2: a missing input, one line on stderr', async () => {
      const missing = file('missing.yaml');
      assert.deepStrictEqual(await run('check', missing), { code: 2, stdout: '', stderr: `secctx: ${missing}: no such file or directory (ENOENT)\n` });
    });
  });

  describe('JSON contracts', () => {
    test('check --format json: whole findings', async () => {
      const f = file('pod.yaml');
      const r = await run('check', '--format', 'json', '--profile', 'privileged', f);
      const expected: { findings: JsonFinding[] } = {
        findings: [{
          file: f, line: 12, column: 17, endLine: 12, endColumn: 32, rule: 'capability-prefix', severity: 'error', message: PREFIX_MESSAGE,
          // containerd ignores CAP_NET_ADMIN in add today: the corrected name grants it, so the fix is unsafe.
          fixes: [{ title: 'Change to NET_ADMIN', safety: 'unsafe', preferred: true, edits: [{ file: f, line: 12, column: 17, endLine: 12, endColumn: 32, newText: '"NET_ADMIN"' }] }],
        }],
      };
      assert.deepStrictEqual({ code: r.code, stderr: r.stderr, json: JSON.parse(r.stdout) }, { code: 1, stderr: '', json: expected });
    });

    test('check --format json: Pod Security findings carry their level, check and the admission controller\'s words', async () => {
      const r = await run('check', '--format', 'json', file('pod.yaml'));
      const { findings } = JSON.parse(r.stdout) as { findings: JsonFinding[] };
      // check_allowPrivilegeEscalation.go allowPrivilegeEscalation_1_8: its ForbiddenReason and ForbiddenDetail.
      assert.deepStrictEqual(findings.filter((f) => f.rule === 'privilege-escalation').map(({ line, severity, pss }) => ({ line, severity, pss })), [
        { line: 9, severity: 'info', pss: { level: 'restricted', check: 'allowPrivilegeEscalation', reason: 'allowPrivilegeEscalation != false', detail: 'container "web" must set securityContext.allowPrivilegeEscalation=false' } },
      ]);
    });

    // nginx is in the well-known base-image table: runAsUser 0's primary group comes from its /etc/passwd (root: 0).
    const container = (f: string, bounding: string[]): JsonContainer => ({
      file: f, line: 7, name: 'web', kind: 'container', workload: 'Pod/web', image: 'nginx:1.27',
      imageFacts: { reference: 'nginx:1.27', digest: null, platform: null, user: '', from: 'table' },
      user: { uid: 0, source: 'container' }, group: { gid: 0, source: 'image' }, supplementalGroups: [],
      privileged: false, allowPrivilegeEscalation: true, runAsNonRoot: 'not-required',
      capabilities: { bounding, effective: bounding }, seccomp: 'Unconfined', readOnlyRootFilesystem: false,
    });

    test('explain --format json: whole containers (containerd ignores CAP_NET_ADMIN)', async () => {
      const f = file('pod.yaml');
      const r = await run('explain', '--format', 'json', f);
      assert.deepStrictEqual({ code: r.code, json: JSON.parse(r.stdout) }, { code: 0, json: { containers: [container(f, DEFAULTS)], images: [] } });
    });

    test('explain --runtime cri-o: CAP_NET_ADMIN is granted', async () => {
      const f = file('pod.yaml');
      const r = await run('explain', '--format=json', '--runtime=cri-o', f);
      const crio = ['CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'SETGID', 'SETUID', 'SETPCAP', 'NET_BIND_SERVICE', 'NET_ADMIN'];
      assert.deepStrictEqual(JSON.parse(r.stdout), { containers: [container(f, crio)], images: [] });
    });

    test('explain --format json for a workload with pod-level settings', async () => {
      const f = file('hardened.yaml');
      const { containers } = JSON.parse((await run('explain', '--format', 'json', f)).stdout) as { containers: JsonContainer[] };
      assert.deepStrictEqual(containers, [{
        file: f, line: 15, name: 'api', kind: 'container', workload: 'Deployment/api', image: 'api:1', imageFacts: null,
        user: { uid: 10001, source: 'pod' }, group: { gid: 0, source: 'default' }, supplementalGroups: [10001],
        privileged: false, allowPrivilegeEscalation: false, runAsNonRoot: 'pass',
        capabilities: { bounding: [], effective: [] }, seccomp: 'RuntimeDefault', readOnlyRootFilesystem: false,
      }]);
    });
  });

  describe('SARIF 2.1.0', () => {
    test('structure, rules and results with regions', async () => {
      const f = file('pod.yaml');
      const b = file('broken.yaml');
      const r = await run('check', '--format', 'sarif', '--profile', 'privileged', b, f);
      interface Sarif {
        $schema: string;
        version: string;
        runs: {
          tool: { driver: { name: string; version: string; rules: { id: string; helpUri: string }[] } };
          results: { ruleId: string; ruleIndex: number; level: string; message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string }; region: Record<string, number> } }[] }[];
        }[];
      }
      const sarif = JSON.parse(r.stdout) as Sarif;
      const driver = sarif.runs[0].tool.driver;
      const ids = RULES.map((rule) => rule.meta.id);
      assert.deepStrictEqual(
        {
          code: r.code,
          schema: sarif.$schema,
          version: sarif.version,
          runs: sarif.runs.length,
          tool: { name: driver.name, version: driver.version },
          ruleIds: driver.rules.map((rule) => rule.id),
          helpUris: driver.rules.every((rule) => rule.helpUri === `https://github.com/secctx/secctx/blob/main/docs/rules/${rule.id}.md`),
          results: sarif.runs[0].results.map((res) => ({ ruleId: res.ruleId, indexed: driver.rules[res.ruleIndex].id, level: res.level, uri: res.locations[0].physicalLocation.artifactLocation.uri, region: res.locations[0].physicalLocation.region })),
        },
        {
          code: 1,
          schema: 'https://json.schemastore.org/sarif-2.1.0.json',
          version: '2.1.0',
          runs: 1,
          tool: { name: 'secctx', version: VERSION },
          ruleIds: ids,
          helpUris: true,
          results: [
            { ruleId: 'yaml-syntax', indexed: 'yaml-syntax', level: 'error', uri: pathToFileURL(b).href, region: { startLine: 5, startColumn: 16, endLine: 5, endColumn: 17 } },
            { ruleId: 'capability-prefix', indexed: 'capability-prefix', level: 'error', uri: pathToFileURL(f).href, region: { startLine: 12, startColumn: 17, endLine: 12, endColumn: 32 } },
          ],
        },
      );
    });

    test('warnings and infos become warning and note', async () => {
      const r = await run('check', '--format', 'sarif', file('pod.yaml'));
      const sarif = JSON.parse(r.stdout) as { runs: { results: { ruleId: string; level: string }[] }[] };
      const levels = new Map(sarif.runs[0].results.map((res) => [res.ruleId, res.level]));
      assert.deepStrictEqual([levels.get('capability-prefix'), levels.get('run-as-root'), levels.get('privilege-escalation')], ['error', 'warning', 'note']);
    });
  });

  describe('text output', () => {
    test('check: stylish, per file, with a summary', async () => {
      const f = file('pod.yaml');
      const r = await run('check', '--no-color', '--profile', 'privileged', '--config', file('docker.secctx.yaml'), '--runtime', 'containerd', f);
      assert.deepStrictEqual(r, {
        code: 1,
        stderr: '',
        stdout: [
          f,
          `  10:9     error    ${ROOT_MESSAGE}  run-as-root`,
          `  12:17    error    ${PREFIX_MESSAGE}  capability-prefix`,
          '',
          '✖ 2 problems (2 errors, 0 warnings, 0 info) in 1 file checked (1 Kubernetes)',
          '',
        ].join('\n'),
      });
    });

    test('explain --wide: one row per container, every value in full', async () => {
      const f = file('pod.yaml');
      const r = await run('explain', '--wide', f);
      const caps = DEFAULTS.join(',');
      const header = ['FILE:LINE', 'WORKLOAD', 'CONTAINER', 'USER', 'GROUP', 'GROUPS', 'PRIV', 'ESCAL', 'NON-ROOT', 'EFFECTIVE CAPS', 'SECCOMP'];
      const row = [`${f}:7`, 'Pod/web', 'web', '0', '0', '-', 'no', 'yes', 'not-required', caps, 'Unconfined'];
      const widths = header.map((h, i) => Math.max(h.length, row[i].length));
      const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
      assert.equal(r.stdout, `${line(header)}\n${line(row)}\n`);
    });

    test('explain fits 120 columns: capabilities counted, paths keep their end, a note says how to see all', async () => {
      const long = join(dir, 'a-rather-long-directory-name', 'and-a-long-file-name-too.yaml');
      mkdirSync(join(dir, 'a-rather-long-directory-name'), { recursive: true });
      writeFileSync(long, POD);
      const r = await run('explain', long);
      const lines = r.stdout.split('\n').filter(Boolean);
      assert.deepStrictEqual({ widest: Math.max(...lines.map((l) => l.length)), rows: lines.slice(1, -1).map((l) => l.split(/ {2,}/)), note: lines[lines.length - 1] }, {
        widest: 120,
        rows: [['…e-name-too.yaml:7', 'Pod/web', 'web', '0', '0', '-', 'no', 'yes', 'not-required', 'CHOWN,… +13', 'Unconfined']],
        note: '(abbreviated to 120 columns; --wide prints every value)',
      });
    });

    test('explain with nothing to show', async () => {
      const empty = file('empty.yaml');
      writeFileSync(empty, 'kind: ConfigMap\n');
      assert.deepStrictEqual(await run('explain', empty), { code: 0, stdout: 'No containers or images found.\n', stderr: '' });
    });
  });

  describe('bad input', () => {
    test('missing path (exit 2), binary file and invalid YAML: one line each, the other files analysed', async () => {
      const missing = file('missing.yaml');
      const r = await run('check', '--no-color', '--profile', 'privileged', missing, file('binary.yaml'), file('broken.yaml'), file('pod.yaml'));
      assert.deepStrictEqual(r, {
        code: 2,
        stderr: `secctx: ${missing}: no such file or directory (ENOENT)\nsecctx: ${file('binary.yaml')}: skipped: binary file\n`,
        stdout: [
          file('broken.yaml'),
          '  5:16     error    YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]  yaml-syntax',
          '',
          file('pod.yaml'),
          `  12:17    error    ${PREFIX_MESSAGE}  capability-prefix`,
          '',
          '✖ 2 problems (2 errors, 0 warnings, 0 info) in 2 files checked (2 Kubernetes); 1 skipped (1 binary)',
          '',
        ].join('\n'),
      });
    });

    test('explain skips what it cannot read and explains the rest', async () => {
      const r = await run('explain', '--format', 'json', file('binary.yaml'), file('pod.yaml'));
      const { containers } = JSON.parse(r.stdout) as { containers: JsonContainer[] };
      assert.deepStrictEqual({ code: r.code, stderr: r.stderr, names: containers.map((c) => c.workload) }, { code: 0, stderr: `secctx: ${file('binary.yaml')}: skipped: binary file\n`, names: ['Pod/web'] });
    });
  });

  describe('options', () => {
    const rulesOf = async (...argv: string[]) => ((JSON.parse((await run('check', '--format', 'json', ...argv)).stdout) as { findings: JsonFinding[] }).findings).map((f) => `${f.line} ${f.severity} ${f.rule}`);

    test('--profile: restricted reports everything, baseline drops restricted-only findings, privileged keeps errors', async () => {
      const f = file('pod.yaml');
      assert.deepStrictEqual(
        { restricted: await rulesOf(f), baseline: await rulesOf('--profile', 'baseline', f), privileged: await rulesOf('--profile', 'privileged', f) },
        {
          restricted: ['9 info privilege-escalation', '9 info run-as-non-root', '9 info seccomp-profile-required', '10 warning run-as-root', '11 info restricted-capabilities', '12 error capability-prefix', '12 warning dangerous-capability'],
          baseline: ['10 warning run-as-root', '12 error capability-prefix', '12 warning dangerous-capability'],
          privileged: ['12 error capability-prefix'],
        },
      );
    });

    test('--kubernetes-version: Pod Security checks as of that version', async () => {
      const f = file('pod.yaml');
      // runAsUser (restricted) arrived in 1.23, capabilities (restricted) in 1.22.
      assert.deepStrictEqual(await rulesOf('--kubernetes-version', '1.21', f), ['9 info privilege-escalation', '9 info run-as-non-root', '9 info seccomp-profile-required', '10 warning run-as-root', '12 error capability-prefix', '12 warning dangerous-capability']);
    });

    test('--runtime: CRI-O accepts CAP_NET_ADMIN, so the prefix is a warning and check passes', async () => {
      const r = await run('check', '--format', 'json', '--profile', 'privileged', '--runtime', 'cri-o', file('pod.yaml'));
      assert.deepStrictEqual({ code: r.code, json: JSON.parse(r.stdout) }, { code: 0, json: { findings: [] } });
    });

    test('--config: its runtime and rules apply; flags win over it', async () => {
      const f = file('pod.yaml');
      const config = file('docker.secctx.yaml');
      assert.deepStrictEqual(
        { fromConfig: await rulesOf('--profile', 'privileged', '--config', config, f), flagWins: await rulesOf('--profile', 'privileged', '--config', config, '--runtime', 'containerd', f) },
        { fromConfig: ['10 error run-as-root'], flagWins: ['10 error run-as-root', '12 error capability-prefix'] },
      );
    });

    test('an invalid --config: reported once on stderr, exit 2', async () => {
      const config = file('bad.secctx.yaml');
      const r = await run('check', '--no-color', '--profile', 'privileged', '--config', config, file('pod.yaml'), file('hardened.yaml'));
      assert.deepStrictEqual({ code: r.code, stderr: r.stderr }, { code: 2, stderr: `secctx: ${relative(process.cwd(), config)}: profile must be one of restricted, baseline, privileged.\n` });
    });

    test('a .secctx.yaml found upward: its profile and ignore globs apply to directories walked', async () => {
      const r = await run('check', '--format', 'json', file('project'));
      const { findings } = JSON.parse(r.stdout) as { findings: JsonFinding[] };
      assert.deepStrictEqual(findings.map((f) => `${relative(dir, f.file)} ${f.rule}`), [`${join('project', 'keep', 'pod.yaml')} capability-prefix`]);
    });

    test('an explicit file is analysed even when ignored', async () => {
      const r = await run('check', '--format', 'json', file('project/skip/pod.yaml'));
      assert.deepStrictEqual((JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings.map((f) => f.rule), ['capability-prefix']);
    });
  });

  test('the built dist/cli.js gives the same JSON and exit code', async () => {
    if (!existsSync(CLI)) {
      const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8' });
      assert.equal(build.status, 0, `npm run build failed:\n${build.stdout}\n${build.stderr}`);
    }
    const argv = ['check', '--format', 'json', file('pod.yaml'), file('hardened.yaml')];
    const spawned = spawnSync(process.execPath, [CLI, ...argv], { encoding: 'utf8', timeout: 30_000 });
    const inProcess = await run(...argv);
    assert.deepStrictEqual({ status: spawned.status, stderr: spawned.stderr, json: JSON.parse(spawned.stdout) as unknown }, { status: inProcess.code, stderr: '', json: JSON.parse(inProcess.stdout) as unknown });
  });
});

describe('secctx CLI: images linked to Dockerfiles (examples/linked-image)', () => {
  // Given as a relative directory, as CI does (`secctx check k8s/`): the .secctx.yaml links apply.
  const example = relative(process.cwd(), join(ROOT, 'examples', 'linked-image')) || '.';

  test('check: the named USER of the api image fails runAsNonRoot; the distroless worker passes', async () => {
    const r = await run('check', '--format', 'json', example);
    const { findings } = JSON.parse(r.stdout) as { findings: JsonFinding[] };
    assert.deepStrictEqual(
      { code: r.code, findings: findings.map((f) => `${relative(example, f.file)}:${f.line} ${f.severity} ${f.rule}`) },
      // proxy's nginx:1.27 sets no USER (the well-known base-image table): Docker runs it as root.
      { code: 1, findings: [join('api', 'Dockerfile') + ':7 warning non-numeric-user', 'compose.yaml:11 warning run-as-root', 'compose.yaml:13 warning dangerous-capability', 'deployment.yaml:19 error run-as-non-root-violation'] },
    );
  });

  test('explain: users come from the linked Dockerfiles, for Kubernetes and Compose alike', async () => {
    const r = await run('explain', '--format', 'json', example);
    const { containers } = JSON.parse(r.stdout) as { containers: JsonContainer[] };
    assert.deepStrictEqual(
      containers.map((c) => `${c.workload}/${c.name} ${c.user.uid ?? '?'} ${c.group.gid ?? '?'} ${c.runAsNonRoot} ${c.imageFacts?.from ?? '-'}`),
      ['compose/api/api 10001 10001 not-required dockerfile', 'compose/worker/worker 65532 65532 not-required dockerfile', 'compose/proxy/proxy 0 0 not-required table', 'Deployment/shop/api 10001 10001 unverifiable dockerfile', 'Deployment/shop/worker 65532 65532 pass dockerfile'],
    );
  });

  test('an images: path that leaves the project is refused, said once on stderr', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'secctx-cli-links-'));
    try {
      writeFileSync(join(dir, '.secctx.yaml'), 'images:\n  example.com/app: ../elsewhere/Dockerfile\n');
      writeFileSync(join(dir, 'pod.yaml'), POD);
      const r = await run('check', '--format', 'json', join(dir, 'pod.yaml'));
      assert.equal(r.stderr, `secctx: ${relative(process.cwd(), join(dir, '.secctx.yaml'))}: ../elsewhere/Dockerfile is outside the workspace; secctx does not follow it.\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('--fix-dry-run offers the numeric USER in the Dockerfile, not in the manifest', async () => {
    const r = await run('check', '--fix', '--fix-dry-run', '--no-color', example);
    assert.match(r.stdout, /^-USER api\n\+USER 10001:10001$/m);
  });

  // The kubelet's verifyRunAsNonRoot (kuberuntime security_context_others.go) judges the image as it is
  // built: once --fix wrote USER 10001:10001 in api/Dockerfile, the report judges the manifest against
  // that Dockerfile (a fresh pass over the written files), and says what the next plain check says.
  for (const format of ['text', 'json']) {
    test(`--fix reports what a fresh check of the fixed files reports (${format})`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'secctx-cli-fix-fresh-'));
      try {
        cpSync(join(ROOT, 'examples', 'linked-image'), dir, { recursive: true });
        const fixed = await run('check', '--fix', '--no-color', '--format', format, dir);
        const fresh = await run('check', '--no-color', '--format', format, dir);
        assert.deepStrictEqual(
          { code: fixed.code, stdout: fixed.stdout, stderr: fixed.stderr, user: readFileSync(join(dir, 'api', 'Dockerfile'), 'utf8').match(/^USER .*$/m)?.[0] },
          { code: fresh.code, stdout: fresh.stdout, stderr: `secctx: ${join(dir, 'api', 'Dockerfile')}: applied 1 fix\n${fresh.stderr}`, user: 'USER 10001:10001' },
        );
        assert.equal(fresh.code, 0, 'the fixed Dockerfile clears the manifest\'s run-as-non-root-violation');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

describe('secctx CLI: a closed pipe', () => {
  test('check … | head: EPIPE ends the run quietly (no stack trace)', async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'server', 'src', 'cli', 'main.ts'), 'explain', '--no-color', join(ROOT, 'examples')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const code = await new Promise<number | null>((resolve, reject) => {
      const timer = setTimeout(() => { child.kill(); reject(new Error('no exit within 60 s')); }, 60_000);
      child.on('exit', (c) => { clearTimeout(timer); resolve(c); });
    });
    assert.deepStrictEqual({ code, stderr }, { code: 0, stderr: '' });
  });
});
