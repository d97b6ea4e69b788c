/**
 * Who a container runs as and under which confinement, where the kubelet and the runtime decide it
 * differently from what a manifest alone suggests: the image's group under Kubernetes, the
 * supplementary groups of the image's /etc/group, privileged seccomp, image uids the kubelet refuses,
 * and Windows accounts. Each test names the upstream function it follows.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Analyzer } from '../../server/src/engine/analyze';
import type { EffectiveContext } from '../../server/src/engine/effective';
import type { ImageFactsLookup } from '../../server/src/engine/images/facts';
import { ImageIndex } from '../../server/src/engine/images/index';
import { kubeletVerdict, windowsKubeletVerdict } from '../../server/src/engine/kubernetes/resolve';
import { DEFAULT_OPTIONS, type AnalysisOptions, type ImageResolver } from '../../server/src/engine/options';
import { indent, pod as podYaml, yaml as lines } from '../support/manifests';


function pod(opts: { podSc?: string; containerSc?: string; image?: string; spec?: string } = {}): string {
  return podYaml({ ...opts, image: opts.image ?? 'example.com/unlinked:1' });
}

function contexts(path: string, text: string, options: Partial<AnalysisOptions> = {}): readonly EffectiveContext[] {
  return new Analyzer().analyze(path, text, { ...DEFAULT_OPTIONS, ...options }).contexts;
}

/** A workspace whose Dockerfiles build the images `example.com/<dir>` (their FROM images known through `facts`). */
function workspace(dockerfiles: Readonly<Record<string, string>>, facts?: ImageFactsLookup): ImageResolver {
  const index = new ImageIndex({ roots: ['/ws'] });
  index.setImageFacts(facts);
  index.update('/ws/.secctx.yaml', lines('images:', ...Object.keys(dockerfiles).map((d) => `  example.com/${d}: ${d}/Dockerfile`)));
  for (const [dir, text] of Object.entries(dockerfiles)) index.update(`/ws/${dir}/Dockerfile`, text);
  return index.resolver('/ws/k8s/pod.yaml');
}

describe('the image\'s group under Kubernetes: only the uid reaches the runtime', () => {
  // kubelet kuberuntime determineEffectiveSecurityContext sets RunAsUser (the image uid from
  // getImageUser) and no RunAsGroup; containerd's CRI getUserFromImage drops the `:gid`;
  // containerd generateUserString then WithUser → WithUserID, and CRI-O setupContainerUser, take
  // the primary group from the image's /etc/passwd: gid 0 without an entry (kubernetes#61967).
  const images = workspace({
    bare: lines('FROM gcr.io/distroless/static', 'USER 1000:2000'),
    created: lines('FROM debian:12', 'RUN groupadd -g 1000 app && useradd -u 1000 -g app app', 'USER 1000:2000'),
    plain: lines('FROM gcr.io/distroless/static', 'USER 1000'),
  });
  const cases: { name: string; image: string; expected: { value: number | undefined; source: string } }[] = [
    { name: 'USER 1000:2000, no /etc/passwd entry for 1000: gid 0, not 2000', image: 'example.com/bare', expected: { value: 0, source: 'image' } },
    { name: 'USER 1000:2000 with an entry for 1000 (gid 1000): the entry\'s group', image: 'example.com/created', expected: { value: 1000, source: 'image' } },
    { name: 'USER 1000 without a group: unchanged', image: 'example.com/plain', expected: { value: 0, source: 'image' } },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const [ctx] = contexts('pod.yaml', pod({ image: c.image }), { images });
      assert.deepStrictEqual({ value: ctx.group.value, source: ctx.group.source }, c.expected);
    });
  }

  test('the hover says why Kubernetes and Docker differ', () => {
    const [ctx] = contexts('pod.yaml', pod({ image: 'example.com/bare' }), { images });
    assert.deepStrictEqual(ctx.group, {
      value: 0,
      source: 'image',
      field: '/etc/passwd',
      note: 'the kubelet passes the runtime only the user of USER 1000:2000, not its group (kubernetes#61967): the runtime takes the primary group from the image\'s /etc/passwd; Docker and Compose would use 2000: no entry for uid 1000 in the image\'s /etc/passwd (all its accounts are known), via .secctx.yaml: gid 0',
    });
  });

  test('Compose keeps the group: Docker passes uid:gid to the runtime (moby getUser)', () => {
    const index = new ImageIndex({ roots: ['/ws'] });
    index.update('/ws/bare/Dockerfile', lines('FROM gcr.io/distroless/static', 'USER 1000:2000'));
    const compose = lines('services:', '  api:', '    build: ./bare');
    index.update('/ws/compose.yaml', compose);
    const [ctx] = contexts('/ws/compose.yaml', compose, { images: index.resolver('/ws/compose.yaml') });
    assert.deepStrictEqual({ uid: ctx.user.value, gid: ctx.group.value }, { uid: 1000, gid: 2000 });
  });

  test('runAsGroup still decides', () => {
    const [ctx] = contexts('pod.yaml', pod({ image: 'example.com/bare', containerSc: 'runAsGroup: 3000' }), { images });
    assert.deepStrictEqual({ value: ctx.group.value, source: ctx.group.source }, { value: 3000, source: 'container' });
  });
});

describe('supplementary groups from the image\'s /etc/group: Merge adds them, Strict does not', () => {
  // containerd CRI containerSpecOpts: SupplementalGroupsPolicy_Merge appends WithAdditionalGIDs(user)
  // (every /etc/group entry listing the user, but for the group named after it) to the pod's groups;
  // Strict appends only WithSupplementalGroups. CRI-O setupContainerUser does the same (addGroups).
  const images = workspace({
    member: lines('FROM debian:12', 'RUN groupadd -g 2000 audit && useradd -u 1000 -G audit app', 'USER app'),
    plain: lines('FROM debian:12', 'RUN useradd -u 1000 app', 'USER app'),
  });
  const groups = (text: string) => {
    const [ctx] = contexts('pod.yaml', text, { images });
    return { value: ctx.supplementalGroups.value, source: ctx.supplementalGroups.source, note: ctx.supplementalGroups.note };
  };
  test('Merge (the default): the image user\'s groups join the pod\'s', () => {
    assert.deepStrictEqual(groups(pod({ image: 'example.com/member', podSc: 'fsGroup: 4000' })), {
      value: [4000, 2000], source: 'pod', note: 'plus 2000 from the image\'s /etc/group (supplementalGroupsPolicy Merge, the default)',
    });
  });
  test('an explicit runAsUser: the groups of its /etc/passwd entry', () => {
    assert.deepStrictEqual(groups(pod({ image: 'example.com/member', containerSc: 'runAsUser: 1000' })).value, [2000]);
  });
  test('Strict: only the pod\'s groups', () => {
    assert.deepStrictEqual(groups(pod({ image: 'example.com/member', podSc: 'supplementalGroupsPolicy: Strict' })), {
      value: [], source: 'pod', note: 'supplementalGroupsPolicy Strict: the image\'s /etc/group memberships are not added',
    });
  });
  test('a user in no other group: nothing added', () => {
    assert.deepStrictEqual(groups(pod({ image: 'example.com/plain' })), { value: [], source: 'default', note: undefined });
  });
});

describe('a base image\'s user named by USER: its groups from the base\'s /etc/group (image facts)', () => {
  // moby/sys/user GetExecUser (Docker's getUser) and containerd WithAdditionalGIDs (CRI, supplementalGroupsPolicy
  // Merge) read the built image's /etc/group at container start: every entry whose member list names the user
  // becomes a supplementary group. The built image's /etc/group is the base's, so its facts decide.
  const BASE = 'example.com/base:1';
  const facts: ImageFactsLookup = (reference) => reference === BASE ? {
    reference, normalized: BASE, user: '', from: 'registry',
    accounts: {
      kind: 'known', passwdFound: true, groupFound: true,
      passwd: [{ name: 'root', uid: 0, gid: 0 }, { name: 'app', uid: 1000, gid: 1000 }],
      group: [{ name: 'root', gid: 0, members: [] }, { name: 'app', gid: 1000, members: [] }, { name: 'audit', gid: 2000, members: ['app'] }, { name: 'video', gid: 44, members: ['daemon', 'app'] }],
    },
  } : undefined;
  const images = workspace({
    named: lines(`FROM ${BASE}`, 'USER app'),
    joined: lines(`FROM ${BASE}`, 'RUN groupadd -g 3000 metrics && usermod -aG metrics app', 'USER app'),
  }, facts);
  const groups = (text: string, path = 'pod.yaml', resolver = images) => {
    const [ctx] = contexts(path, text, { images: resolver });
    return { value: ctx.supplementalGroups.value, note: ctx.supplementalGroups.note };
  };

  test('Kubernetes, USER app: the base\'s memberships join the pod\'s groups', () => {
    assert.deepStrictEqual(groups(pod({ image: 'example.com/named' })), { value: [2000, 44], note: 'plus 2000, 44 from the image\'s /etc/group (supplementalGroupsPolicy Merge, the default)' });
  });
  test('Kubernetes, runAsUser 1000 (app\'s uid): the same groups', () => {
    assert.deepStrictEqual(groups(pod({ image: 'example.com/named', containerSc: 'runAsUser: 1000' })).value, [2000, 44]);
  });
  test('the base\'s memberships and the Dockerfile\'s usermod -aG together', () => {
    assert.deepStrictEqual(groups(pod({ image: 'example.com/joined' })).value, [2000, 44, 3000]);
  });
  test('Compose build: Docker gives the same groups (moby getUser)', () => {
    const index = new ImageIndex({ roots: ['/ws'] });
    index.setImageFacts(facts);
    index.update('/ws/named/Dockerfile', lines(`FROM ${BASE}`, 'USER app'));
    const compose = lines('services:', '  api:', '    build: ./named');
    index.update('/ws/compose.yaml', compose);
    assert.deepStrictEqual(groups(compose, '/ws/compose.yaml', index.resolver('/ws/compose.yaml')).value, [2000, 44]);
  });
});

describe('a privileged container runs without seccomp', () => {
  // containerd generateSeccompSpecOpts: "Do not set seccomp profile when container is privileged";
  // CRI-O setupSeccomp likewise skips a privileged container.
  test('RuntimeDefault asked at pod level, privileged container: Unconfined, from privileged', () => {
    const text = pod({ podSc: 'seccompProfile:\n  type: RuntimeDefault', containerSc: 'privileged: true' });
    const [ctx] = contexts('pod.yaml', text);
    assert.deepStrictEqual({ value: ctx.seccomp.value, source: ctx.seccomp.source, field: ctx.seccomp.field, note: ctx.seccomp.note }, {
      value: 'Unconfined', source: 'container', field: 'securityContext.privileged', note: 'privileged: the runtime applies no seccomp profile (RuntimeDefault from pod spec.securityContext.seccompProfile is ignored)',
    });
  });
  test('not privileged: the profile asked for', () => {
    const [ctx] = contexts('pod.yaml', pod({ podSc: 'seccompProfile:\n  type: RuntimeDefault', containerSc: 'privileged: false' }));
    assert.deepStrictEqual({ value: ctx.seccomp.value, source: ctx.seccomp.source }, { value: 'RuntimeDefault', source: 'pod' });
  });
});

describe('an image uid the kubelet refuses', () => {
  // kubelet kuberuntime verifyRunAsNonRoot (security_context_others.go): an image uid that fails
  // validation.IsValidUserID (above math.MaxInt32) is an error under runAsNonRoot.
  const image = (spec: string) => ({ spec, uid: Number(spec.split(':')[0]), note: '', dockerfile: 'Dockerfile' });
  const cases: { name: string; args: Parameters<typeof kubeletVerdict>; expected: ReturnType<typeof kubeletVerdict> }[] = [
    { name: '2147483648: refused', args: [true, undefined, image('2147483648')], expected: { verdict: 'fail', message: 'container has runAsNonRoot and image has an invalid user id (2147483648). (Must be 1-(2147483647))' } },
    { name: '4294967294:0: refused', args: [true, undefined, image('4294967294:0')], expected: { verdict: 'fail', message: 'container has runAsNonRoot and image has an invalid user id (4294967294). (Must be 1-(2147483647))' } },
    { name: '2147483647: the largest accepted', args: [true, undefined, image('2147483647')], expected: { verdict: 'pass' } },
    { name: 'without runAsNonRoot nothing is checked', args: [false, undefined, image('2147483648')], expected: { verdict: 'not-required' } },
  ];
  for (const c of cases) test(c.name, () => assert.deepStrictEqual(kubeletVerdict(...c.args), c.expected));
});

describe('Windows pods: a named account, the Windows kubelet\'s verdict', () => {
  // kubelet kuberuntime security_context_windows.go verifyRunAsNonRoot: runAsUserName equal to
  // ContainerAdministrator (strings.EqualFold) breaks non-root; any other name passes; without one,
  // the image's user is compared the same way.
  const windows = 'os:\n  name: windows';
  test('runAsUserName is the user; uid and gid are not concepts', () => {
    const [ctx] = contexts('pod.yaml', pod({ spec: windows, containerSc: 'runAsNonRoot: true\nwindowsOptions:\n  runAsUserName: "NT AUTHORITY\\\\NETWORK SERVICE"' }));
    assert.deepStrictEqual({ uid: ctx.user.value, name: ctx.user.name, source: ctx.user.source, field: ctx.user.field, gid: ctx.group.value, verdict: ctx.runAsNonRoot.verdict }, {
      uid: undefined, name: 'NT AUTHORITY\\NETWORK SERVICE', source: 'container', field: 'securityContext.windowsOptions.runAsUserName', gid: undefined, verdict: 'pass',
    });
  });
  test('the container overrides the pod', () => {
    const [ctx] = contexts('pod.yaml', pod({ spec: windows, podSc: 'runAsNonRoot: true\nwindowsOptions:\n  runAsUserName: ContainerUser', containerSc: 'windowsOptions:\n  runAsUserName: containeradministrator' }));
    assert.deepStrictEqual({ name: ctx.user.name, verdict: ctx.runAsNonRoot.verdict, message: ctx.runAsNonRoot.message }, {
      name: 'containeradministrator', verdict: 'fail', message: 'container\'s runAsUserName (containeradministrator) which will be regarded as root identity and will break non-root policy',
    });
  });
  const direct: { name: string; args: Parameters<typeof windowsKubeletVerdict>; expected: ReturnType<typeof windowsKubeletVerdict> }[] = [
    { name: 'ContainerAdministrator in any case fails', args: [true, 'CONTAINERADMINISTRATOR', undefined], expected: { verdict: 'fail', message: 'container\'s runAsUserName (CONTAINERADMINISTRATOR) which will be regarded as root identity and will break non-root policy' } },
    { name: 'another name passes', args: [true, 'ContainerUser', undefined], expected: { verdict: 'pass' } },
    { name: 'no name, image user ContainerAdministrator fails', args: [true, undefined, { spec: 'ContainerAdministrator', note: '', dockerfile: 'Dockerfile' }], expected: { verdict: 'fail', message: 'container\'s runAsUser (ContainerAdministrator) which will be regarded as root identity and will break non-root policy' } },
    { name: 'no name, image user not known: unknown', args: [true, undefined, undefined], expected: { verdict: 'unknown', message: 'the image\'s default account is not known: the kubelet checks it when the container starts' } },
    { name: 'not required', args: [false, 'ContainerAdministrator', undefined], expected: { verdict: 'not-required' } },
  ];
  for (const c of direct) test(`windowsKubeletVerdict: ${c.name}`, () => assert.deepStrictEqual(windowsKubeletVerdict(...c.args), c.expected));
});
