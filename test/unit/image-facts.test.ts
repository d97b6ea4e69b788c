/**
 * Judging image facts: what a container, a Compose service, a `docker run` line and a Dockerfile FROM
 * run as when the image's config and account files are known (fake lookups here; the host layer
 * fetches the real ones), when only the well-known base-image table knows the image, and when nothing
 * does. Each behaviour cites the upstream function it mirrors.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Analyzer } from '../../server/src/engine/analyze';
import { hoverAt } from '../../server/src/engine/hover';
import type { EffectiveContext } from '../../server/src/engine/effective';
import type { ImageFacts, ImageFactsFailure, ImageFactsLookup, PasswdEntry, GroupEntry } from '../../server/src/engine/images/facts';
import { ImageIndex } from '../../server/src/engine/images/index';
import { criImageUser, kubeletVerdict } from '../../server/src/engine/kubernetes/resolve';
import { DEFAULT_OPTIONS, type AnalysisOptions, type ImageUser } from '../../server/src/engine/options';

const GRAFANA_DIGEST = 'sha256:' + 'a'.repeat(64);

function facts(reference: string, user: string, accounts?: { passwd: PasswdEntry[]; group?: GroupEntry[] } | { reason: string }, extra: Partial<ImageFacts> = {}): ImageFacts {
  return {
    reference,
    normalized: reference.includes('/') ? `docker.io/${reference}` : `docker.io/library/${reference}`,
    user,
    from: 'registry',
    ...(accounts === undefined ? {}
      : 'reason' in accounts ? { accounts: { kind: 'unknown', reason: accounts.reason } }
      : { accounts: { kind: 'known', passwd: accounts.passwd, group: accounts.group ?? [], passwdFound: true, groupFound: accounts.group !== undefined } }),
    ...extra,
  };
}

const ROOT_ENTRY: PasswdEntry = { name: 'root', uid: 0, gid: 0 };

/** A registry's worth of images, as the host layer would report them. */
const KNOWN: Readonly<Record<string, ImageFacts | ImageFactsFailure>> = {
  'grafana/grafana:11.0.0': facts('grafana/grafana:11.0.0', '472', { passwd: [ROOT_ENTRY, { name: 'grafana', uid: 472, gid: 0 }] }, { digest: GRAFANA_DIGEST, platform: 'linux/amd64' }),
  'example.com/named:1': facts('example.com/named:1', 'app', { passwd: [ROOT_ENTRY, { name: 'app', uid: 1000, gid: 1001 }], group: [{ name: 'app', gid: 1001, members: [] }] }),
  'example.com/named-large:1': facts('example.com/named-large:1', 'app', { reason: 'over the 64 MiB layer budget before /etc/passwd was found' }),
  'example.com/uidgid:1': facts('example.com/uidgid:1', '1000:1000', { passwd: [ROOT_ENTRY] }),
  'example.com/norealuser:1': facts('example.com/norealuser:1', '', { passwd: [ROOT_ENTRY, { name: 'svc', uid: 1234, gid: 5000 }] }),
  'example.com/groupless:1': facts('example.com/groupless:1', ':1000', { passwd: [ROOT_ENTRY] }),
  'example.com/negative:1': facts('example.com/negative:1', '-1', { passwd: [ROOT_ENTRY] }),
  'example.com/no-accounts:1': facts('example.com/no-accounts:1', '2000'),
  // Facts win over the table: a busybox someone rebuilt with a User.
  'busybox:custom': facts('busybox:custom', '1000', { passwd: [ROOT_ENTRY, { name: 'user', uid: 1000, gid: 1000 }] }, { from: 'cache' }),
  'example.com/private:1': { reference: 'example.com/private:1', reason: '401 Unauthorized from example.com' },
  'busybox:1.36': { reference: 'busybox:1.36', reason: 'registry unreachable (ECONNREFUSED)' },
};
const lookup: ImageFactsLookup = (reference) => KNOWN[reference];

const options = (extra: Partial<AnalysisOptions> = {}): AnalysisOptions => ({ ...DEFAULT_OPTIONS, imageFacts: lookup, ...extra });

function pod(image: string, sc = '', podSc = ''): string {
  return [
    'apiVersion: v1', 'kind: Pod', 'metadata:', '  name: p', 'spec:',
    ...(podSc ? ['  securityContext:', ...podSc.split('\n').map((l) => `    ${l}`)] : []),
    '  containers:', '    - name: app', `      image: ${image}`,
    ...(sc ? ['      securityContext:', ...sc.split('\n').map((l) => `        ${l}`)] : []),
    '',
  ].join('\n');
}

function only(path: string, text: string, opts = options()): EffectiveContext {
  const contexts = new Analyzer().analyze(path, text, opts).contexts;
  assert.equal(contexts.length, 1);
  return contexts[0];
}

/** Who it runs as, as a reader checks it. */
function who(c: EffectiveContext) {
  return { uid: c.user.value ?? null, name: c.user.name ?? null, gid: c.group.value ?? null, runAsNonRoot: c.runAsNonRoot.verdict };
}

describe('the kubelet reads config.User as containerd\'s CRI ImageStatus reports it', () => {
  // containerd internal/cri/server/images/image_status.go getUserFromImage: the part before ':'; a
  // base-10 int64 (strconv.ParseInt) is the uid, anything else the user name. kubelet
  // kuberuntime helpers.go getImageUser: neither a uid nor a name means root.
  test('getUserFromImage + getImageUser', () => {
    const cases = ['', '472', '1000:1000', 'app', 'app:app', ':1000', '+5', '007', '-1', '0x10', '99999999999999999999', '$UID'];
    assert.deepStrictEqual(cases.map((c) => [c, criImageUser(c)]), [
      ['', { uid: 0 }],
      ['472', { uid: 472 }],
      ['1000:1000', { uid: 1000 }],
      ['app', { username: 'app' }],
      ['app:app', { username: 'app' }],
      [':1000', { uid: 0 }],
      ['+5', { uid: 5 }],
      ['007', { uid: 7 }],
      ['-1', { uid: -1 }],
      ['0x10', { username: '0x10' }],
      ['99999999999999999999', { username: '99999999999999999999' }],
      ['$UID', { username: '$UID' }],
    ]);
  });

  // kubelet kuberuntime security_context_others.go verifyRunAsNonRoot: runAsUser first; then a
  // name cannot be verified, uid 0 is root, a uid outside 0..MaxInt32 is invalid.
  test('verifyRunAsNonRoot over image users', () => {
    const image = (spec: string): ImageUser => ({ spec, note: 'test' });
    const verdicts = ['472', 'app', '', ':1000', '0:1000', '-1', '2147483648'].map((spec) => kubeletVerdict(true, undefined, spec === '' ? { note: 'test' } : image(spec)));
    assert.deepStrictEqual(verdicts, [
      { verdict: 'pass' },
      { verdict: 'unverifiable', message: 'container has runAsNonRoot and image has non-numeric user (app), cannot verify user is non-root' },
      { verdict: 'fail', message: 'container has runAsNonRoot and image will run as root' },
      { verdict: 'fail', message: 'container has runAsNonRoot and image will run as root' },
      { verdict: 'fail', message: 'container has runAsNonRoot and image will run as root' },
      { verdict: 'fail', message: 'container has runAsNonRoot and image has an invalid user id (-1). (Must be 1-(2147483647))' },
      { verdict: 'fail', message: 'container has runAsNonRoot and image has an invalid user id (2147483648). (Must be 1-(2147483647))' },
    ]);
    assert.deepStrictEqual(kubeletVerdict(true, 1000, image('0')), { verdict: 'pass' });
    assert.deepStrictEqual(kubeletVerdict(true, 0, image('1000')), { verdict: 'fail', message: "container's runAsUser breaks non-root policy" });
  });
});

describe('Kubernetes containers with image facts', () => {
  test('a numeric config User: its uid, its /etc/passwd group, and runAsNonRoot passes', () => {
    const c = only('pod.yaml', pod('grafana/grafana:11.0.0', '', 'runAsNonRoot: true'));
    assert.deepStrictEqual(who(c), { uid: 472, name: 'grafana', gid: 0, runAsNonRoot: 'pass' });
    assert.equal(c.user.note, `image grafana/grafana:11.0.0 (${GRAFANA_DIGEST}, linux/amd64) config User "472" (from its registry): uid 472 (grafana), gid 0`);
  });

  // containerd WithUsername / moby getUser: a name is looked up in the image's /etc/passwd. The kubelet
  // still refuses it under runAsNonRoot (it only sees the name).
  test('a named config User resolves through the image\'s /etc/passwd; the kubelet cannot verify it', () => {
    const c = only('pod.yaml', pod('example.com/named:1', '', 'runAsNonRoot: true'));
    assert.deepStrictEqual(who(c), { uid: 1000, name: 'app', gid: 1001, runAsNonRoot: 'unverifiable' });
  });

  test('a named User whose /etc/passwd is not known stays a name, and the note says why', () => {
    const c = only('pod.yaml', pod('example.com/named-large:1'));
    assert.deepStrictEqual(who(c), { uid: null, name: 'app', gid: null, runAsNonRoot: 'not-required' });
    assert.match(c.user.note ?? '', /over the 64 MiB layer budget before \/etc\/passwd was found/);
  });

  test('uid:gid, an unset User (root), an empty user part (root for the kubelet), an invalid uid', () => {
    // The kubelet passes only the uid of User "1000:1000" (kuberuntime determineEffectiveSecurityContext;
    // containerd getUserFromImage drops the group): uid 1000 has no /etc/passwd entry, so gid 0 (kubernetes#61967).
    assert.deepStrictEqual(who(only('pod.yaml', pod('example.com/uidgid:1', '', 'runAsNonRoot: true'))), { uid: 1000, name: null, gid: 0, runAsNonRoot: 'pass' });
    assert.deepStrictEqual(who(only('pod.yaml', pod('example.com/norealuser:1', '', 'runAsNonRoot: true'))), { uid: 0, name: 'root', gid: 0, runAsNonRoot: 'fail' });
    assert.deepStrictEqual(only('pod.yaml', pod('example.com/groupless:1', '', 'runAsNonRoot: true')).runAsNonRoot.verdict, 'fail');
    assert.deepStrictEqual(only('pod.yaml', pod('example.com/negative:1', '', 'runAsNonRoot: true')).runAsNonRoot.verdict, 'fail');
  });

  // containerd oci WithUserID: an explicit uid takes the primary group of its /etc/passwd entry, 0
  // without one. With the image's accounts not known, the group keeps the engine's default for a uid
  // without a known entry (0, the group arithmetic's business, as for images that are not linked).
  test('runAsUser takes its primary group from the image\'s /etc/passwd (WithUserID)', () => {
    const gid = (image: string, uid: number) => only('pod.yaml', pod(image, `runAsUser: ${uid}`)).group.value ?? null;
    assert.deepStrictEqual(
      [gid('example.com/norealuser:1', 1234), gid('example.com/norealuser:1', 4321), gid('example.com/no-accounts:1', 1234), gid('unknown.example.com/x:1', 1234)],
      [5000, 0, 0, 0],
    );
  });

  test('a failed lookup leaves the user unknown and says why; the table still answers for images it knows', () => {
    const unknown = only('pod.yaml', pod('example.com/private:1', '', 'runAsNonRoot: true'));
    assert.deepStrictEqual(who(unknown), { uid: null, name: null, gid: null, runAsNonRoot: 'unknown' });
    assert.equal(unknown.user.note, 'image example.com/private:1: root unless the image\'s USER says otherwise — enable image lookup or link its Dockerfile (401 Unauthorized from example.com)');
    assert.deepStrictEqual(unknown.capabilities?.effective, []);
    const busybox = only('pod.yaml', pod('busybox:1.36', '', 'runAsNonRoot: true'));
    assert.deepStrictEqual(who(busybox), { uid: 0, name: 'root', gid: 0, runAsNonRoot: 'fail' });
    assert.match(busybox.user.note ?? '', /well-known base-image table/);
  });

  test('image facts win over the table', () => {
    assert.deepStrictEqual(who(only('pod.yaml', pod('busybox:custom'))), { uid: 1000, name: 'user', gid: 1000, runAsNonRoot: 'not-required' });
  });

  test('with lookups off, the table decides: busybox with runAsNonRoot is refused by the kubelet', () => {
    const analysis = new Analyzer().analyze('pod.yaml', pod('busybox', '', 'runAsNonRoot: true'), DEFAULT_OPTIONS);
    assert.deepStrictEqual(analysis.findings.filter((f) => f.severity === 'error').map((f) => [f.rule, f.message]), [
      ['run-as-non-root-violation', 'The kubelet will not start container "app": container has runAsNonRoot and image will run as root.'],
    ]);
  });

  test('no rule claims root or non-root for an image nothing is known of', () => {
    const analysis = new Analyzer().analyze('pod.yaml', pod('example.com/private:1', '', 'runAsNonRoot: true'), options());
    assert.deepStrictEqual(analysis.findings.filter((f) => ['run-as-root', 'run-as-non-root-violation', 'run-as-user-zero'].includes(f.rule)).map((f) => f.rule), []);
  });

  test('a workspace Dockerfile that builds the image wins over its facts', () => {
    const index = new ImageIndex({ roots: ['/w'] });
    index.update('/w/Dockerfile', 'FROM debian:12\nUSER 4242\n');
    index.update('/w/.secctx.yaml', 'images:\n  grafana/grafana: Dockerfile\n');
    const c = only('/w/pod.yaml', pod('grafana/grafana:11.0.0'), options({ images: index.resolver('/w/pod.yaml') }));
    assert.deepStrictEqual([c.user.value, c.user.source], [4242, 'image']);
  });
});

describe('the same facts in Kubernetes, Compose and docker run', () => {
  const compose = (image: string, user = '') => `services:\n  app:\n    image: ${image}\n${user ? `    user: "${user}"\n` : ''}`;
  const run = (image: string, user = '') => `#!/bin/sh\ndocker run ${user ? `--user ${user} ` : ''}${image}\n`;
  const uidOf = (c: EffectiveContext) => [c.user.value ?? null, c.group.value ?? null];

  test('one image, one user everywhere', () => {
    for (const image of ['grafana/grafana:11.0.0', 'example.com/named:1', 'example.com/private:1', 'busybox:1.36']) {
      const k8s = uidOf(only('pod.yaml', pod(image)));
      assert.deepStrictEqual([uidOf(only('compose.yaml', compose(image))), uidOf(only('run.sh', run(image)))], [k8s, k8s], image);
    }
  });

  test('the unknown note is the same wording in all three', () => {
    const notes = [only('pod.yaml', pod('example.com/private:1')), only('compose.yaml', compose('example.com/private:1')), only('run.sh', run('example.com/private:1'))].map((c) => c.user.note);
    assert.deepStrictEqual(new Set(notes).size, 1);
  });

  // moby daemon/oci_linux.go getUser → user.GetExecUserPath: `--user 1234` takes the gid of uid 1234's
  // /etc/passwd entry, 0 without one.
  test('--user 1234 / user: "1234" take the primary group from the image\'s /etc/passwd', () => {
    assert.deepStrictEqual(
      [uidOf(only('run.sh', run('example.com/norealuser:1', '1234'))), uidOf(only('compose.yaml', compose('example.com/norealuser:1', '4321')))],
      [[1234, 5000], [4321, 0]],
    );
  });
});

describe('Dockerfile FROM images that decide a stage', () => {
  test('FROM an image with facts and no USER: the base image\'s user', () => {
    const analysis = new Analyzer().analyze('Dockerfile', 'FROM grafana/grafana:11.0.0\nRUN echo hi\n', options());
    const stage = analysis.dockerfile?.stages[0];
    assert.deepStrictEqual({ uid: stage?.user.uid, name: stage?.user.name, source: stage?.user.source, imageConfigUser: stage?.user.imageConfigUser, baseFacts: stage?.baseFacts }, {
      uid: 472, name: 'grafana', source: 'base-image', imageConfigUser: '472',
      baseFacts: { reference: 'grafana/grafana:11.0.0', digest: GRAFANA_DIGEST, platform: 'linux/amd64', user: '472', from: 'registry' },
    });
  });

  test('USER <name> created in the base image resolves through its /etc/passwd', () => {
    const analysis = new Analyzer().analyze('Dockerfile', 'FROM example.com/named:1\nUSER app\n', options());
    assert.deepStrictEqual([analysis.dockerfile?.user?.uid, analysis.dockerfile?.user?.gid], [1000, 1001]);
    assert.deepStrictEqual(analysis.findings.filter((f) => f.rule === 'unknown-user').map((f) => f.rule), []);
  });

  test('FROM node:20 with lookups off: the table (root), labelled as such', () => {
    const analysis = new Analyzer().analyze('Dockerfile', 'FROM node:20\n', DEFAULT_OPTIONS);
    assert.deepStrictEqual([analysis.dockerfile?.user?.uid, analysis.dockerfile?.stages[0].baseFacts], [0, { reference: 'node:20', user: '', from: 'table' }]);
  });

  test('a manifest using an image a linked Dockerfile builds FROM a looked-up base sees that base\'s user', () => {
    const index = new ImageIndex({ roots: ['/w'] });
    index.update('/w/Dockerfile', 'FROM grafana/grafana:11.0.0\n');
    index.update('/w/.secctx.yaml', 'images:\n  example.com/dash: Dockerfile\n');
    const before = only('/w/pod.yaml', pod('example.com/dash:1'), options({ images: index.resolver('/w/pod.yaml') }));
    assert.equal(before.user.value, undefined);
    index.setImageFacts(lookup);
    const after = only('/w/pod.yaml', pod('example.com/dash:1'), options({ images: index.resolver('/w/pod.yaml') }));
    assert.deepStrictEqual([after.user.value, after.user.source], [472, 'image']);
  });
});

describe('hovers name the facts and where they came from', () => {
  test('a Dockerfile FROM with image facts: digest, platform and config User', () => {
    const text = 'FROM grafana/grafana:11.0.0\n';
    const analysis = new Analyzer().analyze('Dockerfile', text, options());
    assert.equal(hoverAt(analysis, 2)?.split('\n\n')[0], `**FROM** \`grafana/grafana:11.0.0\` — image grafana/grafana:11.0.0 (${GRAFANA_DIGEST}, linux/amd64) config User "472" (from its registry).`);
  });

  test('a container whose image is unknown: both capability cases and the lookup\'s reason', () => {
    const text = pod('example.com/private:1');
    const analysis = new Analyzer().analyze('pod.yaml', text, options());
    const rows = (hoverAt(analysis, text.indexOf('name: app') + 6) ?? '').split('\n').filter((l) => /^\| (User|Effective)/.test(l));
    assert.deepStrictEqual(rows, [
      '| User | unknown | image `USER` — image example.com/private:1: root unless the image\'s USER says otherwise — enable image lookup or link its Dockerfile (401 Unauthorized from example.com) |',
      '| Effective capabilities | as root: 14 (the bounding set); as non-root: none | the bounding set if the image runs as root, none otherwise |',
    ]);
  });
});
