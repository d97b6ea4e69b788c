/**
 * The CLI as CI uses it: exit status thresholds, inputs (stdin, globs, .gitignore, .secctx.yaml
 * ignore globs), fatal input problems, --quiet, --output-file, colour, the CI report formats,
 * SARIF on awkward paths (validated against the official schema), summaries and fix messages.
 * Runs in-process inside a temporary project (the working directory is changed for each run).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type * as Sarif from 'sarif';
import { escapeData, escapeProperty } from '../../server/src/cli/ciFormats';
import { runCliCaptured } from '../support/cli';
import { isIgnored } from '../../server/src/engine/config';

interface Run { readonly code: number; readonly stdout: string; readonly stderr: string }

let project: string;

/** Runs the CLI with the project as working directory (and `stdin` as standard input). */
function run(argv: string[], stdin?: string, env: Record<string, string | undefined> = {}): Promise<Run> {
  return runCliCaptured(argv, { cwd: project, stdin, env });
}

/** Privileged with hostPID: two baseline violations, warnings under --profile baseline. */
const PRIVILEGED = ['apiVersion: v1', 'kind: Pod', 'metadata:', '  name: priv', 'spec:', '  hostPID: true', '  containers:', '    - name: app', '      image: app:1', '      securityContext:', '        privileged: true', ''].join('\n');
const HARDENED = ['apiVersion: v1', 'kind: Pod', 'metadata:', '  name: ok', 'spec:', '  securityContext:', '    runAsNonRoot: true', '    runAsUser: 10001', '    seccompProfile:', '      type: RuntimeDefault', '  containers:', '    - name: app', '      image: app:1', '      securityContext:', '        allowPrivilegeEscalation: false', '        capabilities:', '          drop: ["ALL"]', ''].join('\n');
/** One error with a safe fix (capability-prefix) under --profile privileged. */
const PREFIXED = ['apiVersion: v1', 'kind: Pod', 'metadata:', '  name: web', 'spec:', '  containers:', '    - name: web', '      image: nginx:1.27', '      securityContext:', '        capabilities:', '          add: ["CAP_NET_ADMIN"]', ''].join('\n');

const write = (rel: string, text: string | Buffer) => { mkdirSync(join(project, rel, '..'), { recursive: true }); writeFileSync(join(project, rel), text); };

before(() => {
  project = mkdtempSync(join(tmpdir(), 'secctx-cli-ci-'));
  write('priv.yaml', PRIVILEGED);
  write('ok/pod.yaml', HARDENED);
  write('k8s/a/pod.yaml', HARDENED);
  write('k8s/b/pod.yml', HARDENED);
  write('k8s/notes.txt', 'not a manifest\n');
  write('empty/README.txt', 'nothing here\n');
  write('git/.gitignore', 'generated/\n*.out.yaml\n!keep.out.yaml\n');
  write('git/pod.yaml', HARDENED);
  write('git/generated/pod.yaml', PRIVILEGED);
  write('git/x.out.yaml', PRIVILEGED);
  write('git/keep.out.yaml', HARDENED);
  write('prefixed.yaml', PREFIXED);
  write('bad-config/.secctx.yaml', 'profile: strict\n');
  write('bad-config/pod.yaml', HARDENED);
});
after(() => rmSync(project, { recursive: true, force: true }));

describe('exit status follows --severity-threshold and --max-warnings', () => {
  test('a privileged hostPID pod under baseline: 0 by default, 1 with --severity-threshold warning or --max-warnings 0', async () => {
    const base = ['check', '--format', 'json', '--profile', 'baseline', 'priv.yaml'];
    const codes = {
      default: (await run(base)).code,
      warning: (await run([...base, '--severity-threshold', 'warning'])).code,
      info: (await run([...base, '--severity-threshold=info'])).code,
      maxWarnings0: await run([...base, '--max-warnings', '0']).then((r) => ({ code: r.code, stderr: r.stderr })),
      maxWarnings2: (await run([...base, '--max-warnings', '2'])).code,
    };
    assert.deepStrictEqual(codes, { default: 0, warning: 1, info: 1, maxWarnings0: { code: 1, stderr: 'secctx: too many warnings (2, maximum 0)\n' }, maxWarnings2: 0 });
  });

  test('bad values are usage errors', async () => {
    const first = async (...argv: string[]) => (await run(argv)).stderr.split('\n')[0];
    assert.deepStrictEqual(
      [await first('check', '--max-warnings', '-1', 'priv.yaml'), await first('check', '--max-warnings=x', 'priv.yaml'), await first('check', '--severity-threshold', 'note', 'priv.yaml')],
      ['secctx: --max-warnings needs a value', 'secctx: --max-warnings must be a whole number, not x', 'secctx: --severity-threshold must be error, warning or info, not note'],
    );
  });

  test('--quiet prints errors only; the thresholds still count warnings', async () => {
    const r = await run(['check', '--no-color', '--quiet', '--profile', 'baseline', '--max-warnings', '0', 'priv.yaml']);
    assert.deepStrictEqual(r, { code: 1, stdout: '✔ 1 file checked (1 Kubernetes), no errors\n', stderr: 'secctx: too many warnings (2, maximum 0)\n' });
  });
});

describe('inputs', () => {
  test('- reads standard input, named by --stdin-filename (kind, config and report name)', async () => {
    const r = await run(['check', '--format', 'json', '--profile', 'baseline', '--stdin-filename', 'deploy/pod.yaml', '-'], PRIVILEGED);
    const plain = await run(['check', '--no-color', '--profile', 'baseline', '-'], PRIVILEGED);
    assert.deepStrictEqual(
      { files: (JSON.parse(r.stdout) as { findings: { file: string }[] }).findings.map((f) => f.file), plain: plain.stdout.split('\n')[0] },
      { files: ['deploy/pod.yaml', 'deploy/pod.yaml'], plain: '<stdin>' },
    );
  });

  test('--stdin-filename without -, and --fix with -, are usage errors', async () => {
    assert.deepStrictEqual(
      [(await run(['check', '--stdin-filename', 'x.yaml', 'priv.yaml'])).stderr.split('\n')[0], (await run(['check', '--fix', '-'], PRIVILEGED)).stderr.split('\n')[0]],
      ['secctx: --stdin-filename names standard input: give - among the inputs', 'secctx: --fix cannot write back to standard input; use --fix-dry-run'],
    );
  });

  test('a quoted glob is expanded by secctx (the same on every shell); a glob that matches nothing is exit 2 unless --no-error-on-unmatched-pattern', async () => {
    const r = await run(['check', '--no-color', 'k8s/**/*.{yaml,yml}']);
    const none = await run(['check', 'nowhere/**/*.yaml']);
    // eslint's flag, for CI jobs whose pattern may legitimately match nothing yet (a new repository).
    const allowed = await run(['check', '--no-color', '--no-error-on-unmatched-pattern', 'nowhere/**/*.yaml']);
    const allowedWithFiles = await run(['check', '--no-color', '--no-error-on-unmatched-pattern', 'nowhere/**/*.yaml', 'k8s/**/*.{yaml,yml}']);
    assert.deepStrictEqual({ r, none, allowed, allowedWithFiles }, {
      r: { code: 0, stdout: '✔ 2 files checked (2 Kubernetes), no problems\n', stderr: '' },
      none: { code: 2, stdout: '', stderr: 'secctx: nowhere/**/*.yaml: no files match this pattern (--no-error-on-unmatched-pattern allows it)\n' },
      allowed: { code: 0, stdout: '✔ nothing to check in nowhere/**/*.yaml (no Kubernetes, Compose, Dockerfile or shell files)\n', stderr: '' },
      allowedWithFiles: { code: 0, stdout: '✔ 2 files checked (2 Kubernetes), no problems\n', stderr: '' },
    });
  });

  test('.gitignore is respected when walking (negations too); --no-ignore walks everything', async () => {
    const files = async (...extra: string[]) => (JSON.parse((await run(['check', '--format', 'json', '--profile', 'baseline', ...extra, 'git'])).stdout) as { findings: { file: string }[] }).findings.map((f) => f.file);
    const summary = (await run(['check', '--no-color', 'git'])).stdout;
    assert.deepStrictEqual(
      { respected: await files(), noIgnore: [...new Set(await files('--no-ignore'))], summary },
      { respected: [], noIgnore: [join('git', 'generated', 'pod.yaml'), join('git', 'x.out.yaml')], summary: '✔ 2 files checked (2 Kubernetes), no problems; 1 skipped (1 ignored by .gitignore)\n' },
    );
  });

  test('a directory with nothing to check says so, exit 0', async () => {
    assert.deepStrictEqual(await run(['check', '--no-color', 'empty']), { code: 0, stdout: '✔ nothing to check in empty (no Kubernetes, Compose, Dockerfile or shell files)\n', stderr: '' });
  });

  test('a missing explicit file is exit 2 even when another file was read', async () => {
    const r = await run(['check', '--no-color', 'ok/pod.yaml', 'missing.yaml']);
    assert.deepStrictEqual(r, { code: 2, stdout: '✔ 1 file checked (1 Kubernetes), no problems\n', stderr: 'secctx: missing.yaml: no such file or directory (ENOENT)\n' });
  });

  test('--config that does not exist, and an invalid .secctx.yaml found upward: exit 2, one line', async () => {
    const missing = await run(['check', '--no-color', '--config', 'nope.yaml', 'ok']);
    const invalid = await run(['check', '--no-color', 'bad-config']);
    assert.deepStrictEqual(
      { missing: { code: missing.code, stderr: missing.stderr }, invalid: { code: invalid.code, stderr: invalid.stderr } },
      { missing: { code: 2, stderr: 'secctx: --config nope.yaml: no such file\n' }, invalid: { code: 2, stderr: `secctx: ${join('bad-config', '.secctx.yaml')}: profile must be one of restricted, baseline, privileged.\n` } },
    );
  });
});

describe('.secctx.yaml ignore globs: .gitignore semantics relative to the config directory', () => {
  const cases: { glob: string; path: string; ignored: boolean }[] = [
    { glob: '**/templates/**', path: 'helm-templates/pod.yaml', ignored: false },
    { glob: '**/templates/**', path: 'charts/x/templates/pod.yaml', ignored: true },
    { glob: 'test/**', path: 'src/test/x.yaml', ignored: false },
    { glob: 'test/**', path: 'test/x.yaml', ignored: true },
    { glob: '*.{yml,json}', path: 'k8s/pod.yml', ignored: true },
    { glob: '*.{yml,json}', path: 'k8s/pod.yaml', ignored: false },
    { glob: 'templates', path: 'chart/templates/pod.yaml', ignored: true },
    { glob: 'templates/', path: 'chart/templates', ignored: false },
    { glob: '/pod.yaml', path: 'sub/pod.yaml', ignored: false },
    { glob: '/pod.yaml', path: 'pod.yaml', ignored: true },
    { glob: 'skip/**', path: 'skip/pod.yaml', ignored: true },
  ];
  for (const c of cases) {
    test(`${c.glob} ${c.ignored ? 'ignores' : 'keeps'} ${c.path}`, () => assert.equal(isIgnored(c.path, [c.glob]), c.ignored));
  }
  test('a later !pattern puts a file back', () => assert.deepStrictEqual([isIgnored('gen/keep.yaml', ['gen/**', '!gen/keep.yaml']), isIgnored('gen/x.yaml', ['gen/**', '!gen/keep.yaml'])], [false, true]));
});

describe('output', () => {
  test('--output-file writes the report there, nothing on stdout', async () => {
    const r = await run(['check', '--format', 'json', '--profile', 'privileged', '-o', 'out/report.json', 'prefixed.yaml']);
    const report = JSON.parse(readFileSync(join(project, 'out', 'report.json'), 'utf8')) as { findings: { rule: string }[] };
    assert.deepStrictEqual({ code: r.code, stdout: r.stdout, rules: report.findings.map((f) => f.rule) }, { code: 1, stdout: '', rules: ['capability-prefix'] });
  });

  test('colour: --color and FORCE_COLOR turn it on, NO_COLOR and FORCE_COLOR=0 off, a flag wins', async () => {
    const colored = async (argv: string[], env: Record<string, string | undefined>) => (await run(['check', ...argv, 'ok/pod.yaml'], undefined, { FORCE_COLOR: undefined, NO_COLOR: undefined, ...env })).stdout.includes('\x1b[');
    assert.deepStrictEqual(
      [await colored([], {}), await colored(['--color'], {}), await colored([], { FORCE_COLOR: '1' }), await colored([], { FORCE_COLOR: '0' }), await colored([], { NO_COLOR: '1', FORCE_COLOR: '1' }), await colored(['--no-color'], { FORCE_COLOR: '1' }), await colored(['--color'], { NO_COLOR: '1' })],
      [false, true, true, false, true, false, true],
    );
  });
});

describe('CI formats', () => {
  const baseline = ['--profile', 'baseline', 'priv.yaml', 'ok/pod.yaml'];
  // check_hostNamespaces.go hostNamespaces_1_0 and check_privileged.go privileged_1_0, in plain English.
  const HOST = 'The pod shares the node\'s process table: its containers see every process on the node and can signal or trace those of the same user. The baseline profile forbids hostPID.';
  const attribute = (text: string): string => text.replace(/"/g, '&quot;').replace(/'/g, '&apos;');
  const PRIV = 'Container "app" is privileged: it gets every capability and the node\'s devices, without seccomp, AppArmor or SELinux confinement, so root in it is root on the node. The baseline profile forbids privileged containers.';

  test('junit: a testsuite per file, a testcase per finding, a passing one for a clean file', async () => {
    const r = await run(['check', '--format', 'junit', ...baseline]);
    assert.equal(r.stdout, [
      '<?xml version="1.0" encoding="utf-8"?>',
      '<testsuites>',
      '<testsuite package="org.secctx" time="0" tests="2" errors="0" failures="2" name="priv.yaml">',
      `<testcase time="0" name="org.secctx.host-namespaces" classname="priv.yaml"><failure message="${attribute(HOST)}"><![CDATA[line 6, col 3, warning - ${HOST} (host-namespaces)]]></failure></testcase>`,
      `<testcase time="0" name="org.secctx.privileged" classname="priv.yaml"><failure message="${attribute(PRIV)}"><![CDATA[line 11, col 9, warning - ${PRIV} (privileged)]]></failure></testcase>`,
      '</testsuite>',
      `<testsuite package="org.secctx" time="0" tests="1" errors="0" failures="0" name="${join('ok', 'pod.yaml')}">`,
      `<testcase time="0" name="${join('ok', 'pod.yaml')}" classname="secctx" />`,
      '</testsuite>',
      '</testsuites>',
      '',
    ].join('\n'));
  });

  test('checkstyle', async () => {
    const r = await run(['check', '--format', 'checkstyle', ...baseline]);
    assert.equal(r.stdout, [
      '<?xml version="1.0" encoding="utf-8"?>',
      '<checkstyle version="4.3">',
      '<file name="priv.yaml">',
      `<error line="6" column="3" severity="warning" message="${attribute(HOST)} (host-namespaces)" source="secctx.host-namespaces" />`,
      `<error line="11" column="9" severity="warning" message="${attribute(PRIV)} (privileged)" source="secctx.privileged" />`,
      '</file>',
      `<file name="${join('ok', 'pod.yaml')}">`,
      '</file>',
      '</checkstyle>',
      '',
    ].join('\n'));
  });

  test('codeclimate (GitLab code quality): the fields GitLab requires, fingerprints stable and distinct', async () => {
    const r = await run(['check', '--format', 'codeclimate', ...baseline]);
    const issues = JSON.parse(r.stdout) as { fingerprint: string }[];
    assert.deepStrictEqual(issues.map(({ fingerprint, ...rest }) => ({ ...rest, fp: /^[0-9a-f]{64}$/.test(fingerprint) })), [
      { type: 'issue', check_name: 'host-namespaces', description: HOST, categories: ['Security'], severity: 'major', location: { path: 'priv.yaml', lines: { begin: 6, end: 6 } }, fp: true },
      { type: 'issue', check_name: 'privileged', description: PRIV, categories: ['Security'], severity: 'major', location: { path: 'priv.yaml', lines: { begin: 11, end: 11 } }, fp: true },
    ]);
    assert.equal(new Set(issues.map((i) => i.fingerprint)).size, 2);
    assert.deepStrictEqual((JSON.parse((await run(['check', '--format', 'codeclimate', ...baseline])).stdout) as { fingerprint: string }[]).map((i) => i.fingerprint), issues.map((i) => i.fingerprint));
  });

  test('github: workflow commands, escaped per GitHub (%, CR, LF in data; also : and , in properties)', async () => {
    const r = await run(['check', '--format', 'github', ...baseline]);
    assert.deepStrictEqual({ code: r.code, stdout: r.stdout }, {
      code: 0,
      stdout: [
        `::warning file=priv.yaml,line=6,endLine=6,col=3,endColumn=10,title=secctx host-namespaces::${HOST}`,
        `::warning file=priv.yaml,line=11,endLine=11,col=9,endColumn=19,title=secctx privileged::${PRIV}`,
        '',
      ].join('\n'),
    });
    assert.deepStrictEqual([escapeData('50%\r\nnext: a,b'), escapeProperty('dir:a,b/50%\n.yaml')], ['50%25%0D%0Anext: a,b', 'dir%3Aa%2Cb/50%25%0A.yaml']);
  });

  test('--fix-dry-run only goes with text, json or sarif', async () => {
    assert.equal((await run(['check', '--fix-dry-run', '--format', 'junit', 'priv.yaml'])).stderr.split('\n')[0], 'secctx: --fix-dry-run goes with --format text, json or sarif, not junit');
  });
});

describe('SARIF for code scanning', () => {
  test('awkward paths (spaces, #, unicode, outside the working directory) give valid URIs', async () => {
    write('my dir/pod #1.yaml', PREFIXED);
    write('ünï/cödé.yaml', PREFIXED);
    const outside = mkdtempSync(join(tmpdir(), 'secctx sarif #'));
    writeFileSync(join(outside, 'pod ü.yaml'), PREFIXED);
    try {
      const r = await run(['check', '--format', 'sarif', '--profile', 'privileged', 'my dir/pod #1.yaml', 'ünï/cödé.yaml', join(outside, 'pod ü.yaml')]);
      const log = JSON.parse(r.stdout) as Sarif.Log;
      const run0 = log.runs[0];
      assert.deepStrictEqual(
        { base: run0.originalUriBaseIds, locations: run0.results?.map((res) => res.locations?.[0].physicalLocation?.artifactLocation) },
        {
          base: { '%SRCROOT%': { uri: `${pathToFileURL(project).href}/` } },
          locations: [
            { uri: 'my%20dir/pod%20%231.yaml', uriBaseId: '%SRCROOT%' },
            { uri: `${encodeURIComponent('ünï')}/${encodeURIComponent('cödé.yaml')}`, uriBaseId: '%SRCROOT%' },
            { uri: pathToFileURL(join(outside, 'pod ü.yaml')).href },
          ],
        },
      );
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  test('security-severity on every rule, invocations with exit status and notifications, fixes with artifactChanges', async () => {
    write('bin.yaml', Buffer.from([0x00, 0x01]));
    const r = await run(['check', '--format', 'sarif', '--profile', 'privileged', 'prefixed.yaml', 'bin.yaml', 'missing.yaml']);
    const run0 = (JSON.parse(r.stdout) as Sarif.Log).runs[0];
    const result = run0.results![0];
    assert.deepStrictEqual({
      code: r.code,
      severities: run0.tool.driver.rules!.every((rule) => /^\d+\.\d$/.test(String(rule.properties?.['security-severity']))),
      invocation: { ...run0.invocations![0], commandLine: undefined },
      fixes: result.fixes,
    }, {
      code: 2,
      severities: true,
      invocation: {
        executionSuccessful: false,
        exitCode: 2,
        commandLine: undefined,
        toolExecutionNotifications: [
          { level: 'error', message: { text: 'missing.yaml: no such file or directory (ENOENT)' } },
          { level: 'warning', message: { text: 'skipped: binary file' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'bin.yaml', uriBaseId: '%SRCROOT%' } } }] },
        ],
      },
      fixes: [{
        // containerd ignores CAP_NET_ADMIN in add today: the fix grants NET_ADMIN, so SARIF says it is unsafe.
        description: { text: 'Change to NET_ADMIN (unsafe)' },
        artifactChanges: [{ artifactLocation: { uri: 'prefixed.yaml', uriBaseId: '%SRCROOT%' }, replacements: [{ deletedRegion: { startLine: 11, startColumn: 17, endLine: 11, endColumn: 32 }, insertedContent: { text: '"NET_ADMIN"' } }] }],
      }],
    });
  });
});

describe('fixes', () => {
  test('--fix-dry-run with json: the patch is a field of the report, stdout is one JSON document', async () => {
    // The CAP_ prefix fix in add grants the capability (unsafe): --fix-unsafe asks for it.
    const r = await run(['check', '--fix-dry-run', '--fix-unsafe', '--format', 'json', '--profile', 'privileged', 'prefixed.yaml']);
    const report = JSON.parse(r.stdout) as { patch: string };
    assert.deepStrictEqual(report.patch, '--- a/prefixed.yaml\n+++ b/prefixed.yaml\n@@ -8,4 +8,4 @@\n       image: nginx:1.27\n       securityContext:\n         capabilities:\n-          add: ["CAP_NET_ADMIN"]\n+          add: ["NET_ADMIN"]\n');
  });

  test('--fix-dry-run with text: the diff alone on stdout, the report on stderr', async () => {
    const r = await run(['check', '--fix-dry-run', '--fix-unsafe', '--no-color', '--profile', 'privileged', 'prefixed.yaml']);
    assert.deepStrictEqual({ stdout: r.stdout.split('\n')[0], stderrLast: r.stderr.trim().split('\n').pop() }, { stdout: '--- a/prefixed.yaml', stderrLast: '✖ 1 problem (1 error, 0 warnings, 0 info) in 1 file checked (1 Kubernetes)' });
  });

  test('when every fix is unsafe, --fix-dry-run says so', async () => {
    const r = await run(['check', '--fix-dry-run', '--format', 'json', 'priv.yaml']);
    assert.deepStrictEqual({ patch: (JSON.parse(r.stdout) as { patch: string }).patch, stderr: r.stderr }, { patch: '', stderr: r.stderr.startsWith('secctx: no safe fix to apply: ') ? r.stderr : 'expected the no-safe-fix line' });
  });
});
