/**
 * Which `docker run` / `docker create` (and `podman run`) flags take a value, so that the image
 * (the first argument that is not a flag or a flag's value) is found where Docker finds it.
 * docker/cli cli/command/container/opts.go, run.go and create.go; podman's extra run flags.
 */

/** Long flags that take a value (`--name value` or `--name=value`). */
const VALUE_FLAGS = [
  // docker
  'add-host', 'annotation', 'attach', 'blkio-weight', 'blkio-weight-device', 'cap-add', 'cap-drop', 'cgroup-parent', 'cgroupns',
  'cidfile', 'cpu-count', 'cpu-percent', 'cpu-period', 'cpu-quota', 'cpu-rt-period', 'cpu-rt-runtime', 'cpu-shares', 'cpus',
  'cpuset-cpus', 'cpuset-mems', 'detach-keys', 'device', 'device-cgroup-rule', 'device-read-bps', 'device-read-iops',
  'device-write-bps', 'device-write-iops', 'dns', 'dns-opt', 'dns-option', 'dns-search', 'domainname', 'entrypoint', 'env',
  'env-file', 'expose', 'gpus', 'group-add', 'health-cmd', 'health-interval', 'health-retries', 'health-start-interval',
  'health-start-period', 'health-timeout', 'hostname', 'io-maxbandwidth', 'io-maxiops', 'ip', 'ip6', 'ipc', 'isolation',
  'kernel-memory', 'label', 'label-file', 'link', 'link-local-ip', 'log-driver', 'log-opt', 'mac-address', 'memory',
  'memory-reservation', 'memory-swap', 'memory-swappiness', 'mount', 'name', 'net', 'net-alias', 'network', 'network-alias',
  'oom-score-adj', 'pid', 'pids-limit', 'platform', 'publish', 'pull', 'restart', 'runtime', 'security-opt', 'shm-size',
  'stop-signal', 'stop-timeout', 'storage-opt', 'sysctl', 'tmpfs', 'ulimit', 'user', 'userns', 'uts', 'volume', 'volume-driver',
  'volumes-from', 'workdir',
  // podman
  'arch', 'authfile', 'cert-dir', 'cgroup-conf', 'cgroups', 'chrootdirs', 'conmon-pidfile', 'creds', 'decryption-key',
  'env-merge', 'gidmap', 'group-entry', 'health-log-destination', 'health-max-log-count', 'health-max-log-size',
  'health-on-failure', 'health-startup-cmd', 'health-startup-interval', 'health-startup-retries', 'health-startup-success',
  'health-startup-timeout', 'hostuser', 'hosts-file', 'image-volume', 'init-path', 'log-level', 'os', 'passwd-entry',
  'personality', 'pidfile', 'pod', 'pod-id-file', 'preserve-fd', 'preserve-fds', 'rdt-class', 'requires', 'retry',
  'retry-delay', 'sdnotify', 'seccomp-policy', 'secret', 'shm-size-systemd', 'stop-timeout', 'subgidname', 'subuidname',
  'systemd', 'timeout', 'tz', 'uidmap', 'umask', 'unsetenv', 'variant',
];

/** Short flags and the long flag each stands for. */
export const SHORT_FLAGS: Readonly<Record<string, string>> = {
  a: 'attach', c: 'cpu-shares', e: 'env', h: 'hostname', l: 'label', m: 'memory', p: 'publish', u: 'user', v: 'volume', w: 'workdir',
  d: 'detach', i: 'interactive', t: 'tty', P: 'publish-all', q: 'quiet',
};

const VALUE = new Set(VALUE_FLAGS);

/**
 * Whether a long flag takes a value. Boolean flags (`--rm`, `--privileged`, `--read-only`,
 * `--init`, `-d`, `-i`, `-t`, ...) and flags Docker does not know do not: a value for them
 * must be attached with `=`.
 */
export function takesValue(long: string): boolean {
  return VALUE.has(long);
}

/** `docker`'s global options that take a value (before `run`). */
const GLOBAL_VALUE = new Set(['-H', '--host', '-c', '--context', '--config', '-l', '--log-level', '--tlscacert', '--tlscert', '--tlskey',
  // podman
  '--connection', '--url', '--identity', '--root', '--runroot', '--storage-driver', '--storage-opt', '--cgroup-manager', '--runtime',
  '--tmpdir', '--network-cmd-path', '--events-backend', '--conmon', '--module']);

export function globalTakesValue(flag: string): boolean {
  return GLOBAL_VALUE.has(flag);
}

/** `sudo` options that take a value. */
const SUDO_VALUE = new Set(['-u', '-g', '-p', '-C', '-D', '-h', '-r', '-t', '-T', '-U', '--user', '--group', '--prompt', '--chdir']);

export function sudoTakesValue(flag: string): boolean {
  return SUDO_VALUE.has(flag);
}
