/**
 * Protocol tests: the built language server spawned over stdio, spoken to as an editor does.
 * Whole diagnostics, hover, code actions, inlay hints, the secctx/report request, and
 * re-publication after editing one document of a multi-document file. Waits are on events with timeouts.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CodeAction, Diagnostic, DiagnosticSeverity, Hover, InlayHint, Position, Range } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import { Analyzer } from '../../server/src/engine/analyze';
import { hoverAt } from '../../server/src/engine/hover';
import { DEFAULT_OPTIONS } from '../../server/src/engine/options';
import { containerCard } from '../../server/src/engine/present/markdown';
import { reportModel } from '../../server/src/engine/present/report';
import { reportMarkdown } from '../../server/src/engine/present/reportMarkdown';
import { RULES } from '../../server/src/engine/rules/index';
import { LspClient } from '../support/lsp-client';

const ROOT = join(__dirname, '..', '..');
const SERVER = join(ROOT, 'dist', 'server.js');
const EXAMPLE = join(ROOT, 'examples', 'pod-level-capabilities.yaml');
const EXAMPLE_URI = URI.file(EXAMPLE).toString();
const EXAMPLE_TEXT = readFileSync(EXAMPLE, 'utf8');
const DOCS = 'https://github.com/secctx/secctx/blob/main/docs/rules/';

/** Pod Security rules off, so the lists below are the non-PSS findings in full (and the setting is exercised). */
const SETTINGS = { rules: Object.fromEntries(RULES.filter((r) => r.meta.pss).map((r) => [r.meta.id, 'off'])), images: { lookup: 'off' } };

const ERROR: DiagnosticSeverity = 1;
const WARNING: DiagnosticSeverity = 2;

function position(text: string, offset: number): Position {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

/** The range and offsets of the `nth` occurrence of `needle` (0-based). */
function locate(text: string, needle: string, nth = 0): { range: Range; start: number; end: number } {
  let start = -1;
  for (let i = 0; i <= nth; i++) {
    start = text.indexOf(needle, start + 1);
    assert.ok(start >= 0, `${needle} #${nth}`);
  }
  const end = start + needle.length;
  return { range: { start: position(text, start), end: position(text, end) }, start, end };
}

/** The value of `name: <name>` (a container's name). */
function locateName(text: string, name: string): { range: Range; start: number; end: number } {
  const start = locate(text, `name: ${name}\n`).start + 'name: '.length;
  const end = start + name.length;
  return { range: { start: position(text, start), end: position(text, end) }, start, end };
}

/** `base`: where the finding's YAML document starts (its `---` line): `data`, the key code actions find it by, is its span in that document. */
function diagnostic(text: string, needle: string, nth: number, rule: string, severity: DiagnosticSeverity, message: string, base = 0): Diagnostic {
  const { range, start, end } = locate(text, needle, nth);
  return { range, severity, code: rule, codeDescription: { href: `${DOCS}${rule}.md` }, source: 'secctx', message, data: [start - base, end - base] };
}

const POD_LEVEL_DIAGNOSTICS = (text: string): Diagnostic[] => [
  diagnostic(text, 'capabilities', 1, 'capabilities-at-pod-level', ERROR,
    'capabilities is not a pod-level securityContext field: the API server rejects it under strict field validation or drops it, so containers "forwarder", "shipper" do not get these capabilities (+MAC_ADMIN +KILL). Set them in each container\'s securityContext.'),
  diagnostic(text, 'runAsUser', 1, 'run-as-non-root-violation', ERROR, 'The kubelet will not start container "shipper": container\'s runAsUser breaks non-root policy.'),
  diagnostic(text, 'runAsUser', 1, 'run-as-root', WARNING, 'Container "shipper" runs as root (uid 0): runAsUser: 0 is set in the container securityContext.'),
  diagnostic(text, '"CAP_SYS_PTRACE"', 0, 'capability-prefix', ERROR,
    'containerd prepends CAP_ to every name, so CAP_SYS_PTRACE becomes CAP_CAP_SYS_PTRACE, which is not a capability: runc ignores it and SYS_PTRACE is not added. Write SYS_PTRACE.'),
];

describe('language server over stdio', () => {
  let client: LspClient;
  let opened = 0;

  /** Opens a document under a fresh URI (tests do not share documents) and waits for its first diagnostics. */
  async function openDocument(text: string, name = `doc-${++opened}.yaml`, uri = URI.file(join(ROOT, 'test', 'fixtures', 'protocol', name)).toString()) {
    await client.open(uri, text, 1);
    const published = await client.waitForDiagnostics(uri, 1);
    return { uri, diagnostics: published.params.diagnostics };
  }

  before(async () => {
    if (!existsSync(SERVER)) {
      const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8' });
      assert.equal(build.status, 0, `npm run build failed:\n${build.stdout}\n${build.stderr}`);
    }
    client = await LspClient.start(
      { command: process.execPath, args: [SERVER, '--stdio'], cwd: ROOT },
      { rootUri: null, initializationOptions: { settings: SETTINGS }, configuration: (section) => (section === 'secctx' ? SETTINGS : null) },
    );
  });

  after(async () => {
    if (client) assert.equal(await client.shutdown(), 0, client.stderr);
  });

  test('initialize announces the features', () => {
    const caps = client.initializeResult?.capabilities;
    const codeActions = caps?.codeActionProvider;
    assert.deepStrictEqual(
      { hover: caps?.hoverProvider, inlay: caps?.inlayHintProvider, quickFixes: typeof codeActions === 'object' && !!codeActions.codeActionKinds?.includes('quickfix'), server: client.initializeResult?.serverInfo?.name },
      { hover: true, inlay: { resolveProvider: false }, quickFixes: true, server: 'secctx-language-server' },
    );
  });

  test('diagnostics for examples/pod-level-capabilities.yaml', async () => {
    await client.open(EXAMPLE_URI, EXAMPLE_TEXT, 1);
    const published = await client.waitForDiagnostics(EXAMPLE_URI, 1);
    assert.deepStrictEqual(published.params, { uri: EXAMPLE_URI, version: 1, diagnostics: POD_LEVEL_DIAGNOSTICS(EXAMPLE_TEXT) });
  });

  test('hover on a container name: the engine\'s card as Markdown', async () => {
    const { uri } = await openDocument(EXAMPLE_TEXT);
    const at = locateName(EXAMPLE_TEXT, 'forwarder');
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: at.range.start });
    const link = (at: { start: number } | { path: string; line: number }) => { if ('path' in at) return undefined; const p = position(EXAMPLE_TEXT, at.start); return `${uri}#L${p.line + 1},${p.character + 1}`; };
    const expected = hoverAt(new Analyzer().analyze(EXAMPLE, EXAMPLE_TEXT, DEFAULT_OPTIONS), at.start, link);
    assert.ok(expected?.startsWith('**forwarder** — container in `Deployment/audit-forwarder`, containerd\n'));
    assert.deepStrictEqual(hover, { contents: { kind: 'markdown', value: expected } });
    // The user row links to the runAsUser key that decided it.
    const runAsUser = position(EXAMPLE_TEXT, locate(EXAMPLE_TEXT, 'runAsUser: 10001').start);
    assert.ok(expected?.includes(`| User | uid 10001 | [container \`securityContext.runAsUser\`](${uri}#L${runAsUser.line + 1},${runAsUser.character + 1})`), expected);
  });

  test('hover on a prefixed capability says containerd ignores it', async () => {
    const { uri } = await openDocument(EXAMPLE_TEXT);
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: locate(EXAMPLE_TEXT, 'CAP_SYS_PTRACE').range.start });
    const value = hover && typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : '';
    assert.equal(value.split('\n\n')[2], `⚠ containerd reads \`CAP_SYS_PTRACE\` as \`CAP_CAP_SYS_PTRACE\`, which is not a capability: this entry has no effect. Write \`SYS_PTRACE\`. See [capability-prefix](${DOCS}capability-prefix.md).`);
  });

  test('code actions for one diagnostic: the fix, then "Disable … for this line"', async () => {
    const { uri, diagnostics } = await openDocument(EXAMPLE_TEXT);
    const prefix = diagnostics.find((d) => d.code === 'capability-prefix');
    assert.ok(prefix);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: prefix.range, context: { diagnostics: [prefix] } });
    const lineStart = { line: prefix.range.start.line, character: 0 };
    assert.deepStrictEqual(actions, [
      // Unsafe (containerd ignores CAP_SYS_PTRACE in add today, so the fix grants it), and still preferred.
      { title: 'Change to SYS_PTRACE (changes what the workload may do)', kind: 'quickfix', diagnostics: [prefix], isPreferred: true, edit: { changes: { [uri]: [{ range: prefix.range, newText: '"SYS_PTRACE"' }] } } },
      { title: 'Disable capability-prefix for this line', kind: 'quickfix', diagnostics: [prefix], edit: { changes: { [uri]: [{ range: { start: lineStart, end: lineStart }, newText: '              # secctx-disable-next-line capability-prefix\n' }] } } },
    ]);
  });

  test('code actions for every diagnostic: fixes first, one "Disable … for this line" per rule last', async () => {
    const { uri, diagnostics } = await openDocument(EXAMPLE_TEXT);
    const all = { start: { line: 0, character: 0 }, end: position(EXAMPLE_TEXT, EXAMPLE_TEXT.length) };
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: all, context: { diagnostics } });
    const titles = actions.map((a) => a.title);
    const firstDisable = titles.findIndex((t) => t.startsWith('Disable '));
    assert.deepStrictEqual(
      { disables: titles.slice(firstDisable), kinds: [...new Set(actions.map((a) => a.kind))], hasPrefixFix: titles.slice(0, firstDisable).includes('Change to SYS_PTRACE (changes what the workload may do)') },
      {
        disables: ['Disable capabilities-at-pod-level for this line', 'Disable run-as-non-root-violation for this line', 'Disable run-as-root for this line', 'Disable capability-prefix for this line'],
        kinds: ['quickfix'],
        hasPrefixFix: true,
      },
    );
  });

  test('code actions asked only for source actions: no quick fixes', async () => {
    const { uri, diagnostics } = await openDocument(EXAMPLE_TEXT);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: diagnostics[0].range, context: { diagnostics, only: ['source'] } });
    assert.deepStrictEqual(actions.filter((a) => !a.kind?.startsWith('source')), []);
  });

  test('inlay hints after each container name: one label part per value, each with the location of the field that set it', async () => {
    const { uri } = await openDocument(EXAMPLE_TEXT);
    const range = { start: { line: 0, character: 0 }, end: position(EXAMPLE_TEXT, EXAMPLE_TEXT.length) };
    const hints = await client.request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri }, range });
    // Where a value is set: the key of the field (`runAsUser` in `runAsUser: 10001`).
    const field = (line: string) => { const at = locate(EXAMPLE_TEXT, line); const key = line.slice(0, line.indexOf(':')); return { uri, range: { start: at.range.start, end: position(EXAMPLE_TEXT, at.start + key.length) } }; };
    const partsOf = (hint: InlayHint) => (typeof hint.label === 'string' ? [] : hint.label).map((p) => ({
      value: p.value,
      ...(p.location ? { location: p.location } : {}),
      ...(p.tooltip ? { tooltip: typeof p.tooltip === 'object' ? p.tooltip.value.split('\n')[0] : p.tooltip } : {}),
    }));
    const uid = field('runAsUser: 10001');
    const nonRoot = field('runAsNonRoot: true');
    const rootUid = field('runAsUser: 0');
    // shipper's capabilities: the value of its `capabilities` key, the block `add: [...]` to its line's end.
    const capsAt = locate(EXAMPLE_TEXT, 'add: ["CAP_SYS_PTRACE"]');
    const caps = { uri, range: { start: capsAt.range.start, end: position(EXAMPLE_TEXT, capsAt.end + 1) } };
    assert.deepStrictEqual(hints.map((h) => ({ position: h.position, kind: h.kind, parts: partsOf(h) })), [
      { position: locateName(EXAMPLE_TEXT, 'forwarder').range.end, kind: 1, parts: [
        { value: 'uid 10001', location: uid, tooltip: `**uid 10001** — set at line ${uid.range.start.line + 1}: container \`securityContext.runAsUser\`` },
        { value: ' · ' },
        { value: 'gid 0', tooltip: "**gid 0** — default — the primary group of a uid not in the image's /etc/passwd is 0 (not set in this file)" },
      ] },
      { position: locateName(EXAMPLE_TEXT, 'shipper').range.end, kind: 1, parts: [
        { value: '⚠ will not start', location: nonRoot, tooltip: `**⚠ will not start** — set at line ${nonRoot.range.start.line + 1}: pod \`spec.securityContext.runAsNonRoot\`` },
        { value: ' · ' },
        { value: 'root', location: rootUid, tooltip: `**root** — set at line ${rootUid.range.start.line + 1}: container \`securityContext.runAsUser\`` },
        { value: ' · ' },
        { value: '14 caps', location: caps, tooltip: `**14 caps** — set at line ${caps.range.start.line + 1}: container \`securityContext.capabilities\` — containerd defaults with add/drop applied` },
      ] },
    ]);
  });

  test('secctx/report (Markdown) and secctx/reportHtml (the report panel) for one document: the engine\'s report of it', async () => {
    const { uri } = await openDocument(EXAMPLE_TEXT, 'pod-level-capabilities.yaml');
    const report = await client.request<string>('secctx/report', { uri });
    const analysis = new Analyzer().analyze('/x/pod-level-capabilities.yaml', EXAMPLE_TEXT, { ...DEFAULT_OPTIONS, rules: SETTINGS.rules as Record<string, 'off'> });
    assert.equal(report, reportMarkdown(reportModel([{ analysis, text: EXAMPLE_TEXT, display: 'pod-level-capabilities.yaml' }])));
    assert.ok(report.includes('#### shipper — will not start\n'));
    const html = await client.request<string>('secctx/reportHtml', { uri });
    assert.deepStrictEqual([...html.matchAll(/data-container="([^"]+)" data-verdict="([^"]+)"/g)].map((m) => [m[1], m[2]]), [['forwarder', 'ok'], ['shipper', 'will-not-start']]);
  });

  test('secctx/report for a document without containers', async () => {
    const { uri } = await openDocument('name: not kubernetes\nitems: [1, 2]\n');
    assert.equal(await client.request<string>('secctx/report', { uri }), '# Effective security context\n\nNo containers, services or Dockerfile stages here.\n');
  });

  test('editing one document of a multi-document file re-publishes diagnostics for the file', async () => {
    const podDoc = (name: string, uid: number) =>
      ['apiVersion: v1', 'kind: Pod', 'metadata:', `  name: ${name}`, 'spec:', '  containers:', `    - name: ${name}`, '      image: app:1', '      securityContext:', `        runAsUser: ${uid}`, ''].join('\n');
    const v1 = `${podDoc('first', 0)}---\n${podDoc('second', 1000)}`;
    const rootMessage = (name: string) => `Container "${name}" runs as root (uid 0): runAsUser: 0 is set in the container securityContext.`;
    const { uri, diagnostics } = await openDocument(v1);
    assert.deepStrictEqual(diagnostics, [diagnostic(v1, 'runAsUser', 0, 'run-as-root', WARNING, rootMessage('first'))]);

    // Version 2: the second document now runs as root too (an incremental edit inside it).
    const uidAt = locate(v1, '1000');
    await client.change(uri, 2, [{ range: uidAt.range, text: '0' }]);
    const v2 = v1.slice(0, uidAt.start) + '0' + v1.slice(uidAt.end);
    assert.deepStrictEqual((await client.waitForDiagnostics(uri, 2)).params, {
      uri, version: 2,
      diagnostics: [diagnostic(v2, 'runAsUser', 0, 'run-as-root', WARNING, rootMessage('first')), diagnostic(v2, 'runAsUser', 1, 'run-as-root', WARNING, rootMessage('second'), v2.indexOf('---'))],
    });

    // Version 3: a line inserted in the first document moves the second document's diagnostic down.
    await client.change(uri, 3, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# first pod\n' }]);
    const v3 = `# first pod\n${v2}`;
    assert.deepStrictEqual((await client.waitForDiagnostics(uri, 3)).params, {
      uri, version: 3,
      diagnostics: [diagnostic(v3, 'runAsUser', 0, 'run-as-root', WARNING, rootMessage('first')), diagnostic(v3, 'runAsUser', 1, 'run-as-root', WARNING, rootMessage('second'), v3.indexOf('---'))],
    });
  });

  test('closing a document clears its diagnostics', async () => {
    const { uri, diagnostics } = await openDocument(EXAMPLE_TEXT);
    assert.equal(diagnostics.length, 4);
    const mark = client.mark();
    await client.close(uri);
    assert.deepStrictEqual((await client.waitForDiagnostics(uri, undefined, 10_000, mark)).params, { uri, diagnostics: [] });
  });
});
