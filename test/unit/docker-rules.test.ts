/**
 * The rules' docker hooks on Compose services and `docker run` lines, table-driven: each case's whole
 * list of findings (rule, flagged text, message), and the text after each finding's preferred fix.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Analyzer } from '../../server/src/engine/analyze';
import { DEFAULT_OPTIONS, type AnalysisOptions } from '../../server/src/engine/options';
import type { TextEdit } from '../../server/src/engine/types';

/** `root` is built in the workspace without a USER. */
const OPTIONS: AnalysisOptions = {
  ...DEFAULT_OPTIONS,
  images: (image) => (image === 'root' ? { note: 'no USER in Dockerfile', dockerfile: 'root/Dockerfile' } : undefined),
};

function apply(text: string, edits: readonly TextEdit[]): string {
  return [...edits].sort((a, b) => b.start - a.start).reduce((t, e) => t.slice(0, e.start) + e.newText + t.slice(e.end), text);
}

interface Seen { rule: string; at: string; message: string; fixed?: string }

function findings(file: string, text: string, rules?: readonly string[]): Seen[] {
  return new Analyzer().analyze(file, text, OPTIONS).findings
    .filter((f) => !rules || rules.includes(f.rule))
    .map((f) => {
      const fix = f.fixes.find((x) => x.preferred) ?? f.fixes[0];
      return { rule: f.rule, at: text.slice(f.span.start, f.span.end), message: f.message, ...(fix ? { fixed: apply(text, fix.edits) } : {}) };
    });
}

interface Case { name: string; file: string; text: string; rules?: readonly string[]; expected: Seen[] }

const cases: Case[] = [
  {
    name: 'privileged: Compose key removed with its line',
    file: 'compose.yaml',
    text: 'services:\n  agent:\n    image: agent\n    privileged: true\n    read_only: true\n',
    rules: ['privileged'],
    expected: [{
      rule: 'privileged', at: 'privileged: true',
      message: 'Service "agent" is privileged: every capability and host device, no seccomp, AppArmor or SELinux confinement, unmasked /proc and /sys. Root in it is root on the host.',
      fixed: 'services:\n  agent:\n    image: agent\n    read_only: true\n',
    }],
  },
  {
    name: 'privileged: a flag alone on a continuation line goes with its line',
    file: 'run.sh',
    text: 'docker run --rm \\\n  --privileged \\\n  agent\n',
    rules: ['privileged'],
    expected: [{
      rule: 'privileged', at: '--privileged',
      message: '`docker run agent` is privileged: every capability and host device, no seccomp, AppArmor or SELinux confinement, unmasked /proc and /sys. Root in it is root on the host.',
      fixed: 'docker run --rm \\\n  agent\n',
    }],
  },
  {
    name: 'privileged: inherited through extends is reported once, where it is written',
    file: 'compose.yaml',
    text: 'services:\n  base:\n    image: agent\n    privileged: true\n  child:\n    extends: base\n',
    rules: ['privileged'],
    expected: [{
      rule: 'privileged', at: 'privileged: true',
      message: 'Service "base" is privileged: every capability and host device, no seccomp, AppArmor or SELinux confinement, unmasked /proc and /sys. Root in it is root on the host.',
      fixed: 'services:\n  base:\n    image: agent\n  child:\n    extends: base\n',
    }],
  },
  {
    name: 'run-as-root: user root replaced; an image without USER gets a user key',
    file: 'compose.yaml',
    text: 'services:\n  a:\n    image: app\n    user: root\n  b:\n    image: root\n  c:\n    image: unknown\n',
    rules: ['run-as-root'],
    expected: [
      { rule: 'run-as-root', at: 'user: root', message: 'Service "a" runs as root (uid 0): `user: root` is set.', fixed: 'services:\n  a:\n    image: app\n    user: "10001"\n  b:\n    image: root\n  c:\n    image: unknown\n' },
      {
        rule: 'run-as-root', at: 'b', message: 'Service "b" runs as root (uid 0): its image runs as root (the image sets no USER (no USER in Dockerfile): Docker runs as root).',
        fixed: 'services:\n  a:\n    image: app\n    user: root\n  b:\n    user: "10001"\n    image: root\n  c:\n    image: unknown\n',
      },
    ],
  },
  {
    name: 'run-as-root: --user 0 replaced, an image without USER gets --user',
    file: 'run.sh',
    text: 'docker run -u 0 app\ndocker run --rm root\n',
    rules: ['run-as-root'],
    expected: [
      { rule: 'run-as-root', at: '-u 0', message: '`docker run app` runs as root (uid 0): `-u 0` is set.', fixed: 'docker run -u 10001 app\ndocker run --rm root\n' },
      { rule: 'run-as-root', at: 'docker run', message: '`docker run root` runs as root (uid 0): its image runs as root (the image sets no USER (no USER in Dockerfile): Docker runs as root).', fixed: 'docker run -u 0 app\ndocker run --user 10001 --rm root\n' },
    ],
  },
  {
    name: 'unknown-capability: Docker refuses it; case and CAP_ are fine',
    file: 'compose.yaml',
    text: 'services:\n  vpn:\n    image: vpn\n    cap_add: [NET_ADMN, cap_net_raw, CAP_ALL]\n',
    rules: ['unknown-capability'],
    expected: [
      { rule: 'unknown-capability', at: 'NET_ADMN', message: 'NET_ADMN is not a Linux capability: Docker refuses to create the container. Did you mean NET_ADMIN?', fixed: 'services:\n  vpn:\n    image: vpn\n    cap_add: [NET_ADMIN, cap_net_raw, CAP_ALL]\n' },
      { rule: 'unknown-capability', at: 'CAP_ALL', message: 'CAP_ALL is not a Linux capability: Docker refuses to create the container. Did you mean ALL?', fixed: 'services:\n  vpn:\n    image: vpn\n    cap_add: [NET_ADMN, cap_net_raw, ALL]\n' },
    ],
  },
  {
    name: 'dangerous-capability: beyond Docker\'s defaults, ALL; not when privileged',
    file: 'run.sh',
    text: 'docker run --cap-add NET_ADMIN --cap-add CHOWN vpn\ndocker run --cap-add=ALL --cap-drop=MKNOD tool\ndocker run --privileged --cap-add SYS_ADMIN x\n',
    rules: ['dangerous-capability'],
    expected: [
      // "Remove capability" (unsafe): the flag and its value go, with the blanks before them.
      { rule: 'dangerous-capability', at: 'NET_ADMIN', message: '`docker run vpn` adds NET_ADMIN, which Docker does not grant by default: Can rewrite iptables/nftables, routes and interfaces of the network namespace; with hostNetwork, of the node.', fixed: 'docker run --cap-add CHOWN vpn\ndocker run --cap-add=ALL --cap-drop=MKNOD tool\ndocker run --privileged --cap-add SYS_ADMIN x\n' },
      { rule: 'dangerous-capability', at: 'ALL', message: '`docker run tool` adds ALL: every capability, SYS_ADMIN, SYS_MODULE and SYS_PTRACE among them.', fixed: 'docker run --cap-add NET_ADMIN --cap-add CHOWN vpn\ndocker run --cap-drop=MKNOD tool\ndocker run --privileged --cap-add SYS_ADMIN x\n' },
    ],
  },
  {
    name: 'host-namespaces: host modes and joining a service that uses one',
    file: 'compose.yaml',
    text: 'services:\n  a:\n    image: x\n    network_mode: host\n    pid: host\n  b:\n    image: x\n    network_mode: "service:a"\n  c:\n    image: x\n    ipc: shareable\n',
    rules: ['host-namespaces'],
    expected: [
      { rule: 'host-namespaces', at: 'network_mode: host', message: 'Service "a" uses the host network namespace.' },
      { rule: 'host-namespaces', at: 'pid: host', message: 'Service "a" uses the host PID namespace.' },
      { rule: 'host-namespaces', at: 'network_mode: "service:a"', message: 'Service "b" uses the host network namespace (joins service a, which uses the host namespace).' },
    ],
  },
  {
    name: 'seccomp-unconfined, apparmor-profile, proc-mount: security_opt entries removed',
    file: 'compose.yaml',
    text: 'services:\n  a:\n    image: x\n    security_opt:\n      - seccomp:unconfined\n      - apparmor=unconfined\n      - systempaths=unconfined\n      - no-new-privileges:true\n',
    rules: ['seccomp-unconfined', 'apparmor-profile', 'proc-mount'],
    expected: [
      {
        rule: 'seccomp-unconfined', at: 'seccomp:unconfined', message: 'Service "a" runs without seccomp: every system call of the host kernel is reachable, including those Docker\'s default profile blocks.',
        fixed: 'services:\n  a:\n    image: x\n    security_opt:\n      - apparmor=unconfined\n      - systempaths=unconfined\n      - no-new-privileges:true\n',
      },
      {
        rule: 'apparmor-profile', at: 'apparmor=unconfined', message: 'Service "a" runs without AppArmor: Docker\'s docker-default profile (no mount, no writes to most of /proc and /sys) is off.',
        fixed: 'services:\n  a:\n    image: x\n    security_opt:\n      - seccomp:unconfined\n      - systempaths=unconfined\n      - no-new-privileges:true\n',
      },
      {
        rule: 'proc-mount', at: 'systempaths=unconfined', message: 'Service "a" runs with /proc and /sys unmasked and writable: kernel information and settings that Docker normally hides or write-protects are open to it.',
        fixed: 'services:\n  a:\n    image: x\n    security_opt:\n      - seccomp:unconfined\n      - apparmor=unconfined\n      - no-new-privileges:true\n',
      },
    ],
  },
  {
    name: 'seccomp-unconfined: the only entry of a flow list removes the key',
    file: 'compose.yaml',
    text: 'services:\n  a:\n    image: x\n    security_opt: [seccomp=unconfined]\n    read_only: true\n',
    rules: ['seccomp-unconfined'],
    expected: [{
      rule: 'seccomp-unconfined', at: 'seccomp=unconfined', message: 'Service "a" runs without seccomp: every system call of the host kernel is reachable, including those Docker\'s default profile blocks.',
      fixed: 'services:\n  a:\n    image: x\n    read_only: true\n',
    }],
  },
  {
    name: 'redundant-capability: Docker arithmetic',
    file: 'compose.yaml',
    text: 'services:\n  a:\n    image: x\n    cap_add: [CHOWN, NET_ADMIN]\n    cap_drop: [NET_ADMIN, MKNOD]\n  b:\n    image: x\n    cap_drop: [ALL, NET_RAW]\n    cap_add: [CHOWN]\n',
    rules: ['redundant-capability'],
    expected: [
      { rule: 'redundant-capability', at: 'CHOWN', message: 'CHOWN in cap_add of Service "a" changes nothing: it is already in Docker\'s default capability set.', fixed: 'services:\n  a:\n    image: x\n    cap_add: [NET_ADMIN]\n    cap_drop: [NET_ADMIN, MKNOD]\n  b:\n    image: x\n    cap_drop: [ALL, NET_RAW]\n    cap_add: [CHOWN]\n' },
      { rule: 'redundant-capability', at: 'NET_ADMIN', message: 'NET_ADMIN in cap_drop of Service "a" changes nothing: it is also added, and with Docker the add wins.', fixed: 'services:\n  a:\n    image: x\n    cap_add: [CHOWN, NET_ADMIN]\n    cap_drop: [MKNOD]\n  b:\n    image: x\n    cap_drop: [ALL, NET_RAW]\n    cap_add: [CHOWN]\n' },
      { rule: 'redundant-capability', at: 'NET_RAW', message: 'NET_RAW in cap_drop of Service "b" changes nothing: ALL already drops it.', fixed: 'services:\n  a:\n    image: x\n    cap_add: [CHOWN, NET_ADMIN]\n    cap_drop: [NET_ADMIN, MKNOD]\n  b:\n    image: x\n    cap_drop: [ALL]\n    cap_add: [CHOWN]\n' },
    ],
  },
  {
    name: 'redundant-capability: privileged ignores add and drop (no fix)',
    file: 'run.sh',
    text: 'docker run --privileged --cap-add="sys_admin" cadvisor\n',
    rules: ['redundant-capability'],
    expected: [{ rule: 'redundant-capability', at: 'sys_admin', message: 'sys_admin in --cap-add of `docker run cadvisor` changes nothing: the container is privileged, so Docker ignores cap_add and cap_drop.' }],
  },
  {
    name: 'device-passthrough: disks and memory called out, no fix',
    file: 'run.sh',
    text: 'docker run --device /dev/sda:/dev/xvda:r --device=/dev/fuse img\n',
    rules: ['device-passthrough'],
    expected: [
      { rule: 'device-passthrough', at: '--device /dev/sda:/dev/xvda:r', message: '`docker run img` gets host device /dev/sda (read). It is raw host storage or memory: reading or writing it bypasses every file permission on the host.' },
      { rule: 'device-passthrough', at: '--device=/dev/fuse', message: '`docker run img` gets host device /dev/fuse (read, write, mknod).' },
    ],
  },
  {
    name: 'Markdown console block: findings at the right place in the Markdown',
    file: 'README.md',
    text: '# Run\n\n```console\n$ docker run --cap-add=ALL --cap-drop=MKNOD nginx\n```\n',
    expected: [
      // nginx is in the well-known base-image table: its config sets no User, so Docker runs it as root.
      { rule: 'run-as-root', at: 'docker run', message: '`docker run nginx` runs as root (uid 0): its image runs as root (image nginx config sets no User (well-known base-image table: nginxinc/docker-nginx Dockerfiles (nginx 101:101, no USER); Debian base-passwd (passwd.master, group.master)): root).', fixed: '# Run\n\n```console\n$ docker run --user 10001 --cap-add=ALL --cap-drop=MKNOD nginx\n```\n' },
      { rule: 'dangerous-capability', at: 'ALL', message: '`docker run nginx` adds ALL: every capability, SYS_ADMIN, SYS_MODULE and SYS_PTRACE among them.', fixed: '# Run\n\n```console\n$ docker run --cap-drop=MKNOD nginx\n```\n' },
    ],
  },
  {
    name: 'a hardened service raises nothing',
    file: 'compose.yaml',
    text: 'services:\n  web:\n    image: web\n    user: "10001:10001"\n    read_only: true\n    cap_drop: [ALL]\n    cap_add: [NET_BIND_SERVICE]\n    security_opt: [no-new-privileges:true]\n',
    expected: [],
  },
];

describe('docker hooks', () => {
  for (const c of cases) test(c.name, () => assert.deepStrictEqual(findings(c.file, c.text, c.rules), c.expected));
});
