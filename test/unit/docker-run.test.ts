/**
 * `docker run` command lines with Docker's flag parsing, table-driven: `=` and separate values,
 * grouped short flags, quotes, `\` continuations, variables, flags after the image, prefixes
 * (sudo, docker container run, podman), shell structure (comments, here-documents, `$(...)`,
 * quoted assignments), Makefile recipes and Markdown console blocks; spans; hovers; the corpus.
 */
import { sharedPath } from '../support/shared';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ALL_CAPABILITIES, RUNTIME_DEFAULTS, sortCapabilities } from '../../server/src/engine/capabilities';
import { dockerRunHostKind, isDockerRunHost } from '../../server/src/engine/docker/detect';
import { dockerHover } from '../../server/src/engine/docker/hover';
import type { DockerRunCommand } from '../../server/src/engine/docker/model';
import { parseDockerRuns } from '../../server/src/engine/docker/run';
import { Analyzer } from '../../server/src/engine/analyze';
import type { EffectiveContext } from '../../server/src/engine/effective';
import { DEFAULT_OPTIONS, type AnalysisOptions } from '../../server/src/engine/options';
import type { Span } from '../../server/src/engine/types';

const CORPUS = sharedPath('corpus');
const DEFAULTS = sortCapabilities(RUNTIME_DEFAULTS.docker);
/** `nginx` is built in the workspace without a USER (root); other images are not known. */
const OPTIONS: AnalysisOptions = {
  ...DEFAULT_OPTIONS,
  images: (image) => (image.split(':')[0] === 'nginx' ? { note: 'no USER in Dockerfile', dockerfile: 'Dockerfile' } : undefined),
};

function commands(text: string, file = 'run.sh'): DockerRunCommand[] {
  return parseDockerRuns(text, file, OPTIONS).containers.flatMap((c) => (c.kind === 'docker-run' ? [c] : []));
}

function only(text: string, file = 'run.sh'): DockerRunCommand {
  const found = commands(text, file);
  assert.deepStrictEqual(found.length, 1, `expected one command in ${JSON.stringify(text)}`);
  return found[0];
}

function summary(e: EffectiveContext) {
  return {
    uid: e.user.value,
    gid: e.group.value,
    privileged: e.privileged.value,
    noNewPrivileges: !e.allowPrivilegeEscalation.value,
    seccomp: e.seccomp.value,
    readOnly: e.readOnlyRootFilesystem.value,
    host: { network: e.hostNetwork.value, pid: e.hostPID.value, ipc: e.hostIPC.value, users: e.hostUsers.value },
    groups: e.supplementalGroups.value,
    bounding: e.capabilities?.bounding,
    effective: e.capabilities?.effective,
  };
}
type Summary = ReturnType<typeof summary>;

/** `nginx` (root) with Docker's defaults. */
const ROOT: Summary = {
  uid: 0, gid: 0, privileged: false, noNewPrivileges: false, seccomp: 'docker-default', readOnly: false,
  host: { network: false, pid: false, ipc: false, users: true }, groups: [], bounding: DEFAULTS, effective: DEFAULTS,
};

function span(text: string, needle: string, nth = 0): Span {
  let at = -1;
  for (let k = 0; k <= nth; k++) {
    at = text.indexOf(needle, at + 1);
    assert.ok(at >= 0, `"${needle}" not found`);
  }
  return { start: at, end: at + needle.length };
}

interface Case { readonly name: string; readonly line: string; readonly image: string; readonly expected: Partial<Summary> }

describe('docker run: flags as Docker reads them', () => {
  const all = (...but: string[]) => ALL_CAPABILITIES.filter((c) => !but.includes(c));
  const cases: Case[] = [
    { name: 'README: --cap-add=ALL --cap-drop=MKNOD', line: 'docker run --cap-add=ALL --cap-drop=MKNOD nginx', image: 'nginx', expected: { bounding: all('MKNOD'), effective: all('MKNOD') } },
    { name: 'separate values', line: 'docker run --cap-drop ALL --cap-add NET_BIND_SERVICE nginx', image: 'nginx', expected: { bounding: ['NET_BIND_SERVICE'], effective: ['NET_BIND_SERVICE'] } },
    { name: 'quoted lower-case value (cAdvisor)', line: 'docker run --cap-add="sys_admin" nginx', image: 'nginx', expected: { bounding: sortCapabilities([...DEFAULTS, 'SYS_ADMIN']), effective: sortCapabilities([...DEFAULTS, 'SYS_ADMIN']) } },
    { name: '-u uid:gid', line: 'docker run -u 1000:1000 nginx', image: 'nginx', expected: { uid: 1000, gid: 1000, effective: [] } },
    { name: '--user=name', line: 'docker run --user=root nginx', image: 'nginx', expected: {} },
    { name: 'grouped short flags -itu 1000', line: 'docker run -itu 1000 nginx', image: 'nginx', expected: { uid: 1000, gid: undefined, effective: [] } },
    { name: 'attached short value -u1000', line: 'docker run -u1000 --rm nginx', image: 'nginx', expected: { uid: 1000, gid: undefined, effective: [] } },
    { name: '-u=1000', line: 'docker run -u=1000 nginx', image: 'nginx', expected: { uid: 1000, gid: undefined, effective: [] } },
    { name: 'variables make the user unknown', line: 'docker run --user "$(id -u):$(id -g)" nginx', image: 'nginx', expected: { uid: undefined, gid: undefined, effective: [] } },
    { name: '$UID is unknown', line: 'docker run -u $UID nginx', image: 'nginx', expected: { uid: undefined, gid: undefined, effective: [] } },
    { name: '--privileged', line: 'docker run --privileged --cap-drop ALL nginx', image: 'nginx', expected: { privileged: true, seccomp: 'unconfined', bounding: [...ALL_CAPABILITIES], effective: [...ALL_CAPABILITIES] } },
    { name: '--privileged=false', line: 'docker run --privileged=false nginx', image: 'nginx', expected: {} },
    { name: 'flags after the image belong to the command', line: 'docker run nginx --privileged -u 1000 --cap-add ALL', image: 'nginx', expected: {} },
    { name: 'values that look like images are values: -e, -v, --name, -w', line: 'docker run -e A=1 -v /a:/b --name web -w /x -p 80:80 nginx', image: 'nginx', expected: {} },
    { name: 'unknown flags take no value', line: 'docker run --some-new-flag nginx', image: 'nginx', expected: {} },
    { name: '-- ends the options', line: 'docker run --rm -- nginx -u 1', image: 'nginx', expected: {} },
    { name: '--read-only', line: 'docker run --read-only nginx', image: 'nginx', expected: { readOnly: true } },
    { name: 'no-new-privileges', line: 'docker run --security-opt no-new-privileges nginx', image: 'nginx', expected: { noNewPrivileges: true } },
    { name: 'no-new-privileges=true', line: 'docker run --security-opt=no-new-privileges=true nginx', image: 'nginx', expected: { noNewPrivileges: true } },
    { name: 'seccomp:unconfined (.dockerfunc)', line: 'docker run --security-opt seccomp:unconfined nginx', image: 'nginx', expected: { seccomp: 'unconfined' } },
    { name: '--net=host', line: 'docker run --net=host nginx', image: 'nginx', expected: { host: { ...ROOT.host, network: true } } },
    { name: '--network host, --pid=host, --ipc host', line: 'docker run --network host --pid=host --ipc host nginx', image: 'nginx', expected: { host: { network: true, pid: true, ipc: true, users: true } } },
    { name: '--network container:x is not the host', line: 'docker run --network container:vpn nginx', image: 'nginx', expected: {} },
    { name: '--userns=host', line: 'docker run --userns=host nginx', image: 'nginx', expected: {} },
    { name: '--group-add', line: 'docker run --group-add 44 --group-add audio nginx', image: 'nginx', expected: { groups: [44] } },
    { name: 'sudo docker run', line: 'sudo -E docker run -u 5 nginx', image: 'nginx', expected: { uid: 5, gid: undefined, effective: [] } },
    { name: 'docker container run', line: 'docker container run --cap-drop=ALL nginx', image: 'nginx', expected: { bounding: [], effective: [] } },
    { name: 'docker create', line: 'docker create --read-only nginx', image: 'nginx', expected: { readOnly: true } },
    { name: 'podman run', line: 'podman run --rm -d --userns=keep-id nginx', image: 'nginx', expected: { host: { ...ROOT.host, users: false } } },
    { name: 'global options before run', line: 'docker -H tcp://h:2375 --context prod run --privileged nginx', image: 'nginx', expected: { privileged: true, seccomp: 'unconfined', bounding: [...ALL_CAPABILITIES], effective: [...ALL_CAPABILITIES] } },
    { name: 'path to the binary, env prefix', line: 'FOO=1 /usr/bin/docker run -u 7 nginx', image: 'nginx', expected: { uid: 7, gid: undefined, effective: [] } },
    { name: 'image with a tag and registry', line: 'docker run --rm nginx:1.27', image: 'nginx:1.27', expected: {} },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const cmd = only(c.line + '\n');
      assert.deepStrictEqual({ image: cmd.name, ...summary(cmd.effective) }, { image: c.image, ...ROOT, ...c.expected });
    });
  }
});

describe('docker run: settings as written, with spans', () => {
  test('grouped flags, = values and quoted values', () => {
    const line = 'docker run -itu 1000 --cap-add=NET_ADMIN --device "/dev/fuse" --sysctl net.ipv4.ip_forward=1 img arg\n';
    const cmd = only(line);
    assert.deepStrictEqual({ command: cmd.command, engine: cmd.engine, nameSpan: cmd.nameSpan, span: cmd.span, image: cmd.image, settings: cmd.settings }, {
      command: 'docker run',
      engine: 'docker',
      nameSpan: span(line, 'docker run'),
      span: { start: 0, end: line.length - 1 },
      image: { field: 'image', raw: 'img', value: 'img', span: span(line, 'img'), valueSpan: span(line, 'img') },
      settings: {
        user: { field: '-u', raw: '1000', value: '1000', span: span(line, 'u 1000'), valueSpan: span(line, '1000') },
        capAdd: [{ field: '--cap-add', raw: 'NET_ADMIN', value: 'NET_ADMIN', span: span(line, '--cap-add=NET_ADMIN'), valueSpan: span(line, 'NET_ADMIN') }],
        capDrop: [],
        devices: [{ field: '--device', raw: '/dev/fuse', value: '/dev/fuse', span: span(line, '--device "/dev/fuse"'), valueSpan: span(line, '/dev/fuse') }],
        securityOpt: [],
        groupAdd: [],
        sysctls: [{ field: '--sysctl', raw: 'net.ipv4.ip_forward=1', value: 'net.ipv4.ip_forward=1', span: span(line, '--sysctl net.ipv4.ip_forward=1'), valueSpan: span(line, 'net.ipv4.ip_forward=1') }],
        mounts: [],
      },
    });
  });

  test('continuations: one command over several lines', () => {
    const text = 'docker run --rm \\\n  --cap-add NET_ADMIN \\\n\t--user 1000 \\\n  nginx \\\n  sh -c "echo hi"\necho done\n';
    const cmd = only(text);
    assert.deepStrictEqual({ image: cmd.name, user: cmd.settings.user?.span, caps: cmd.effective.capabilities?.added, span: cmd.span }, {
      image: 'nginx', user: span(text, '--user 1000'), caps: ['NET_ADMIN'], span: { start: 0, end: span(text, '"echo hi"').end },
    });
  });

  test('an expansion where options go may hold more flags (cAdvisor, Dashboard)', () => {
    const text = 'docker run --rm \\\n  ${EXTRA_DOCKER_OPTS} \\\n  --privileged \\\n  "${BOOTSTRAP_IMAGE}" \\\n  bash -c "$CMD"\ndocker run ${DOCKER_RUN_OPTS} ${IMAGE_NAME} "$@"\n';
    assert.deepStrictEqual(commands(text).map((c) => ({ image: c.name, opaque: c.opaque.map((o) => o.raw), privileged: c.effective.privileged.value })), [
      { image: '${BOOTSTRAP_IMAGE}', opaque: ['${EXTRA_DOCKER_OPTS}'], privileged: true },
      { image: '${IMAGE_NAME}', opaque: ['${DOCKER_RUN_OPTS}'], privileged: false },
    ]);
  });

  test('the provenance of a flag', () => {
    const line = 'docker run --security-opt seccomp=unconfined nginx\n';
    assert.deepStrictEqual(only(line).effective.seccomp, { value: 'unconfined', source: 'flag', field: '--security-opt', span: span(line, '--security-opt seccomp=unconfined') });
  });
});

describe('docker run: where command lines are', () => {
  const cases: { name: string; text: string; file?: string; images: string[] }[] = [
    { name: 'commands after ; && || | and in if/then', text: 'set -e; docker run a && docker run b || docker run c | cat\nif true; then docker run d; fi\n', images: ['a', 'b', 'c', 'd'] },
    { name: 'comments are not commands', text: '# docker run nope\necho hi # docker run nope2\n', images: [] },
    { name: 'strings are not commands', text: 'echo "docker run nope"\necho \'docker run nope2\'\nlog "use "docker run".\n', images: [] },
    { name: 'here-documents are not commands', text: 'cat <<EOF\ndocker run nope\nEOF\ncat <<-\'END\'\n\tdocker run nope2\n\tEND\ndocker run yes\n', images: ['yes'] },
    { name: 'here-strings are not here-documents', text: 'grep -q x <<<"$v" && exit 0\ndocker run after\n', images: ['after'] },
    { name: 'command substitution', text: 'key="$(docker run --rm consul keygen)"\nid=`docker create busybox`\n', images: ['consul', 'busybox'] },
    { name: 'a command held in a quoted assignment (Calico)', text: 'RUN="docker run --rm --user $(id -u):$(id -g) -v $d:/rpm"\n$RUN centos\n', images: ['(no image)'] },
    { name: 'subshells and functions', text: 'f() {\n  ( docker run a )\n}\n', images: ['a'] },
    { name: 'redirections', text: 'docker run -d --name x img >/dev/null 2>&1\n', images: ['img'] },
    { name: 'other docker commands are not runs', text: 'docker build -t x .\ndocker ps\ndocker exec -it x sh\ndocker runx\n', images: [] },
    { name: 'Makefile recipes: $(VAR), @ prefix, $$ shell variables', file: 'Makefile', text: 'IMG ?= app\nbuild:\n\t@docker run --rm -u $(shell id -u):$$GID $(IMG) make\n\t-docker run \\\n\t\t--cap-add NET_ADMIN alpine\nnot-a-recipe = docker run nope\n', images: ['app', 'alpine'] }, // $(IMG) is `IMG ?= app`
    { name: 'Markdown: console prompts, output skipped; bash blocks; other languages skipped', file: 'README.md', text: 'Run:\n\n```console\n$ docker run --cap-add=ALL --cap-drop=MKNOD nginx\nUnable to find image\n$ sudo docker run \\\n    -u 1000 alpine\n```\n\n```bash\ndocker run busybox\n```\n\n```yaml\ncommand: docker run nope\n```\n\n~~~sh\npodman run fedora\n~~~\n', images: ['nginx', 'alpine', 'busybox', 'fedora'] },
  ];
  for (const c of cases) {
    test(c.name, () => assert.deepStrictEqual(commands(c.text, c.file).map((x) => x.name), c.images));
  }

  test('Markdown console block: spans point into the Markdown file', () => {
    const md = '```console\n$ docker run --cap-add=ALL --cap-drop=MKNOD nginx\n```\n';
    const cmd = only(md, 'README.md');
    assert.deepStrictEqual({ nameSpan: cmd.nameSpan, capDrop: cmd.settings.capDrop[0].valueSpan, bounding: cmd.effective.capabilities?.bounding.length }, {
      nameSpan: span(md, 'docker run'), capDrop: span(md, 'MKNOD'), bounding: 40,
    });
  });

  test('Makefile: the recipe span and the make expansion as an unknown user', () => {
    const mk = 'x:\n\tdocker run -u $(UID) img\n';
    const cmd = only(mk, 'Makefile');
    assert.deepStrictEqual([cmd.settings.user?.raw, cmd.settings.user?.value, cmd.effective.user.value, cmd.nameSpan], ['$(UID)', undefined, undefined, span(mk, 'docker run')]);
  });

  const hosts: [string, string, string | undefined][] = [
    ['run.sh', '', 'shell'], ['x.bash', '', 'shell'], ['.dockerfunc', '#!/bin/bash\n', 'shell'], ['tool', '#!/usr/bin/env sh\n', 'shell'],
    ['Makefile', '', 'makefile'], ['rules.mk', '', 'makefile'], ['README.md', '', 'markdown'], ['notes.txt', '', undefined], ['x.py', '#!/usr/bin/env python\n', undefined],
  ];
  for (const [file, text, expected] of hosts) test(`host kind of ${file}`, () => assert.deepStrictEqual([dockerRunHostKind(file, text), isDockerRunHost(file, text)], [expected, expected !== undefined]));

  test('malformed input never throws', () => {
    const inputs = ['docker run "unterminated', "docker run 'x", 'docker run $(', 'docker run ${', 'docker run `', 'docker run -', 'docker run --', 'docker run \\', 'docker', '((((((((((', '$($($($($(', 'cat <<', '```console\n$ docker run\n'];
    assert.deepStrictEqual(inputs.map((t) => parseDockerRuns(t, 'run.sh', OPTIONS).problems), inputs.map(() => []));
  });
});

describe('docker run: hover', () => {
  const line = 'docker run --cap-add=ALL --cap-drop=MKNOD -u 1000 nginx\n';
  const model = parseDockerRuns(line, 'run.sh', OPTIONS);

  test('on a capability: description and Docker default', () => {
    assert.deepStrictEqual(dockerHover(model, span(line, 'MKNOD').start + 1), [
      '**CAP_MKNOD** (capability 27)', '', 'Create device special files with mknod().', '', 'Docker grants it by default: yes.', 'This container does not have it.',
    ].join('\n'));
  });

  test('on ALL', () => {
    assert.deepStrictEqual(dockerHover(model, span(line, 'ALL').start), '**ALL** — every capability (41)\n\nDocker starts from every capability and then removes the ones in the drop list.');
  });

  test('on the command: the card', () => {
    const card = dockerHover(model, 2);
    assert.ok(card);
    assert.deepStrictEqual(card.split('\n').filter((l) => /^\| (user|effective capabilities) /.test(l)), [
      '| user | uid 1000 | `-u` (flag) |',
      '| effective capabilities | none | non-root: none (no ambient capabilities; file capabilities aside) |',
    ]);
  });
});

describe('docker run: the corpus', () => {
  const exists = statSync(CORPUS, { throwIfNoEntry: false }) !== undefined;
  const walk = (dir: string): string[] => readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });

  test('every shell script, Makefile and Markdown file parses; the commands found', { skip: !exists }, () => {
    const counts: Record<string, number> = {};
    for (const file of walk(CORPUS)) {
      const text = readFileSync(file, 'utf8');
      if (!isDockerRunHost(file, text)) continue;
      const model = parseDockerRuns(text, file, OPTIONS);
      assert.deepStrictEqual(model.problems, []);
      counts[file.slice(CORPUS.length + 1)] = model.containers.length;
    }
    assert.deepStrictEqual(counts, {
      'SOURCES.md': 0,
      'containerd__containerd/test/init-buildx.sh': 1,
      'docker-library__postgres/18/trixie/docker-entrypoint.sh': 0,
      'flannel-io__flannel/Makefile': 4,
      'google__cadvisor/build/integration-in-docker.sh': 2,
      // 99 lines say `docker run`; one is the header comment.
      'jessfraz__dotfiles/.dockerfunc': 98,
      'kubernetes__dashboard/hack/develop/run-dev-container.sh': 1,
      'kubernetes__examples/_archived/openshift-origin/create.sh': 2,
      'kubernetes__ingress-nginx/build/run-ingress-controller.sh': 1,
      'projectcalico__calico/hack/test/kind/external-node.sh': 1,
      'projectcalico__calico/release/packaging/utils/make-packages.sh': 1,
    });
  });

  test('real-world lines read as Docker reads them', { skip: !exists }, () => {
    const read = (path: string) => commands(readFileSync(join(CORPUS, path), 'utf8'), path);
    const cadvisor = read('google__cadvisor/build/integration-in-docker.sh')[1];
    const ingress = read('kubernetes__ingress-nginx/build/run-ingress-controller.sh')[0];
    const flannel = read('flannel-io__flannel/Makefile')[1];
    const dotfiles = read('jessfraz__dotfiles/.dockerfunc');
    const shorewall = dotfiles.find((c) => c.name.endsWith('/shorewall'));
    const spotify = dotfiles.find((c) => c.name.endsWith('/spotify'));
    assert.deepStrictEqual({
      cadvisor: [cadvisor.name, cadvisor.effective.privileged.value, cadvisor.effective.capabilities?.added, cadvisor.opaque.map((o) => o.raw)],
      ingress: [ingress.effective.user.value, ingress.effective.hostNetwork.value],
      flannel: [flannel.name, flannel.effective.capabilities?.added],
      shorewall: [shorewall?.effective.privileged.value, shorewall?.effective.capabilities?.added, shorewall?.effective.hostNetwork.value],
      spotify: [spotify?.effective.seccomp.value, spotify?.settings.devices.map((d) => d.raw)],
    }, {
      cadvisor: ['${BOOTSTRAP_IMAGE}', true, ['SYS_ADMIN'], ['${EXTRA_DOCKER_OPTS}']],
      ingress: [0, true],
      flannel: ['golang:$(GO_VERSION)', ['NET_ADMIN', 'SYS_ADMIN']],
      shorewall: [true, ['NET_ADMIN'], true],
      spotify: ['unconfined', ['/dev/snd', '/dev/dri']],
    });
  });
});

describe('Makefile variables in docker run lines', () => {
  const makefile = [
    'IMAGE ?= acme/web:dev',
    'IMAGE ?= ignored/by-the-first:1',
    'TAG := v1 # a comment',
    'OTHER = $(shell git rev-parse HEAD)',
    '',
    'run:',
    '\tdocker run --rm $(IMAGE)',
    '\tdocker run --rm ${IMAGE}',
    '\tdocker run --rm $(OTHER)',
    '',
  ].join('\n');

  test('$(IMAGE) and ${IMAGE} name the image of `IMAGE ?= …` (the first ?= wins, as in GNU make); a computed value stays as written', () => {
    const asked: string[] = [];
    const images = Object.assign((image: string) => { asked.push(image); return image === 'acme/web:dev' ? { spec: '1000', uid: 1000, gid: 1000, note: 'USER 1000', dockerfile: '/ws/Dockerfile' } : undefined; }, {});
    const analysis = new Analyzer().analyze('/ws/Makefile', makefile, { ...DEFAULT_OPTIONS, images });
    assert.deepStrictEqual(analysis.contexts.map((c) => [c.name, c.user.value ?? null]), [['acme/web:dev', 1000], ['acme/web:dev', 1000], ['$(OTHER)', null]]);
    assert.deepStrictEqual([...new Set(asked)], ['acme/web:dev', '$(OTHER)']);
  });
});
