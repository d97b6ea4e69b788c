/**
 * The TextMate injection grammars of syntaxes/, tokenized as VS Code tokenizes them (vscode-textmate
 * and vscode-oniguruma at the versions VS Code 1.99 ships, injected where package.json says):
 * capability names are highlighted only where they name a capability (the add/drop lists of
 * securityContext.capabilities, Compose cap_add/cap_drop, the value of docker/podman run
 * --cap-add/--cap-drop) and `# secctx-disable` comments keep their scopes.
 *
 * Every case runs over two sets of host grammars: minimal line-based ones written here, and VS
 * Code's own YAML, shell, Dockerfile and Makefile grammars from the code-server that
 * scripts/install-code-server.sh installs (skipped, saying so, when it is not installed). Over VS
 * Code's grammars every token but a capability name or a disable comment must also keep the scope
 * the host grammar alone gives it: the injections add, they never take away.
 *
 * A case marks the text it expects highlighted as a capability with «», so a failure shows the
 * highlighting as it is next to the highlighting as it should be.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import * as oniguruma from 'vscode-oniguruma';
import { INITIAL, Registry, parseRawGrammar, type IOnigLib, type IRawGrammar } from 'vscode-textmate';
import { ALL_CAPABILITIES } from '../../server/src/engine/capabilities';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const CAPABILITY = 'constant.language.capability.secctx';
/** The tokens of `# secctx-disable-next-line run-as-root, privileged`. */
const DISABLE_COMMENT = [
  ['#', 'punctuation.definition.comment.secctx'],
  ['secctx-disable-next-line', 'keyword.control.directive.secctx'],
  ['run-as-root, privileged', 'entity.name.tag.rule-id.secctx'],
];
const DISABLE_SCOPES = new Set(DISABLE_COMMENT.map(([, scope]) => scope));

interface GrammarContribution {
  readonly scopeName: string;
  readonly path: string;
  readonly injectTo: readonly string[];
}

const CONTRIBUTED: readonly GrammarContribution[] = (
  JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { contributes: { grammars: GrammarContribution[] } }
).contributes.grammars;

function readGrammar(file: string): IRawGrammar {
  return parseRawGrammar(readFileSync(file, 'utf8'), file);
}

const INJECTION_GRAMMARS = new Map(CONTRIBUTED.map((g) => [g.scopeName, readGrammar(path.join(REPO_ROOT, g.path))]));

// ---------------------------------------------------------------------------------------------
// Host grammars

type Hosts = ReadonlyMap<string, IRawGrammar>;

function stub(scopeName: string, patterns: object[]): [string, IRawGrammar] {
  return [scopeName, parseRawGrammar(JSON.stringify({ scopeName, patterns }), `${scopeName}.stub.json`)];
}

/**
 * Line-based hosts with none of VS Code's begin/while rules (like older YAML grammars): keys,
 * comments, strings and block scalars, each a line at a time.
 */
const STUB_HOSTS: Hosts = new Map([
  stub('source.yaml', [
    { match: '(?<=^|[ \\t])#.*$', name: 'comment.line.number-sign.yaml' },
    { begin: '(?<=:)[ \\t]*[|>][-+]?[ \\t]*$', end: '^(?=\\S)', name: 'string.unquoted.block.yaml' },
    {
      match: '^[ \\t]*(?:(-)[ \\t]+)?([\\w.-]+|"[^"]*")[ \\t]*(:)(?=[ \\t]|$)',
      captures: { 1: { name: 'punctuation.definition.block.sequence.item.yaml' }, 2: { name: 'entity.name.tag.yaml' }, 3: { name: 'punctuation.separator.key-value.yaml' } },
    },
    { match: '^[ \\t]*(-)(?=[ \\t]|$)', captures: { 1: { name: 'punctuation.definition.block.sequence.item.yaml' } } },
    { match: '"(?:[^"\\\\]|\\\\.)*"', name: 'string.quoted.double.yaml' },
    { match: "'(?:[^']|'')*'", name: 'string.quoted.single.yaml' },
  ]),
  stub('source.shell', [
    { match: '(?<=^|[ \\t])#.*$', name: 'comment.line.number-sign.shell' },
    { begin: '"', end: '"', name: 'string.quoted.double.shell' },
    { begin: "'", end: "'", name: 'string.quoted.single.shell' },
  ]),
]);

/** Where scripts/install-code-server.sh puts VS Code's built-in extensions. */
const VSCODE_EXTENSIONS = path.join(
  process.env.SECCTX_CODE_SERVER_PREFIX ?? path.join(REPO_ROOT, '.code-server'),
  'node_modules', 'code-server', 'lib', 'vscode', 'extensions',
);

/** VS Code's grammars for YAML (and Compose), shell, Dockerfiles and Makefiles, as each extension contributes them. */
function vscodeHosts(): Hosts | undefined {
  if (!existsSync(VSCODE_EXTENSIONS)) return undefined;
  const hosts = new Map<string, IRawGrammar>();
  for (const extension of ['yaml', 'shellscript', 'docker', 'make']) {
    const dir = path.join(VSCODE_EXTENSIONS, extension);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { contributes: { grammars: { scopeName: string; path: string }[] } };
    for (const g of manifest.contributes.grammars) hosts.set(g.scopeName, readGrammar(path.join(dir, g.path)));
  }
  return hosts;
}

const HOST_SETS: readonly { name: string; hosts: Hosts | undefined }[] = [
  { name: 'minimal line-based host grammars', hosts: STUB_HOSTS },
  { name: "VS Code's grammars", hosts: vscodeHosts() },
];
const NO_VSCODE = `VS Code's grammars are not installed (${VSCODE_EXTENSIONS}): run scripts/install-code-server.sh`;

// ---------------------------------------------------------------------------------------------
// Tokenizing

let onigLib: Promise<IOnigLib> | undefined;

function onig(): Promise<IOnigLib> {
  onigLib ??= (async () => {
    await oniguruma.loadWASM(new Uint8Array(readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'))).buffer);
    return { createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns), createOnigString: (text) => new oniguruma.OnigString(text) };
  })();
  return onigLib;
}

interface Token {
  readonly line: number;
  readonly start: number;
  readonly text: string;
  readonly scopes: readonly string[];
}

/** Tokenizes `text` as `scopeName`, with secctx's grammars injected as VS Code injects them or without. */
async function tokenize(hosts: Hosts, scopeName: string, text: string, inject: boolean): Promise<Token[]> {
  const registry = new Registry({
    onigLib: onig(),
    loadGrammar: async (scope) => hosts.get(scope) ?? INJECTION_GRAMMARS.get(scope) ?? null,
    getInjections: (scope) => (inject ? CONTRIBUTED.filter((g) => g.injectTo.includes(scope)).map((g) => g.scopeName) : undefined),
  });
  const grammar = await registry.loadGrammar(scopeName);
  assert.ok(grammar, `no grammar for ${scopeName}`);
  const tokens: Token[] = [];
  let state = INITIAL;
  text.split('\n').forEach((lineText, line) => {
    const result = grammar.tokenizeLine(lineText, state);
    state = result.ruleStack;
    for (const t of result.tokens) {
      if (t.endIndex > t.startIndex) tokens.push({ line, start: t.startIndex, text: lineText.slice(t.startIndex, t.endIndex), scopes: t.scopes });
    }
  });
  return tokens;
}

/** The text with each run of capability-scoped characters between «». */
function markCapabilities(text: string, tokens: readonly Token[]): string {
  const lines = text.split('\n');
  const marked = lines.map((lineText, line) => {
    let out = '';
    let inside = false;
    for (const t of tokens.filter((token) => token.line === line)) {
      const capability = t.scopes.includes(CAPABILITY);
      if (capability !== inside) out += capability ? '«' : '»';
      inside = capability;
      out += t.text;
    }
    return (inside ? out + '»' : out) || lineText;
  });
  return marked.join('\n');
}

const unmark = (marked: string) => marked.replace(/[«»]/g, '');

/** The innermost scope that is not a meta scope (what a theme colours). */
function innermost(scopes: readonly string[]): string {
  return scopes.filter((s) => !s.startsWith('meta.')).at(-1) ?? '';
}

/**
 * Where the injected tokenization colours a character differently from the host grammar alone,
 * as `line:column text: host → ours`. A capability name must have the capability scope innermost;
 * a secctx-disable comment has its own scopes.
 */
function changedScopes(host: readonly Token[], injected: readonly Token[]): string[] {
  const hostScope = new Map<string, string>();
  for (const t of host) for (let c = t.start; c < t.start + t.text.length; c++) hostScope.set(`${t.line}:${c}`, innermost(t.scopes));
  const changes: string[] = [];
  for (const t of injected) {
    const ours = innermost(t.scopes);
    if (DISABLE_SCOPES.has(ours)) continue;
    for (let c = t.start; c < t.start + t.text.length; c++) {
      const theirs = hostScope.get(`${t.line}:${c}`) ?? '';
      if (t.scopes.includes(CAPABILITY) ? ours !== CAPABILITY : ours !== theirs) {
        changes.push(`${t.line + 1}:${c + 1} ${JSON.stringify(t.text)}: ${theirs} → ${ours}`);
        break;
      }
    }
  }
  return changes;
}

// ---------------------------------------------------------------------------------------------
// Cases

interface Case {
  readonly name: string;
  readonly scope: string;
  /** The document, with the text that must be highlighted as a capability between «». */
  readonly marked: string;
}

const YAML_CASES: readonly Case[] = [
  {
    name: 'securityContext add/drop block lists: indented and flush items, quoted, CAP_ prefixed, any case, comments',
    scope: 'source.yaml',
    marked: `apiVersion: v1
kind: Pod
spec:
  containers:
    - name: app
      securityContext:
        capabilities:
          add:
            - «NET_ADMIN»   # iptables
            - "«CAP_SYS_TIME»"
            # a comment between items

            - '«sys_ptrace»'
            - NOT_A_CAPABILITY
          drop:
          - «ALL»
        runAsUser: 0
      args:
      - SYS_ADMIN`,
  },
  {
    name: 'flow lists, also inside a flow mapping',
    scope: 'source.yaml',
    marked: `securityContext:
  capabilities:
    add: ["«NET_ADMIN»", «SYS_TIME», '«MKNOD»', «cap_kill», FOO]
    drop: [ «ALL» ]
---
securityContext:
  capabilities: {add: [«NET_ADMIN»], drop: ['«ALL»']}
  seLinuxOptions: {type: [NET_ADMIN]}`,
  },
  {
    name: 'Compose cap_add/cap_drop, block and flow; other keys and interpolation are not capabilities',
    scope: 'source.yaml',
    marked: `services:
  web:
    image: nginx
    cap_add:
      - «NET_ADMIN»
      - \${EXTRA_CAP:-SYS_TIME}
    cap_drop: [«ALL»]
    "cap_add":
    - «SYS_NICE»
    environment:
      CAPS: SYS_ADMIN
    command: ["SYS_ADMIN", NET_ADMIN]`,
  },
  {
    name: 'not a capability list: env values, comments, ConfigMap data, the key after a list',
    scope: 'source.yaml',
    marked: `apiVersion: v1
kind: ConfigMap
data:
  caps: NET_ADMIN SYS_ADMIN
  pod.yaml: |
    capabilities:
      add:
        - NET_ADMIN
---
spec:
  containers:
    - name: app   # needs NET_ADMIN
      env:
        - name: CAPS
          value: SYS_ADMIN   # NET_ADMIN
      securityContext:
        # add: [NET_ADMIN]
        # drop:
        # - SYS_ADMIN
        capabilities:
          drop:
            - «ALL»
        runAsUser: 0
      args:
        - SYS_ADMIN
    - name: sidecar
      command:
      - NET_ADMIN`,
  },
  {
    name: 'add/drop whose value is a mapping, or a list of mappings, is left to the host',
    scope: 'source.yaml',
    marked: `headers:
  request:
    add:
      x-capability: NET_ADMIN
    drop:
      - name: SYS_ADMIN
        value: NET_ADMIN
    cap_add:
      - «NET_ADMIN»
      - [SYS_ADMIN]
      - SYS_TIME`,
  },
];

const RUN_CASES: readonly Case[] = [
  {
    name: 'docker/podman run --cap-add/--cap-drop values, separate or after =, quoted or not',
    scope: 'source.shell',
    marked: `docker run --rm --cap-add «NET_ADMIN» --cap-drop=«ALL» -e CAPS=SYS_ADMIN nginx
podman run --cap-add="«SYS_TIME»" --cap-add '«cap_net_raw»' \\
  --cap-drop=NOT_A_CAP --cap-add=$CAP --cap-add=NET_ADMIN,SYS_TIME nginx echo SYS_ADMIN
# docker run --cap-add NET_ADMIN nginx
echo SYS_ADMIN   # --cap-add NET_ADMIN`,
  },
  {
    name: 'docker run in a Dockerfile RUN',
    scope: 'source.dockerfile',
    marked: `FROM alpine
ENV CAPS=SYS_ADMIN
RUN docker run --cap-add=«NET_ADMIN» nginx && echo SYS_ADMIN
# RUN docker run --cap-add NET_ADMIN nginx`,
  },
  {
    name: 'docker run in a Makefile recipe; a target named drop is no capability list',
    scope: 'source.makefile',
    marked: `run:
	docker run --cap-add «NET_ADMIN» --cap-drop=«all» $(IMAGE)
	@echo SYS_ADMIN # --cap-add SYS_ADMIN
drop:
	- SYS_ADMIN`,
  },
];

/** Every name of the catalog, in every position, and nothing that only looks like one. */
const CATALOG_CASES: readonly Case[] = [
  {
    name: 'every capability of the catalog in a YAML list',
    scope: 'source.yaml',
    marked: [
      'capabilities:',
      `  add: [${ALL_CAPABILITIES.map((c) => `«${c}»`).join(', ')}]`,
      '  drop:',
      ...ALL_CAPABILITIES.map((c) => `    - «CAP_${c}»`),
      '    - «all»',
      '    - CAP_ALL',
      '    - NET_ADMINS',
      '    - XNET_ADMIN',
    ].join('\n'),
  },
  {
    name: 'every capability of the catalog after --cap-add',
    scope: 'source.shell',
    marked: [...ALL_CAPABILITIES.map((c) => `docker run --cap-add «${c}» --cap-drop=«cap_${c.toLowerCase()}» nginx`), 'docker run --cap-add CAP_ALL --cap-drop NET_ADMINS nginx'].join('\n'),
  },
];


const DISABLE_CASES: readonly { scope: string; text: string }[] = [
  { scope: 'source.yaml', text: '# secctx-disable-next-line run-as-root, privileged\nrunAsUser: 0' },
  { scope: 'source.yaml', text: 'securityContext:\n  runAsUser: 0  # secctx-disable-next-line run-as-root, privileged' },
  { scope: 'source.yaml', text: 'capabilities:\n  add:\n    # secctx-disable-next-line run-as-root, privileged\n    - NET_ADMIN' },
  { scope: 'source.shell', text: '# secctx-disable-next-line run-as-root, privileged\ndocker run --privileged nginx' },
  { scope: 'source.dockerfile', text: '# secctx-disable-next-line run-as-root, privileged\nUSER root' },
  { scope: 'source.makefile', text: '# secctx-disable-next-line run-as-root, privileged\nrun:\n\tdocker run nginx' },
];

// ---------------------------------------------------------------------------------------------
// Tests

describe('injection grammars', () => {
  test('package.json contributes every grammar of syntaxes/, injected where its selector applies', () => {
    const files = readdirSync(path.join(REPO_ROOT, 'syntaxes')).map((f) => `./syntaxes/${f}`);
    assert.deepStrictEqual(CONTRIBUTED.map((g) => g.path).sort(), files.sort());
    for (const g of CONTRIBUTED) {
      const raw = JSON.parse(readFileSync(path.join(REPO_ROOT, g.path), 'utf8')) as { scopeName: string; injectionSelector: string };
      const selected = raw.injectionSelector.split(',').map((s) => /^\s*L:(\S+)/.exec(s)?.[1]);
      assert.deepStrictEqual({ scopeName: raw.scopeName, injectedInto: [...new Set(selected)] }, { scopeName: g.scopeName, injectedInto: g.injectTo });
    }
  });

  test('vscode-textmate and vscode-oniguruma are the versions VS Code ships', { skip: existsSync(VSCODE_EXTENSIONS) ? false : NO_VSCODE }, () => {
    const version = (dir: string, name: string) => (JSON.parse(readFileSync(path.join(dir, name, 'package.json'), 'utf8')) as { version: string }).version;
    const ours = path.join(REPO_ROOT, 'node_modules');
    const vscode = path.join(VSCODE_EXTENSIONS, '..', 'node_modules');
    for (const name of ['vscode-textmate', 'vscode-oniguruma']) assert.equal(version(ours, name), version(vscode, name), name);
  });

  test('every list of capability names in the grammars is the catalog', () => {
    for (const g of CONTRIBUTED) {
      const lists = [...readFileSync(path.join(REPO_ROOT, g.path), 'utf8').matchAll(/\(\?i:ALL\|\(\?:CAP_\)\?\(\?:([A-Z_|]+)\)\)/g)].map((m) => m[1].split('|'));
      assert.ok(lists.length > 0, `${g.path} names no capability`);
      for (const names of lists) assert.deepStrictEqual(names, ALL_CAPABILITIES, g.path);
    }
  });

  for (const { name, hosts } of HOST_SETS) {
    describe(`over ${name}`, { skip: hosts ? false : NO_VSCODE }, () => {
      if (!hosts) return;
      for (const c of [...YAML_CASES, ...RUN_CASES, ...CATALOG_CASES]) {
        test(c.name, { skip: hosts.has(c.scope) ? false : `no ${c.scope} grammar here` }, async () => {
          const text = unmark(c.marked);
          const injected = await tokenize(hosts, c.scope, text, true);
          assert.equal(markCapabilities(text, injected), c.marked);
          if (hosts !== STUB_HOSTS) assert.deepStrictEqual(changedScopes(await tokenize(hosts, c.scope, text, false), injected), []);
        });
      }

      test('secctx-disable comments keep their scopes, also inside a capability list', async () => {
        for (const { scope, text } of DISABLE_CASES.filter((d) => hosts.has(d.scope))) {
          const tokens = await tokenize(hosts, scope, text, true);
          const directive = tokens.filter((t) => DISABLE_SCOPES.has(innermost(t.scopes))).map((t) => [t.text, innermost(t.scopes)]);
          assert.deepStrictEqual(directive, DISABLE_COMMENT, `${scope}: ${JSON.stringify(text)}`);
        }
      });
    });
  }
});
