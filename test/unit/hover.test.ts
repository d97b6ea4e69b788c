/**
 * Hover Markdown: the container card on a container's name (whole string), the pod securityContext
 * table, capability cards, and the precedence lines on runAsUser / runAsGroup / runAsNonRoot.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Analyzer } from '../../server/src/engine/analyze';
import type { Runtime } from '../../server/src/engine/capabilities';
import { hoverAt } from '../../server/src/engine/hover';
import { DEFAULT_OPTIONS, type ImageResolver } from '../../server/src/engine/options';
import { summaryLine } from '../../server/src/engine/present/markdown';

const FIXTURES = join(__dirname, '..', 'fixtures', 'effective');
const fixture = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');
const DOCS = 'https://github.com/secctx/secctx/blob/main/docs/rules/';

const images: ImageResolver = (image) =>
  image.startsWith('example.com/named') ? { spec: 'app', name: 'app', uid: 10002, gid: 10003, note: 'user app created in Dockerfile line 2', dockerfile: '/src/named/Dockerfile' } : undefined;

/** The hover at the `nth` occurrence of `needle` (0-based), one character in. */
function hover(text: string, needle: string, nth = 0, runtime: Runtime = 'containerd'): string | undefined {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    assert.ok(at >= 0, `${needle} #${nth}`);
  }
  const analysis = new Analyzer().analyze('manifest.yaml', text, { ...DEFAULT_OPTIONS, runtime, images });
  return hoverAt(analysis, at + 1);
}

const POD_OVERRIDE = fixture('pod-override.yaml');
const BUSYBOX = fixture('busybox-capabilities.yaml');
const POD_LEVEL = fixture('pod-level-capabilities.yaml');

const OVERRIDE_CARD = [
  '**sec-ctx-demo-2** — container in `Pod/security-context-demo-2`, containerd',
  '',
  '| | effective | from |',
  '|---|---|---|',
  '| User | uid 3000 | container `securityContext.runAsUser` — overrides pod runAsUser 2000 |',
  '| Group | gid 0 | default — the primary group of a uid not in the image\'s /etc/passwd is 0 |',
  '| Supplemental groups | 4000 | pod `spec.securityContext.fsGroup` |',
  '| Bounding capabilities | 14 — containerd defaults | runtime default — containerd default set |',
  '| Effective capabilities | none | a non-root uid starts with none |',
  '| Privileged | no | default |',
  '| Privilege escalation | blocked (no_new_privs) | container `securityContext.allowPrivilegeEscalation` |',
  '| runAsNonRoot | not required | default |',
  '| Seccomp | Unconfined | default — no seccompProfile: the kubelet runs the container Unconfined unless its SeccompDefault setting is on |',
  '| AppArmor | RuntimeDefault | default — the runtime\'s default AppArmor profile where AppArmor is enabled |',
  '| Read-only root fs | no | default |',
].join('\n');

describe('container card', () => {
  test('on a container name: the whole card', () => {
    assert.equal(hover(POD_OVERRIDE, 'sec-ctx-demo-2'), OVERRIDE_CARD);
  });

  test('anywhere in the container gives the same card, but on a securityContext field only that field\'s row', () => {
    assert.deepStrictEqual([hover(POD_OVERRIDE, 'image:'), hover(POD_OVERRIDE, 'allowPrivilegeEscalation')], [
      OVERRIDE_CARD,
      '**Privilege escalation** → blocked (no_new_privs): container `securityContext.allowPrivilegeEscalation`.\n\n_`sec-ctx-demo-2`: hover its name for the whole card._',
    ]);
  });

  test('root with added capabilities: effective = bounding, and the escalation hint is absent', () => {
    const card = hover(BUSYBOX, 'sec-ctx-4') ?? '';
    const rows = card.split('\n').filter((l) => /^\| (User|Bounding|Effective)/.test(l));
    // Counts, with how the set came about; the report panel lists the names.
    assert.deepStrictEqual(rows, [
      '| User | uid 0 (root) | image `USER` — image busybox:1.28 config sets no User (well-known base-image table: docker-library/busybox (buildroot system/skeleton/etc/passwd, group)): root |',
      '| Bounding capabilities | 16 — containerd defaults +NET_ADMIN +SYS_TIME | container `securityContext.capabilities` — containerd defaults with add/drop applied |',
      '| Effective capabilities | 16 (the bounding set) | uid 0 keeps the bounding set |',
    ]);
    assert.equal(card.includes('setuid-root'), false);
  });

  test('a non-root uid with escalation allowed gets the setuid hint', () => {
    const card = hover(POD_LEVEL, 'name: forwarder') ?? '';
    assert.equal(card.split('\n').at(-1), '_A non-root process can regain the bounding set through setuid-root or file-capability binaries: set `allowPrivilegeEscalation: false`._');
  });

  test('kubelet verdict and image user from a linked Dockerfile; Windows pods have no capabilities', () => {
    const text = [
      'apiVersion: v1', 'kind: Pod', 'metadata:', '  name: w', 'spec:', '  os: {name: windows}', '  securityContext:', '    runAsNonRoot: true',
      '  containers:', '    - name: app', '      image: example.com/named:1', '      securityContext:', '        capabilities: {add: [NET_ADMIN]}', '',
    ].join('\n');
    const rows = (hover(text, 'app') ?? '').split('\n').filter((l) => /^\| (User|Capabilities|runAsNonRoot|Bounding)/.test(l));
    assert.deepStrictEqual(rows, [
      // A Windows user is an account name; the Windows kubelet (security_context_windows.go verifyRunAsNonRoot)
      // fails only ContainerAdministrator, so `app` passes.
      '| User | app (Windows account) | image `USER` — user app created in Dockerfile line 2 |',
      '| Capabilities | n/a | Windows pod |',
      '| runAsNonRoot | required — passes | pod `spec.securityContext.runAsNonRoot` |',
    ]);
    assert.equal(hover(text, 'NET_ADMIN'), hover(text, 'app'), 'a capability name in a Windows pod shows the container card');
  });

  test('the second document of a stream', () => {
    const stream = `${BUSYBOX}---\n${POD_OVERRIDE}`;
    assert.equal(hover(stream, 'sec-ctx-demo-2'), OVERRIDE_CARD);
  });
});

describe('pod securityContext', () => {
  test('on the key: the table of every container', () => {
    assert.equal(hover(POD_LEVEL, 'securityContext', 1), [
      '**Pod securityContext of `Deployment/audit-forwarder`** — effective per container:',
      '',
      '| container | user | group | capabilities (effective) | escalation | seccomp |',
      '|---|---|---|---|---|---|',
      '| forwarder | uid 10001 (container) | 0 (default) | none | allowed | Unconfined |',
      '| shipper | uid 0 (root) (container) | 0 (default) | CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, SETGID, SETUID, SETPCAP, NET_BIND_SERVICE, NET_RAW, SYS_CHROOT, MKNOD, AUDIT_WRITE, SETFCAP | allowed | Unconfined |',
    ].join('\n'));
  });

  test('on pod runAsUser: what each container ends up with (a container\'s own value overrides it)', () => {
    assert.equal(hover(POD_OVERRIDE, 'runAsUser', 1), '`sec-ctx-demo-2` — **User** → uid 3000: container `securityContext.runAsUser` — overrides pod runAsUser 2000. Order: container `runAsUser` → pod `runAsUser` → image `USER` → root.');
  });

  test('on pod runAsNonRoot: one line per container', () => {
    const sections = (hover(POD_LEVEL, 'runAsNonRoot') ?? '').split('\n\n---\n\n');
    assert.deepStrictEqual(sections, [
      '`forwarder` — **runAsNonRoot** → required — passes: pod `spec.securityContext.runAsNonRoot`. The container value overrides the pod value; the kubelet checks it when it creates the container.',
      '`shipper` — **runAsNonRoot** → required — **fails**: container\'s runAsUser breaks non-root policy: pod `spec.securityContext.runAsNonRoot`. The container value overrides the pod value; the kubelet checks it when it creates the container.',
    ]);
  });

  test('a pod-level capability: its card, and that it is not applied', () => {
    assert.equal(hover(POD_LEVEL, 'MAC_ADMIN', 1), [
      '**CAP_MAC_ADMIN** (33) — Configure Mandatory Access Control (AppArmor, Smack, SELinux policy).',
      '',
      'Not granted by default by containerd.',
      '',
      '⚠ **Risk:** Can change the security policy that confines containers.',
      '',
      '⚠ At pod level this is **not applied** to any container.',
    ].join('\n'));
  });
});

describe('capability names', () => {
  const cases: { name: string; text: string; needle: string; nth?: number; runtime?: Runtime; expected: string }[] = [
    {
      name: 'an added capability with its risk',
      text: BUSYBOX, needle: 'SYS_TIME', nth: 1,
      expected: '**CAP_SYS_TIME** (25) — Set the system clock.\n\nNot granted by default by containerd.\n\n⚠ **Risk:** The clock is not namespaced: changing it changes the node\'s time for every workload.',
    },
    {
      name: 'CAP_ prefix under containerd: not a capability there',
      text: POD_LEVEL, needle: 'CAP_SYS_PTRACE',
      expected: '**CAP_SYS_PTRACE** (19) — Trace and inspect any process (ptrace, process_vm_readv).\n\nNot granted by default by containerd.\n\n' +
        `⚠ containerd reads \`CAP_SYS_PTRACE\` as \`CAP_CAP_SYS_PTRACE\`, which is not a capability: this entry has no effect. Write \`SYS_PTRACE\`. See [capability-prefix](${DOCS}capability-prefix.md).\n\n` +
        '⚠ **Risk:** Can read secrets from and inject code into other processes it can see (all of them with hostPID).',
    },
    {
      name: 'CAP_ prefix under CRI-O: read as the capability',
      text: POD_LEVEL, needle: 'CAP_SYS_PTRACE', runtime: 'cri-o',
      expected: '**CAP_SYS_PTRACE** (19) — Trace and inspect any process (ptrace, process_vm_readv).\n\nNot granted by default by cri-o.\n\n⚠ **Risk:** Can read secrets from and inject code into other processes it can see (all of them with hostPID).',
    },
    {
      name: 'a default capability',
      text: POD_LEVEL, needle: 'KILL', nth: 2,
      expected: '**CAP_KILL** (5) — Send signals to processes of other users.\n\nGranted by default by containerd.',
    },
    {
      name: 'ALL',
      text: BUSYBOX.replace('add: ["NET_ADMIN", "SYS_TIME"]', 'drop: [ALL]'), needle: 'ALL',
      expected: '**ALL** — every capability (41). In `drop`, the container starts with none but the ones you `add`.',
    },
    {
      name: 'CAP_ALL under Docker',
      text: BUSYBOX.replace('add: ["NET_ADMIN", "SYS_TIME"]', 'drop: [CAP_ALL]'), needle: 'CAP_ALL', runtime: 'docker',
      expected: `**ALL** — every capability (41). In \`drop\`, the container starts with none but the ones you \`add\`.\n\n⚠ Only \`ALL\`, without \`CAP_\`, means that: docker refuses \`CAP_ALL\`. See [capability-prefix](${DOCS}capability-prefix.md).`,
    },
    {
      name: 'an unknown name',
      text: BUSYBOX.replace('"NET_ADMIN"', '"NET_ADMN"'), needle: 'NET_ADMN',
      expected: `**NET_ADMN** is not a Linux capability. See [unknown-capability](${DOCS}unknown-capability.md).`,
    },
  ];
  for (const c of cases) test(c.name, () => assert.equal(hover(c.text, c.needle, c.nth ?? 0, c.runtime), c.expected));
});

describe('a container field: its row alone, not the card', () => {
  test('runAsUser: the value, where it came from, what it overrides and the order', () => {
    assert.equal(hover(POD_OVERRIDE, 'runAsUser', 2), '**User** → uid 3000: container `securityContext.runAsUser` — overrides pod runAsUser 2000. Order: container `runAsUser` → pod `runAsUser` → image `USER` → root.\n\n_`sec-ctx-demo-2`: hover its name for the whole card._');
  });

  test('runAsUser: 0', () => {
    assert.equal((hover(POD_LEVEL, 'runAsUser', 1) ?? '').split('\n\n')[0], '**User** → uid 0 (root): container `securityContext.runAsUser`. Order: container `runAsUser` → pod `runAsUser` → image `USER` → root.');
  });

  test('capabilities: the bounding and effective sets as counts, with a link to the report when the client has one', () => {
    const analysis = new Analyzer().analyze('busybox.yaml', BUSYBOX, DEFAULT_OPTIONS);
    const at = BUSYBOX.indexOf('capabilities:') + 1;
    assert.equal(hoverAt(analysis, at, undefined, { reportLink: 'command:secctx.showEffectiveContext' }), [
      '**Bounding capabilities** → 16 — containerd defaults +NET_ADMIN +SYS_TIME: container `securityContext.capabilities` — containerd defaults with add/drop applied.',
      '',
      '**Effective** → 16: uid 0 keeps the bounding set. [Every capability, step by step →](command:secctx.showEffectiveContext)',
      '',
      '_`sec-ctx-4`: hover its name for the whole card._',
    ].join('\n'));
  });
});

describe('no hover', () => {
  const cases: { name: string; text: string; needle: string }[] = [
    { name: 'resource metadata', text: POD_OVERRIDE, needle: 'security-context-demo-2' },
    { name: 'a comment', text: POD_OVERRIDE, needle: 'pod-level' },
    { name: 'a Helm template', text: POD_OVERRIDE.replace('name: sec-ctx-demo-2', 'name: {{ .Values.name }}'), needle: 'containers' },
    { name: 'non-Kubernetes YAML', text: 'containers:\n  - name: app\n    securityContext:\n      runAsUser: 0\n', needle: 'app' },
  ];
  for (const c of cases) test(c.name, () => assert.equal(hover(c.text, c.needle), undefined));
});

describe('inlay summary line', () => {
  const pod = (sc: string, image = 'busybox:1.36') => [
    'apiVersion: v1', 'kind: Pod', 'metadata:', '  name: p', 'spec:', '  containers:', '    - name: app', `      image: ${image}`, '      securityContext:',
    ...sc.split('\n').map((l) => `        ${l}`), '',
  ].join('\n');
  // busybox is in the well-known base-image table: its config sets no User (root).
  const cases: { name: string; sc: string; runtime?: Runtime; image?: string; expected: string }[] = [
    { name: 'an image nothing is known of: the uid is not claimed', sc: 'readOnlyRootFilesystem: true', image: 'app:1', expected: 'user unknown' },
    { name: 'root, defaults: what root keeps', sc: 'readOnlyRootFilesystem: true', expected: 'root · 14 caps' },
    { name: 'non-root, hardened', sc: 'runAsUser: 1000\nrunAsGroup: 1000\nallowPrivilegeEscalation: false\ncapabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}', expected: 'uid 1000 · gid 1000 · +NET_BIND_SERVICE −ALL · no-new-privs' },
    { name: 'privileged', sc: 'privileged: true\ncapabilities: {add: [SYS_ADMIN]}', expected: 'privileged · root' },
    { name: 'containerd: a CAP_-prefixed add is not shown as added', sc: 'capabilities: {add: [CAP_SYS_PTRACE, NET_ADMIN], drop: [CAP_NET_RAW]}', expected: 'root · 15 caps · +NET_ADMIN' },
    { name: 'CRI-O: the same names are applied', sc: 'capabilities: {add: [CAP_SYS_PTRACE, NET_ADMIN], drop: [CAP_NET_RAW]}', runtime: 'cri-o', expected: 'root · 11 caps · +SYS_PTRACE +NET_ADMIN −NET_RAW' },
    { name: 'containerd: add and drop the same, drop wins', sc: 'capabilities: {add: [SYS_TIME], drop: [SYS_TIME]}', expected: 'root · 14 caps · −SYS_TIME' },
    { name: 'Docker: add and drop the same, add wins', sc: 'capabilities: {add: [SYS_TIME], drop: [SYS_TIME]}', runtime: 'docker', expected: 'root · 15 caps · +SYS_TIME' },
    { name: 'unknown names and CAP_ALL are not shown', sc: 'capabilities: {add: [NET_ADMN], drop: [CAP_ALL]}', expected: 'root · 14 caps' },
    { name: 'runAsNonRoot that fails', sc: 'runAsNonRoot: true\nrunAsUser: 0', expected: '⚠ will not start · root · 14 caps' },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const [context] = new Analyzer().analyze('pod.yaml', pod(c.sc, c.image), { ...DEFAULT_OPTIONS, runtime: c.runtime ?? 'containerd' }).contexts;
      assert.equal(summaryLine(context), c.expected);
    });
  }
});

describe('provenance links to the field that decided each value', () => {
  /** A link target that names the line and column of the span's start in the file (as the LSP adapter does). */
  const lineOf = (text: string) => (at: { start: number } | { path: string; line: number }) => {
    if ('path' in at) return `file://${at.path}#L${at.line}`;
    const before = text.slice(0, at.start).split('\n');
    return `file:///f#L${before.length},${before[before.length - 1].length + 1}`;
  };

  test('Kubernetes: in the second document of a stream, links point at file lines, not document lines', () => {
    const stream = `${BUSYBOX}---\n${POD_OVERRIDE}`;
    const at = stream.indexOf('sec-ctx-demo-2') + 1;
    const card = hoverAt(new Analyzer().analyze('manifest.yaml', stream, { ...DEFAULT_OPTIONS, images }), at, lineOf(stream)) ?? '';
    const userRow = card.split('\n').find((l) => l.startsWith('| User |')) ?? '';
    const key = stream.indexOf('runAsUser: 3000', stream.indexOf('sec-ctx-demo-2'));
    assert.ok(key > 0, 'the fixture overrides runAsUser with 3000 in the container');
    assert.match(userRow, new RegExp(`\\]\\(file:///f#L${stream.slice(0, key).split('\n').length},\\d+\\)`), userRow);
    // Without a link builder the card has no links (the CLI's explain and the report use it so).
    assert.doesNotMatch(hoverAt(new Analyzer().analyze('manifest.yaml', stream, { ...DEFAULT_OPTIONS, images }), at) ?? '', /\]\(file:/);
  });

  test('a user from a linked image\'s Dockerfile links to its USER line there', () => {
    const linked: ImageResolver = () => ({ spec: 'app', name: 'app', uid: 10002, gid: 10003, note: 'user app created in Dockerfile line 2', dockerfile: '/src/named/Dockerfile', userSpan: { start: 30, end: 33 }, userLine: 3 });
    const text = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: app\n      image: example.com/named:1\n';
    const card = hoverAt(new Analyzer().analyze('pod.yaml', text, { ...DEFAULT_OPTIONS, images: linked }), text.indexOf('name: app') + 7, lineOf(text)) ?? '';
    const rows = card.split('\n').filter((l) => /^\| (User|Group) \|/.test(l));
    assert.deepStrictEqual(rows, [
      '| User | uid 10002 (app) | [image `USER`](file:///src/named/Dockerfile#L3) — user app created in Dockerfile line 2 |',
      '| Group | gid 10003 | [image `USER`](file:///src/named/Dockerfile#L3) — user app created in Dockerfile line 2 |',
    ]);
  });

  test('Compose: the user row links to the service\'s user key', () => {
    const text = 'services:\n  api:\n    image: api:1\n    user: "1000:1000"\n';
    const card = hoverAt(new Analyzer().analyze('compose.yaml', text, DEFAULT_OPTIONS), text.indexOf('api:') + 1, lineOf(text)) ?? '';
    assert.match(card.split('\n').find((l) => l.startsWith('| user |')) ?? '', /\[`user`\]\(file:\/\/\/f#L4,\d+\)/, card);
  });
});

describe('provenance wording', () => {
  test('a pod-level value outside securityContext is named by its path alone (no "securityContext" prefix)', () => {
    const text = [
      'apiVersion: v1', 'kind: Pod', 'metadata:', '  name: p', '  annotations:', '    container.apparmor.security.beta.kubernetes.io/app: runtime/default',
      'spec:', '  containers:', '    - name: app', '      image: app:1', '',
    ].join('\n');
    const card = hoverAt(new Analyzer().analyze('pod.yaml', text, DEFAULT_OPTIONS), text.indexOf('name: app') + 7) ?? '';
    assert.deepStrictEqual(card.split('\n').filter((l) => l.startsWith('| AppArmor |')), ['| AppArmor | runtime/default | pod `metadata.annotations[container.apparmor.security.beta.kubernetes.io/app]` |']);
  });
});
