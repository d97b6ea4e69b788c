/**
 * Compose services with Docker's semantics, table-driven: every `user` form with and without a
 * known image, cap_add/cap_drop arithmetic, security_opt spellings, namespaces (host, service:x),
 * extends and YAML merge keys, interpolation, malformed files; spans and provenance; hovers; and
 * every Compose file of the corpus.
 */
import { sharedPath } from '../support/shared';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ALL_CAPABILITIES, RUNTIME_DEFAULTS, sortCapabilities } from '../../server/src/engine/capabilities';
import { parseCompose } from '../../server/src/engine/docker/compose';
import { isComposeFileName } from '../../server/src/engine/docker/detect';
import { dockerHover } from '../../server/src/engine/docker/hover';
import type { DockerFileModel } from '../../server/src/engine/docker/model';
import type { EffectiveContext } from '../../server/src/engine/effective';
import { ImageIndex } from '../../server/src/engine/images/index';
import { DEFAULT_OPTIONS, type AnalysisOptions, type ImageBuild, type ImageUser } from '../../server/src/engine/options';
import type { Span } from '../../server/src/engine/types';

const CORPUS = sharedPath('corpus');
const DEFAULTS = sortCapabilities(RUNTIME_DEFAULTS.docker);

/** Images a workspace Dockerfile builds: `app` runs as app (1001:1001), `plain` sets no USER. */
const IMAGES: Readonly<Record<string, ImageUser>> = {
  app: { spec: 'app:app', name: 'app', uid: 1001, gid: 1001, note: 'user app created in Dockerfile line 3', dockerfile: 'app/Dockerfile' },
  plain: { note: 'no USER in Dockerfile', dockerfile: 'plain/Dockerfile' },
  numeric: { spec: '999', uid: 999, note: 'USER 999 in Dockerfile line 9', dockerfile: 'numeric/Dockerfile' },
};
/** Builds by context: `./web` runs as web (2000:2000). */
const BUILDS: Readonly<Record<string, ImageUser>> = {
  './web': { spec: 'web', name: 'web', uid: 2000, gid: 2000, note: 'user web created in web/Dockerfile line 4', dockerfile: 'web/Dockerfile' },
};
const OPTIONS: AnalysisOptions = {
  ...DEFAULT_OPTIONS,
  images: Object.assign((image: string) => IMAGES[image.split(':')[0]] ?? IMAGES[image], { build: (build: ImageBuild) => BUILDS[build.context] }),
};

/** The values a case is about, as one object. */
function summary(e: EffectiveContext) {
  return {
    uid: e.user.value,
    gid: e.group.value,
    userFrom: e.user.source,
    groups: e.supplementalGroups.value,
    privileged: e.privileged.value,
    noNewPrivileges: !e.allowPrivilegeEscalation.value,
    seccomp: e.seccomp.value,
    appArmor: e.appArmor.value,
    seLinux: e.seLinux.value,
    readOnly: e.readOnlyRootFilesystem.value,
    host: { network: e.hostNetwork.value, pid: e.hostPID.value, ipc: e.hostIPC.value, users: e.hostUsers.value },
    bounding: e.capabilities?.bounding,
    effective: e.capabilities?.effective,
  };
}

type Summary = ReturnType<typeof summary>;

/** Docker's defaults for a container of unknown user: what a case overrides is all it states. */
const BASE: Summary = {
  uid: undefined, gid: undefined, userFrom: 'image', groups: [], privileged: false, noNewPrivileges: false, seccomp: 'docker-default',
  appArmor: 'docker-default', seLinux: undefined, readOnly: false, host: { network: false, pid: false, ipc: false, users: true },
  bounding: DEFAULTS, effective: [],
};

function service(yaml: string, name: string, options = OPTIONS): EffectiveContext {
  const model = parseCompose(yaml, options, 'compose.yaml');
  const found = model.containers.find((c) => c.name === name);
  assert.ok(found, `service ${name} not found`);
  return found.effective;
}

function span(text: string, needle: string, nth = 0): Span {
  let at = -1;
  for (let k = 0; k <= nth; k++) {
    at = text.indexOf(needle, at + 1);
    assert.ok(at >= 0, `"${needle}" not found`);
  }
  return { start: at, end: at + needle.length };
}

const svc = (body: string, image = 'unknown/image') => `services:\n  s:\n    image: ${image}\n${body.split('\n').filter(Boolean).map((l) => `    ${l}`).join('\n')}\n`;

interface Case { readonly name: string; readonly yaml: string; readonly expected: Partial<Summary> }

describe('compose: user and group', () => {
  const cases: Case[] = [
    { name: 'no user, image not known: uid unknown', yaml: svc(''), expected: {} },
    { name: 'no user, image with USER app', yaml: svc('', 'app:1.0'), expected: { uid: 1001, gid: 1001 } },
    { name: 'no user, image without USER: root', yaml: svc('', 'plain'), expected: { uid: 0, gid: 0, userFrom: 'default', effective: DEFAULTS } },
    { name: 'no user, numeric image USER without group', yaml: svc('', 'numeric'), expected: { uid: 999, gid: undefined } },
    { name: 'uid', yaml: svc('user: "1000"'), expected: { uid: 1000, gid: undefined, userFrom: 'service' } },
    { name: 'unquoted number', yaml: svc('user: 1000'), expected: { uid: 1000, gid: undefined, userFrom: 'service' } },
    { name: 'uid:gid', yaml: svc('user: "1000:2000"'), expected: { uid: 1000, gid: 2000, userFrom: 'service' } },
    { name: 'unquoted 0:0 is a string, root', yaml: svc('user: 0:0'), expected: { uid: 0, gid: 0, userFrom: 'service', effective: DEFAULTS } },
    { name: 'root by name', yaml: svc('user: root'), expected: { uid: 0, gid: 0, userFrom: 'service', effective: DEFAULTS } },
    { name: 'user name resolved through the image', yaml: svc('user: app', 'app'), expected: { uid: 1001, gid: 1001, userFrom: 'service' } },
    { name: 'user:group names resolved through the image', yaml: svc('user: app:app', 'app'), expected: { uid: 1001, gid: 1001, userFrom: 'service' } },
    { name: 'user name the image does not know', yaml: svc('user: nobody', 'app'), expected: { uid: undefined, gid: undefined, userFrom: 'service' } },
    { name: 'uid:group name', yaml: svc('user: "1000:staff"'), expected: { uid: 1000, gid: undefined, userFrom: 'service' } },
    { name: 'user:gid', yaml: svc('user: "nobody:65534"'), expected: { uid: undefined, gid: 65534, userFrom: 'service' } },
    { name: 'user replaces the image USER entirely', yaml: svc('user: "5000"', 'app'), expected: { uid: 5000, gid: undefined, userFrom: 'service' } },
    { name: 'user on a root image', yaml: svc('user: "5000"', 'plain'), expected: { uid: 5000, gid: undefined, userFrom: 'service' } },
    { name: 'interpolated user is unknown', yaml: svc('user: "${UID}:${GID}"', 'plain'), expected: { uid: undefined, gid: undefined, userFrom: 'service' } },
    { name: 'build-only service: the resolver is asked about its build', yaml: 'services:\n  s:\n    build: ./web\n', expected: { uid: 2000, gid: 2000 } },
    { name: 'an image that is not linked, built here: the build decides', yaml: 'services:\n  s:\n    image: ${REGISTRY}/web\n    build: ./web\n', expected: { uid: 2000, gid: 2000 } },
    { name: 'group_add: numbers counted, names left to the image', yaml: svc('group_add: [44, video, "1000"]'), expected: { groups: [44, 1000] } },
  ];
  for (const c of cases) test(c.name, () => assert.deepStrictEqual(summary(service(c.yaml, 's')), { ...BASE, ...c.expected }));

  test('provenance of a named user resolved through the image', () => {
    const yaml = svc('user: app', 'app');
    const e = service(yaml, 's');
    assert.deepStrictEqual(e.user, { value: 1001, source: 'service', field: 'user', span: span(yaml, 'user: app'), note: 'app is uid 1001 in the image (user app created in Dockerfile line 3)', name: 'app' });
  });

  test('provenance of an unknown image USER', () => {
    assert.deepStrictEqual(service(svc(''), 's').user, {
      value: undefined, source: 'image', field: 'USER', note: 'image unknown/image: root unless the image\'s USER says otherwise — enable image lookup or link its Dockerfile (image lookup is off)',
    });
  });
});

describe('compose: Dockerfiles in the workspace (the image index)', () => {
  const WEB = ['FROM debian:12', 'RUN groupadd -g 2000 web && useradd -u 2000 -g web web', 'USER web', ''].join('\n');
  const API = ['FROM debian:12 AS runtime', 'RUN groupadd -g 3000 api && useradd -u 3000 -g api api', 'USER api', 'FROM runtime AS debug', 'USER root', ''].join('\n');
  // app 1000:1000 exists, but the image runs as root.
  const TOOLS = ['FROM debian:12', 'RUN groupadd -g 1000 app && useradd -u 1000 -g app app', ''].join('\n');
  const STATIC = ['FROM gcr.io/distroless/static:nonroot', ''].join('\n');
  function workspace(): AnalysisOptions {
    const index = new ImageIndex({ roots: ['/ws'] });
    index.update('/ws/web/Dockerfile', WEB);
    index.update('/ws/api/Other.Dockerfile', API);
    index.update('/ws/tools/Dockerfile', TOOLS);
    index.update('/ws/static/Dockerfile', STATIC);
    index.update('/ws/.secctx.yaml', 'images:\n  myorg/tools: tools/Dockerfile\n  myorg/static: static/Dockerfile\n');
    return { ...DEFAULT_OPTIONS, images: index.resolver('/ws/compose.yaml') };
  }
  const run = (yaml: string): EffectiveContext => {
    const model = parseCompose(yaml, workspace(), '/ws/compose.yaml');
    assert.deepStrictEqual(model.problems, []);
    return model.containers[0].effective;
  };
  const pick = (e: EffectiveContext) => ({ user: e.user, group: e.group });
  const image = (note: string) => ({ source: 'image' as const, field: 'USER', note });
  /** A user set by a USER instruction: the provenance names its Dockerfile line. */
  const user = (note: string, path: string, line: number) => ({ ...image(note), elsewhere: { path, line } });

  test('build-only service, short form: the USER of the Dockerfile in the context', () => {
    const webNote = 'user web (uid 2000, gid 2000) created in Dockerfile line 2, via build web/Dockerfile';
    assert.deepStrictEqual(pick(run('services:\n  s:\n    build: ./web\n')), { user: { value: 2000, ...user(webNote, '/ws/web/Dockerfile', 3), name: 'web' }, group: { value: 2000, ...user(webNote, '/ws/web/Dockerfile', 3) } });
  });

  test('build-only service, long form: its dockerfile and target stage', () => {
    const note = 'user api (uid 3000, gid 3000) created in Dockerfile line 2 (stage runtime), via build api/Other.Dockerfile';
    const yaml = 'services:\n  s:\n    build:\n      context: ./api\n      dockerfile: Other.Dockerfile\n      target: runtime\n';
    assert.deepStrictEqual(pick(run(yaml)), { user: { value: 3000, ...user(note, '/ws/api/Other.Dockerfile', 3), name: 'api' }, group: { value: 3000, ...user(note, '/ws/api/Other.Dockerfile', 3) } });
  });

  test('builds that cannot be followed leave the user unknown', () => {
    const unknown = 'the USER of the built image is not known (no Dockerfile in the workspace builds it)';
    for (const build of ['https://github.com/example/app.git', './missing', '${CONTEXT}', '{ context: ./web, dockerfile_inline: "FROM scratch" }']) {
      assert.deepStrictEqual(pick(run(`services:\n  s:\n    build: ${build}\n`)), { user: { value: undefined, ...image(unknown) }, group: { value: undefined, ...image(unknown) } }, build);
    }
  });

  test('user: "1000" takes its primary group from the image\'s /etc/passwd (Docker GetExecUser)', () => {
    const yaml = 'services:\n  s:\n    image: myorg/tools\n    user: "1000"\n';
    assert.deepStrictEqual(run(yaml).group, {
      value: 1000, source: 'service', field: 'user', span: span(yaml, 'user: "1000"'),
      note: 'the primary group of uid 1000 in the image\'s /etc/passwd: user app (uid 1000, gid 1000) created in Dockerfile line 2, via .secctx.yaml',
    });
  });

  test('a uid an image with every account known does not have: gid 0', () => {
    const yaml = 'services:\n  s:\n    image: myorg/static\n    user: "1234"\n';
    assert.deepStrictEqual(run(yaml).group, {
      value: 0, source: 'service', field: 'user', span: span(yaml, 'user: "1234"'),
      note: 'no entry for uid 1234 in the image\'s /etc/passwd (all its accounts are known), via .secctx.yaml: gid 0',
    });
  });
});

describe('compose: capabilities (Docker arithmetic)', () => {
  const without = (...names: string[]) => ALL_CAPABILITIES.filter((c) => !names.includes(c));
  const cases: Case[] = [
    { name: 'add ALL, drop MKNOD: everything but MKNOD', yaml: svc('cap_add: [ALL]\ncap_drop: [MKNOD]'), expected: { bounding: without('MKNOD') } },
    { name: 'add ALL wins over drop ALL', yaml: svc('cap_add: [ALL]\ncap_drop: [ALL]'), expected: { bounding: [...ALL_CAPABILITIES] } },
    { name: 'drop ALL then add: only the adds', yaml: svc('cap_drop: [ALL]\ncap_add: [NET_BIND_SERVICE]'), expected: { bounding: ['NET_BIND_SERVICE'] } },
    { name: 'lower case and CAP_ prefix (Falco compose)', yaml: svc('cap_drop: [all]\ncap_add: [sys_admin, CAP_SYS_PTRACE]'), expected: { bounding: ['SYS_PTRACE', 'SYS_ADMIN'] } },
    { name: 'defaults − drop + add', yaml: svc('cap_drop: [NET_RAW]\ncap_add: [NET_ADMIN]'), expected: { bounding: sortCapabilities([...DEFAULTS.filter((c) => c !== 'NET_RAW'), 'NET_ADMIN']) } },
    { name: 'add wins over drop of the same capability', yaml: svc('cap_drop: [CHOWN]\ncap_add: [CHOWN]'), expected: { bounding: DEFAULTS } },
    { name: 'root: effective = bounding', yaml: svc('user: "0"\ncap_drop: [ALL]\ncap_add: [CHOWN]'), expected: { uid: 0, gid: 0, userFrom: 'service', bounding: ['CHOWN'], effective: ['CHOWN'] } },
    { name: 'non-root: no effective capabilities', yaml: svc('user: "1000:1000"\ncap_add: [NET_ADMIN]'), expected: { uid: 1000, gid: 1000, userFrom: 'service', bounding: sortCapabilities([...DEFAULTS, 'NET_ADMIN']), effective: [] } },
    {
      name: 'privileged: every capability, cap_drop ignored; no seccomp, AppArmor, SELinux labels',
      yaml: svc('privileged: true\ncap_drop: [ALL]'),
      expected: { privileged: true, bounding: [...ALL_CAPABILITIES], seccomp: 'unconfined', appArmor: 'unconfined', seLinux: 'disable' },
    },
    { name: 'privileged: "false" string is false', yaml: svc('privileged: "false"'), expected: {} },
    { name: 'privileged under build: is a build setting, not the service', yaml: 'services:\n  s:\n    image: unknown/image\n    build:\n      context: .\n      privileged: true\n', expected: {} },
  ];
  for (const c of cases) test(c.name, () => assert.deepStrictEqual(summary(service(c.yaml, 's')), { ...BASE, ...c.expected }));

  test('added, dropped and provenance', () => {
    const yaml = svc('cap_add:\n  - ALL\ncap_drop:\n  - NET_ADMIN\n  - sys_admin');
    const caps = service(yaml, 's').capabilities;
    assert.deepStrictEqual(caps && { added: caps.added, dropped: caps.dropped, provenance: caps.provenance }, {
      added: ['ALL'],
      dropped: ['NET_ADMIN', 'SYS_ADMIN'],
      provenance: { source: 'service', field: 'cap_add, cap_drop', span: span(yaml, 'ALL'), note: 'add ALL: every capability except NET_ADMIN, SYS_ADMIN' },
    });
  });
});

describe('compose: security_opt, read_only, namespaces', () => {
  const cases: Case[] = [
    { name: 'no-new-privileges', yaml: svc('security_opt: [no-new-privileges]'), expected: { noNewPrivileges: true } },
    { name: 'no-new-privileges:true', yaml: svc('security_opt: ["no-new-privileges:true"]'), expected: { noNewPrivileges: true } },
    { name: 'no-new-privileges=true', yaml: svc('security_opt: ["no-new-privileges=true"]'), expected: { noNewPrivileges: true } },
    { name: 'no-new-privileges:false', yaml: svc('security_opt: ["no-new-privileges:false"]'), expected: { noNewPrivileges: false } },
    { name: 'seccomp=unconfined', yaml: svc('security_opt: [seccomp=unconfined]'), expected: { seccomp: 'unconfined' } },
    { name: 'seccomp:unconfined (old colon form)', yaml: svc('security_opt: ["seccomp:unconfined"]'), expected: { seccomp: 'unconfined' } },
    { name: 'seccomp profile file', yaml: svc('security_opt: [seccomp=./profile.json]'), expected: { seccomp: './profile.json' } },
    { name: 'apparmor=unconfined', yaml: svc('security_opt: [apparmor=unconfined]'), expected: { appArmor: 'unconfined' } },
    { name: 'label=disable', yaml: svc('security_opt: [label=disable]'), expected: { seLinux: 'disable' } },
    { name: 'label:disable', yaml: svc('security_opt: ["label:disable"]'), expected: { seLinux: 'disable' } },
    { name: 'read_only', yaml: svc('read_only: true'), expected: { readOnly: true } },
    { name: 'read_only from a variable: unknown, assumed false', yaml: svc('read_only: ${RO}'), expected: { readOnly: false } },
    { name: 'network_mode: host', yaml: svc('network_mode: host'), expected: { host: { ...BASE.host, network: true } } },
    { name: 'pid: host disables SELinux labels', yaml: svc('pid: "host"'), expected: { host: { ...BASE.host, pid: true }, seLinux: 'disable' } },
    { name: 'ipc: host', yaml: svc('ipc: host'), expected: { host: { ...BASE.host, ipc: true }, seLinux: 'disable' } },
    { name: 'userns_mode: host', yaml: svc('userns_mode: host'), expected: {} },
    { name: 'network_mode: bridge', yaml: svc('network_mode: bridge'), expected: {} },
  ];
  for (const c of cases) test(c.name, () => assert.deepStrictEqual(summary(service(c.yaml, 's')), { ...BASE, ...c.expected }));

  test('network_mode service:x follows x to the host network', () => {
    const yaml = 'services:\n  a:\n    image: x\n    network_mode: host\n  b:\n    image: x\n    network_mode: "service:a"\n  c:\n    image: x\n    network_mode: service:b\n  d:\n    image: x\n    network_mode: "container:other"\n';
    const model = parseCompose(yaml, OPTIONS, 'compose.yaml');
    assert.deepStrictEqual(model.containers.map((c) => [c.name, c.effective.hostNetwork.value, c.effective.hostNetwork.note]), [
      ['a', true, undefined],
      ['b', true, 'joins service a, which uses the host namespace'],
      ['c', true, 'joins service b, which uses the host namespace'],
      ['d', false, 'joins container other, whose namespace is not known'],
    ]);
  });

  test('Compose v1: services at the top level, `net: host`', () => {
    const yaml = 'vpn:\n  build: .\n  net: host\n  cap_add:\n    - NET_ADMIN\n';
    assert.deepStrictEqual(summary(service(yaml, 'vpn')), { ...BASE, host: { ...BASE.host, network: true }, bounding: sortCapabilities([...DEFAULTS, 'NET_ADMIN']) });
  });
});

describe('compose: settings as written, with spans', () => {
  test('one service: every setting, key spans and value spans', () => {
    const yaml = [
      'services:',
      '  api:',
      '    image: app:1.0',
      '    user: "1000:1000"',
      '    cap_add: [NET_ADMIN]',
      '    devices:',
      '      - /dev/fuse',
      '      - source: /dev/sda',
      '        target: /dev/xvda',
      '        permissions: r',
      '    sysctls:',
      '      net.core.somaxconn: 1024',
      '    security_opt:',
      '      - no-new-privileges:true',
      '',
    ].join('\n');
    const api = parseCompose(yaml, OPTIONS, 'compose.yaml').containers[0];
    const value = (needle: string) => span(yaml, needle);
    assert.deepStrictEqual({ name: api.name, nameSpan: api.nameSpan, image: api.image, settings: api.settings }, {
      name: 'api',
      nameSpan: value('api'),
      image: { field: 'image', raw: 'app:1.0', value: 'app:1.0', span: value('image: app:1.0'), valueSpan: value('app:1.0') },
      settings: {
        user: { field: 'user', raw: '1000:1000', value: '1000:1000', span: value('user: "1000:1000"'), valueSpan: value('"1000:1000"') },
        capAdd: [{ field: 'cap_add', raw: 'NET_ADMIN', value: 'NET_ADMIN', span: value('NET_ADMIN'), valueSpan: value('NET_ADMIN') }],
        capDrop: [],
        devices: [
          { field: 'devices', raw: '/dev/fuse', value: '/dev/fuse', span: value('/dev/fuse'), valueSpan: value('/dev/fuse') },
          {
            field: 'devices', raw: '/dev/sda:/dev/xvda:r', value: '/dev/sda:/dev/xvda:r',
            span: { start: value('source').start, end: value('permissions: r').end }, valueSpan: { start: value('source').start, end: value('permissions: r').end },
          },
        ],
        securityOpt: [{ field: 'security_opt', raw: 'no-new-privileges:true', value: 'no-new-privileges:true', span: value('no-new-privileges:true'), valueSpan: value('no-new-privileges:true') }],
        groupAdd: [],
        sysctls: [{ field: 'sysctls', raw: 'net.core.somaxconn=1024', value: 'net.core.somaxconn=1024', span: value('net.core.somaxconn: 1024'), valueSpan: value('1024') }],
        mounts: [],
      },
    });
  });

  test('sysctls as a list', () => {
    const yaml = svc('sysctls:\n  - net.ipv4.ip_forward=1');
    assert.deepStrictEqual(parseCompose(yaml, OPTIONS, 'compose.yaml').containers[0].settings.sysctls.map((s) => s.value), ['net.ipv4.ip_forward=1']);
  });

  test('$$ is a literal dollar, ${VAR} is unknown', () => {
    const yaml = svc('cap_add: ["$$NOT_A_VAR", "${CAP}"]');
    assert.deepStrictEqual(parseCompose(yaml, OPTIONS, 'compose.yaml').containers[0].settings.capAdd.map((s) => [s.raw, s.value]), [['$$NOT_A_VAR', '$NOT_A_VAR'], ['${CAP}', undefined]]);
  });
});

describe('compose: extends and merge keys', () => {
  const yaml = [
    'x-hardening: &hardening',
    '  read_only: true',
    '  security_opt: [no-new-privileges]',
    'services:',
    '  base:',
    '    image: app',
    '    user: "1000"',
    '    cap_drop: [ALL]',
    '    cap_add: [CHOWN]',
    '    devices: ["/dev/sda:/dev/xvda"]',
    '  web:',
    '    <<: *hardening',
    '    extends: base',
    '    user: "2000"',
    '    cap_add: [NET_BIND_SERVICE, CHOWN]',
    '    devices: ["/dev/sdb:/dev/xvda"]',
    '  worker:',
    '    extends:',
    '      service: web',
    '    read_only: false',
    '',
  ].join('\n');
  const model = parseCompose(yaml, OPTIONS, 'compose.yaml');
  const byName = (n: string) => {
    const c = model.containers.find((x) => x.name === n);
    assert.ok(c);
    return c;
  };

  test('sequences are appended (one entry per capability, per device target), scalars overridden, merge keys fill in', () => {
    assert.deepStrictEqual(summary(byName('web').effective), {
      ...BASE, uid: 2000, userFrom: 'service', readOnly: true, noNewPrivileges: true, bounding: ['CHOWN', 'NET_BIND_SERVICE'],
    });
    const s = byName('web').settings;
    assert.deepStrictEqual({
      capAdd: s.capAdd.map((c) => [c.value, c.inheritedFrom]),
      capDrop: s.capDrop.map((c) => [c.value, c.inheritedFrom]),
      devices: s.devices.map((c) => [c.value, c.inheritedFrom]),
      user: [s.user?.value, s.user?.inheritedFrom],
      image: byName('web').image?.inheritedFrom,
    }, {
      capAdd: [['NET_BIND_SERVICE', undefined], ['CHOWN', undefined]],
      capDrop: [['ALL', 'base']],
      devices: [['/dev/sdb:/dev/xvda', undefined]],
      user: ['2000', undefined],
      image: 'base',
    });
  });

  test('extends chains: worker inherits from web, which inherits from base', () => {
    assert.deepStrictEqual(summary(byName('worker').effective), {
      ...BASE, uid: 2000, userFrom: 'service', readOnly: false, noNewPrivileges: true, bounding: ['CHOWN', 'NET_BIND_SERVICE'],
    });
    assert.deepStrictEqual(byName('worker').effective.allowPrivilegeEscalation, {
      value: false, source: 'service', field: 'security_opt', span: span(yaml, 'no-new-privileges'), note: 'inherited from service web',
    });
    assert.deepStrictEqual(model.problems, []);
  });

  test('what extends cannot follow is reported, not thrown', () => {
    const bad = 'services:\n  a:\n    extends: missing\n  b:\n    extends: c\n  c:\n    extends: b\n';
    assert.deepStrictEqual(parseCompose(bad, OPTIONS, 'compose.yaml').problems.map((p) => p.message), [
      'extends names service missing, which is not in this file',
      'extends forms a cycle: b → c → b',
    ]);
  });

  describe('extends from another file: valid Compose, not read; what it may set is said so', () => {
    const text = [
      'services:',
      '  web:',
      '    extends:',
      '      file: common.yml',
      '      service: base',
      '    image: app',
      '    cap_drop: [NET_RAW]',
      '    security_opt: [no-new-privileges]',
      '  worker:',
      '    extends: web',
      '    read_only: true',
      '',
    ].join('\n');
    const model = parseCompose(text, OPTIONS, 'compose.yaml');
    const may = 'may be set by service base in common.yml (not read)';
    const effective = (name: string) => {
      const c = model.containers.find((x) => x.name === name);
      assert.ok(c);
      return c.effective;
    };

    test('no problem is reported', () => assert.deepStrictEqual(model.problems, []));

    test('values this file sets are certain; the others say they may come from the other file', () => {
      const e = effective('web');
      assert.deepStrictEqual({ user: e.user, privileged: e.privileged, readOnly: e.readOnlyRootFilesystem, nnp: e.allowPrivilegeEscalation, capabilities: e.capabilities?.provenance }, {
        user: { value: 1001, source: 'image', field: 'USER', note: `user app created in Dockerfile line 3; ${may}`, name: 'app' },
        privileged: { value: false, source: 'default', note: may },
        readOnly: { value: false, source: 'default', note: may },
        nnp: { value: false, source: 'service', field: 'security_opt', span: span(text, 'no-new-privileges') },
        capabilities: { source: 'service', field: 'cap_drop', span: span(text, 'NET_RAW'), note: 'Docker\'s default set − NET_RAW; service base in common.yml (not read) may add to cap_add and cap_drop' },
      });
    });

    test('a service extending it in this file inherits the uncertainty', () => {
      const e = effective('worker');
      assert.deepStrictEqual({ privileged: e.privileged, readOnly: e.readOnlyRootFilesystem }, {
        privileged: { value: false, source: 'default', note: may },
        readOnly: { value: true, source: 'service', field: 'read_only', span: span(text, 'read_only: true') },
      });
    });
  });
});

describe('compose: robustness', () => {
  const inputs: { name: string; text: string; services: string[] }[] = [
    { name: 'empty', text: '', services: [] },
    { name: 'not a mapping', text: '- a\n- b\n', services: [] },
    { name: 'services is a list', text: 'services:\n  - a\n', services: [] },
    { name: 'service body is a scalar', text: 'services:\n  a: nginx\n', services: ['a'] },
    { name: 'unterminated flow', text: 'services:\n  a:\n    cap_add: [NET_ADMIN\n', services: ['a'] },
    { name: 'tabs and bad indentation', text: 'services:\n\ta:\n  b:\n    user: [1, 2]\n', services: [] },
    { name: 'alias to a missing anchor', text: 'services:\n  a:\n    <<: *nothing\n    image: x\n', services: ['a'] },
    { name: 'recursive alias', text: 'x: &a [*a]\nservices:\n  s:\n    cap_add: *a\n', services: ['s'] },
    { name: 'null values', text: 'services:\n  a:\n    user:\n    cap_add:\n    privileged:\n', services: ['a'] },
    { name: 'x- entries under services are not services', text: 'services:\n  x-common: {}\n  a: {}\n', services: ['a'] },
  ];
  for (const { name, text, services } of inputs) {
    test(name, () => {
      const model: DockerFileModel = parseCompose(text, OPTIONS, 'compose.yaml');
      assert.deepStrictEqual(model.containers.map((c) => c.name).filter((n) => services.includes(n)), services);
    });
  }
});

describe('compose: hover', () => {
  const yaml = svc('user: "1000"\ncap_add: [SYS_ADMIN]\ncap_drop: [NET_RAW]', 'app');
  const model = parseCompose(yaml, OPTIONS, 'compose.yaml');

  test('on a capability in cap_add: its description, risk and whether Docker grants it by default', () => {
    assert.deepStrictEqual(dockerHover(model, span(yaml, 'SYS_ADMIN').start + 2), [
      '**CAP_SYS_ADMIN** (capability 21)',
      '',
      'A catch-all for system administration: mount, namespaces, quotas, and much more.',
      '',
      'Risk: Close to root on the node: mount filesystems, use many namespace and device operations; the basis of several container escapes.',
      '',
      'Docker grants it by default: no.',
      'This container has it in its bounding set, not in its effective set.',
    ].join('\n'));
  });

  test('on a dropped default capability', () => {
    assert.deepStrictEqual(dockerHover(model, span(yaml, 'NET_RAW').start), [
      '**CAP_NET_RAW** (capability 13)',
      '',
      'Use raw and packet sockets.',
      '',
      'Risk: Allows packet crafting and ARP/DNS spoofing against other pods on the same network.',
      '',
      'Docker grants it by default: yes.',
      'This container does not have it.',
    ].join('\n'));
  });

  test('on the service: the effective context with where each value came from', () => {
    const card = dockerHover(model, span(yaml, '  s:').start + 2);
    assert.ok(card);
    const rows = card.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| |'));
    assert.deepStrictEqual(rows.slice(0, 3), [
      '| user | uid 1000 | `user` (service) |',
      '| group | unknown | `user` (service) — the user\'s primary group in the image\'s /etc/passwd (gid 0 when it has no entry) |',
      '| supplementary groups | none | Docker default — plus the user\'s groups in the image\'s /etc/group |',
    ]);
    assert.deepStrictEqual(card.split('\n')[0], '**Compose service `s`** · image `app`');
  });

  test('outside any service: nothing', () => {
    assert.deepStrictEqual(dockerHover(model, 0), undefined);
  });
});

describe('compose: file names', () => {
  const names: [string, boolean][] = [
    ['compose.yaml', true], ['compose.yml', true], ['docker-compose.yml', true], ['docker-compose.yaml', true],
    ['deploy/compose.override.yaml', true], ['docker-compose.prod.yml', true], ['compose.dev.yml', true],
    ['composer.yaml', false], ['my-compose.yaml', false], ['compose.json', false], ['docker-compose.yml.bak', false],
  ];
  for (const [name, expected] of names) test(name, () => assert.deepStrictEqual(isComposeFileName(name), expected));
});

describe('compose: the corpus', () => {
  const walk = (dir: string): string[] => readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
  test('every Compose file parses without throwing, with the services it declares', { skip: !statSync(CORPUS, { throwIfNoEntry: false }) }, () => {
    const counts: Record<string, number> = {};
    for (const file of walk(CORPUS)) {
      if (!/\.ya?ml$/.test(file)) continue;
      const text = readFileSync(file, 'utf8');
      if (!isComposeFileName(file) && !/^services:/m.test(text)) continue;
      const model = parseCompose(text, OPTIONS, file);
      counts[file.slice(CORPUS.length + 1)] = model.containers.length;
    }
    assert.deepStrictEqual(counts, {
      'aquasecurity__tracee/performance/dashboard/docker-compose.yml': 4,
      'blakeblackshear__frigate/docker-compose.yml': 2,
      'containrrr__watchtower/docker-compose.yml': 5,
      'containrrr__watchtower/dockerfiles/container-networking/docker-compose.yml': 2,
      'docker-mailserver__docker-mailserver/compose.yaml': 1,
      'docker__awesome-compose/pihole-cloudflared-DoH/compose.yaml': 2,
      'docker__awesome-compose/plex/compose.yaml': 1,
      'docker__awesome-compose/portainer/compose.yaml': 1,
      'docker__awesome-compose/wireguard/compose.yaml': 1,
      'docker__cli/cli/compose/loader/full-example.yml': 1,
      'docker__cli/e2e/compose-env.yaml': 4,
      'docker__compose/pkg/e2e/fixtures/build-test/entitlements/compose.yaml': 1,
      'docker__compose/pkg/e2e/fixtures/build-test/privileged/compose.yaml': 1,
      'falcosecurity__falco/docker/docker-compose/docker-compose.yaml': 4,
      'jessfraz__dockerfiles/openvpn/docker-compose.yml': 1,
      'jitsi__docker-jitsi-meet/docker-compose.yml': 4,
      'jitsi__docker-jitsi-meet/jibri.yml': 1,
      'mattermost__docker/docker-compose.nginx.yml': 2,
      'mattermost__docker/docker-compose.yml': 2,
      'moby__buildkit/hack/composefiles/compose.yaml': 5,
      'nginx-proxy__nginx-proxy/docker-compose.yml': 2,
      'open-telemetry__opentelemetry-demo/compose.profiling.yaml': 2,
      'open-telemetry__opentelemetry-demo/compose.yaml': 20,
    });
  });

  test('real-world settings read as Docker reads them', { skip: !statSync(CORPUS, { throwIfNoEntry: false }) }, () => {
    const read = (path: string, name: string) => {
      const model = parseCompose(readFileSync(join(CORPUS, path), 'utf8'), OPTIONS, path);
      const c = model.containers.find((x) => x.name === name);
      assert.ok(c, `${path}: ${name}`);
      return summary(c.effective);
    };
    assert.deepStrictEqual({
      falco: read('falcosecurity__falco/docker/docker-compose/docker-compose.yaml', 'falco').bounding,
      fullExample: read('docker__cli/cli/compose/loader/full-example.yml', 'foo').privileged,
      buildPrivileged: read('docker__compose/pkg/e2e/fixtures/build-test/privileged/compose.yaml', 'privileged-service').privileged,
      engine: read('docker__cli/e2e/compose-env.yaml', 'engine').privileged,
      otelCollector: read('open-telemetry__opentelemetry-demo/compose.yaml', 'otel-collector').uid,
      profiler: read('open-telemetry__opentelemetry-demo/compose.profiling.yaml', 'otel-ebpf-profiler').host.pid,
      plex: read('docker__awesome-compose/plex/compose.yaml', 'plex').host.network,
      mattermostReadOnly: read('mattermost__docker/docker-compose.yml', 'mattermost').readOnly,
      postgresNoNewPrivileges: read('mattermost__docker/docker-compose.yml', 'postgres').noNewPrivileges,
    }, {
      falco: ['SYS_PTRACE', 'SYS_ADMIN', 'SYS_RESOURCE'],
      fullExample: true,
      buildPrivileged: false,
      engine: true,
      otelCollector: 0,
      profiler: true,
      plex: true,
      mattermostReadOnly: false,
      postgresNoNewPrivileges: true,
    });
  });
});
