/**
 * Host paths whose mount amounts to root on the node: the node's `/`, the container runtime's API
 * sockets, /proc, /sys, /etc, /root, the kubelet's state. One table, read for Kubernetes hostPath
 * volumes, Compose `volumes` and `docker run -v`/`--mount`.
 */
import type { Rule } from './rule';
import { containerLabel, settingsOnce } from '../docker/findings';
import { asMap, mapAt, scalarAt, seqAt, spanOf, stringAt } from '../yaml/nodes';

interface RootPath {
  readonly paths: readonly string[];
  /** What the container can do with it. */
  readonly power: string;
}

const SOCKET = 'read-only does not help: a socket opened read-only still takes every API call';

const ROOT_PATHS: readonly RootPath[] = [
  { paths: ['/'], power: 'the node\'s whole filesystem: it can read every secret on the node and, with write access, change any file (cron jobs, systemd units, /etc/shadow) — root on the node' },
  { paths: ['/var/run/docker.sock', '/run/docker.sock'], power: `the Docker Engine API: it can start a privileged container that mounts the node's / — root on the node (${SOCKET})` },
  { paths: ['/run/containerd/containerd.sock', '/var/run/containerd/containerd.sock'], power: `containerd's API: it can create and run containers as it likes, privileged ones included — root on the node (${SOCKET})` },
  { paths: ['/var/run/crio/crio.sock', '/run/crio/crio.sock'], power: `CRI-O's API: it can create and run containers as it likes, privileged ones included — root on the node (${SOCKET})` },
  { paths: ['/run', '/var/run'], power: 'the node\'s /run, which holds the container runtime\'s sockets (docker.sock, containerd.sock): it can start privileged containers — root on the node' },
  { paths: ['/proc'], power: 'the node\'s /proc: every process\'s environment and command line, /proc/1/root (the node\'s /) and, with write access, kernel settings in /proc/sys — root on the node' },
  { paths: ['/sys'], power: 'the node\'s /sys: kernel settings, devices and cgroups of every container — with write access it can change them for the whole node' },
  { paths: ['/etc'], power: 'the node\'s /etc: passwd, shadow, sudoers, the kubelet\'s configuration and static pod manifests (/etc/kubernetes) — with write access, root on the node' },
  { paths: ['/root'], power: 'root\'s home on the node: SSH keys (authorized_keys) and shell profiles run at root\'s next login — with write access, root on the node' },
  { paths: ['/var/lib/kubelet'], power: 'the kubelet\'s state: every pod\'s volumes on the node with their Secrets and service account tokens' },
];

/** `/var/run//docker.sock/` → `/var/run/docker.sock`; undefined for relative and variable paths. */
function normalize(path: string): string | undefined {
  if (!path.startsWith('/')) return undefined;
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) return undefined;
  return '/' + parts.join('/');
}

/** What mounting the host path gives the container, when it amounts to root on the node. */
export function rootEquivalentMount(hostPath: string): string | undefined {
  const p = normalize(hostPath);
  return p === undefined ? undefined : ROOT_PATHS.find((r) => r.paths.includes(p))?.power;
}

export const hostRootMount: Rule = {
  meta: {
    id: 'host-root-mount',
    title: 'host mount equal to root on the node',
    category: 'runtime',
    defaultSeverity: 'warning',
    docs: {
      summary: 'Flags host paths mounted into a container that amount to root on the node: `/`, the Docker, containerd and CRI-O sockets (and `/run` that holds them), `/proc`, `/sys`, `/etc`, `/root` and `/var/lib/kubelet` — as a Kubernetes `hostPath`, a Compose bind volume or `docker run -v`/`--mount`.',
      why: 'No capability or privileged flag is needed: the runtime socket takes a "start a privileged container that mounts /" request from anyone who can connect to it; the node\'s `/`, `/etc` or `/root` can be written to plant a cron job, a static pod or an SSH key; `/proc` reaches every process and the node\'s root through `/proc/1/root`; `/var/lib/kubelet` holds every pod\'s Secrets. Read-only mounts still give every secret away, and a socket mounted read-only still takes every API call.',
      bad: { file: 'compose.yaml', code: 'services:\n  ci:\n    image: ci-runner:1\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock\n' },
      good: { file: 'compose.yaml', code: 'services:\n  ci:\n    image: ci-runner:1\n    volumes:\n      - ./workspace:/workspace\n' },
      fix: 'None: what replaces the mount (a rootless builder, a socket proxy that allows a few API calls, a narrower path) depends on why the container needs it; decide by hand.',
      references: [
        'https://docs.docker.com/engine/security/#docker-daemon-attack-surface',
        'https://kubernetes.io/docs/concepts/storage/volumes/#hostpath',
        'https://github.com/compose-spec/compose-go/blob/main/format/volume.go',
      ],
    },
  },
  kubernetes(ctx) {
    for (const pod of ctx.model.pods) {
      for (const item of seqAt(pod.spec, 'volumes')?.items ?? []) {
        const volume = asMap(item);
        const hostPath = mapAt(volume, 'hostPath');
        const path = stringAt(hostPath, 'path');
        const power = path !== undefined ? rootEquivalentMount(path) : undefined;
        const span = spanOf(scalarAt(hostPath, 'path'));
        if (!power || !span) continue;
        const name = stringAt(volume, 'name') ?? '';
        ctx.report({ span, message: `hostPath volume "${name}" of ${pod.workload} mounts ${path}, ${power}.` });
      }
    }
  },
  docker(ctx) {
    for (const { container, setting } of settingsOnce(ctx.model, (s) => s.mounts)) {
      const power = setting.value !== undefined ? rootEquivalentMount(setting.value) : undefined;
      if (power) ctx.report({ span: setting.span, message: `${containerLabel(container)} mounts the host's ${setting.value}, ${power}.` });
    }
  },
};
