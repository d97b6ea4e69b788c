import type { Rule } from './rule';
import { containerLabel } from '../docker/fixes';

/** Host devices that hold disks, memory or the kernel log: direct access bypasses every file permission. */
const RAW = /^\/dev\/(?:mem|kmem|port|kmsg|sd[a-z]|nvme|vd[a-z]|xvd[a-z]|hd[a-z]|dm-|loop|mapper\/|disk\/|md\d|sg\d|nbd)/;

/** `source[:target][:permissions]`, as docker/cli parseLinuxDevice reads it. */
export function parseDevice(spec: string): { source: string; target: string; permissions: string } {
  const parts = spec.split(':');
  const mode = (s: string | undefined) => s !== undefined && /^[rwm]{1,3}$/.test(s);
  const source = parts[0];
  if (parts.length >= 3) return { source, target: parts[1], permissions: parts[2] };
  if (parts.length === 2) return mode(parts[1]) ? { source, target: source, permissions: parts[1] } : { source, target: parts[1], permissions: 'rwm' };
  return { source, target: source, permissions: 'rwm' };
}

const WORDS: Readonly<Record<string, string>> = { r: 'read', w: 'write', m: 'mknod' };

export const devicePassthrough: Rule = {
  meta: {
    id: 'device-passthrough',
    title: 'host device passed to the container',
    category: 'docker',
    defaultSeverity: 'warning',
    docs: {
      summary: 'Flags host devices given to a Compose service (`devices:`) or a `docker run` (`--device`).',
      why: 'Docker creates the device node in the container and allows it in the device cgroup, so the container talks to the host\'s hardware or kernel driver directly, outside its namespaces. A disk (`/dev/sda`, `/dev/nvme0n1`) or memory device (`/dev/mem`) can be read and written under every file permission of the host; a driver bug reached this way is a kernel bug. The default permissions are `rwm`: read, write and create device nodes.',
      bad: { file: 'compose.yaml', code: 'services:\n  backup:\n    image: backup:1\n    devices:\n      - /dev/sda:/dev/sda\n' },
      good: { file: 'compose.yaml', code: 'services:\n  backup:\n    image: backup:1\n    volumes:\n      - /srv/backup:/backup\n' },
      fix: 'None: a device the workload uses cannot be removed blindly; mount the files it needs, or narrow the permissions (`/dev/sda:/dev/sda:r`).',
      references: [
        'https://docs.docker.com/reference/cli/docker/container/run/#device',
        'https://docs.docker.com/reference/compose-file/services/#devices',
      ],
    },
  },
  docker(ctx) {
    for (const c of ctx.model.containers) {
      for (const device of c.settings.devices) {
        const { source, permissions } = parseDevice(device.value ?? device.raw);
        const access = [...permissions].map((p) => WORDS[p] ?? p).join(', ');
        const raw = RAW.test(source) ? ' It is raw host storage or memory: reading or writing it bypasses every file permission on the host.' : '';
        ctx.report({ span: device.span, message: `${containerLabel(c)} gets host device ${source} (${access}).${raw}` });
      }
    }
  },
};
