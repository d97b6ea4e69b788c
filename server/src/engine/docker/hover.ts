/** Hovers on Compose services and `docker run` lines: the effective context, or one capability. */
import { ALL_CAPABILITIES, capabilityInfo, interpretCapabilityName, isDefaultCapability, suggestCapability } from '../capabilities';
import type { Provenance } from '../effective';
import { fieldHover, provenanceTarget, type CardField, type SpanLink } from '../present/markdown';
import { contains, containerAt, type DockerContainer, type DockerFileModel, type Setting } from './model';

export function dockerHover(model: DockerFileModel, offset: number, link?: SpanLink): string | undefined {
  const container = containerAt(model, offset);
  if (!container) return undefined;
  const s = container.settings;
  for (const [list, verb] of [[s.capAdd, 'add'], [s.capDrop, 'drop']] as const) {
    const hit = list.find((c) => contains(c.valueSpan, offset));
    if (hit) return capabilityCard(container, hit, verb);
  }
  const field = settingAt(container, offset);
  return field ? fieldHover(container.effective, field, 'docker', link) : containerCard(container, link);
}

/** The card row a flag or key decides (`--privileged`, `user:`, a `security_opt` item), when the offset is on one. */
function settingAt(c: DockerContainer, offset: number): CardField | undefined {
  const s = c.settings;
  const on = (x: Setting<unknown> | undefined) => !!x && contains(x.span, offset);
  if (on(s.user)) return 'user';
  if (on(s.privileged)) return 'privileged';
  if (on(s.readOnly)) return 'readOnly';
  if ([...s.capAdd, ...s.capDrop].some(on)) return 'capabilities';
  if (s.groupAdd.some(on)) return 'groups';
  const opt = s.securityOpt.find(on)?.raw.toLowerCase();
  if (opt?.startsWith('seccomp')) return 'seccomp';
  if (opt?.startsWith('apparmor')) return 'appArmor';
  if (opt?.startsWith('no-new-privileges')) return 'escalation';
  return undefined;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

const SOURCE_LABEL: Readonly<Record<Provenance['source'], string>> = {
  container: 'container', pod: 'pod', image: 'image', default: 'Docker default', service: 'service', flag: 'flag', runtime: 'runtime',
};

function from(p: Provenance, link?: SpanLink): string {
  const at = provenanceTarget(p);
  const target = at && link?.(at);
  const field = p.field && target ? `[\`${p.field}\`](${target})` : p.field && `\`${p.field}\``;
  const where = field ? `${field} (${SOURCE_LABEL[p.source]})` : SOURCE_LABEL[p.source];
  return cell(p.note ? `${where} — ${p.note}` : where);
}

function title(c: DockerContainer): string {
  const image = c.image ? ` · image \`${c.image.raw}\`` : '';
  if (c.kind === 'compose-service') return `**Compose service \`${c.name}\`**${image}`;
  return `**\`${c.command}\`**${image}`;
}

function list(names: readonly string[]): string {
  return names.length === 0 ? 'none' : names.length === ALL_CAPABILITIES.length ? `all ${names.length}` : `${names.length}: ${names.join(', ')}`;
}

function containerCard(c: DockerContainer, link?: SpanLink): string {
  const e = c.effective;
  const yes = (b: boolean) => (b ? 'yes' : 'no');
  const rows: [string, string, string][] = [];
  rows.push(['user', e.user.value !== undefined ? `uid ${e.user.value}${e.user.name !== undefined ? ` (${e.user.name})` : ''}` : `unknown${e.user.name !== undefined ? ` (${e.user.name})` : ''}`, from(e.user, link)]);
  rows.push(['group', e.group.value !== undefined ? `gid ${e.group.value}` : 'unknown', from(e.group, link)]);
  rows.push(['supplementary groups', e.supplementalGroups.value.length ? e.supplementalGroups.value.join(', ') : 'none', from(e.supplementalGroups, link)]);
  rows.push(['privileged', yes(e.privileged.value), from(e.privileged, link)]);
  rows.push(['no-new-privileges', yes(!e.allowPrivilegeEscalation.value), from(e.allowPrivilegeEscalation, link)]);
  rows.push(['seccomp', e.seccomp.value, from(e.seccomp, link)]);
  rows.push(['AppArmor', e.appArmor.value, from(e.appArmor, link)]);
  if (e.seLinux.value !== undefined) rows.push(['SELinux label', e.seLinux.value, from(e.seLinux, link)]);
  rows.push(['read-only root filesystem', yes(e.readOnlyRootFilesystem.value), from(e.readOnlyRootFilesystem, link)]);
  for (const [label, v] of [['host network', e.hostNetwork], ['host PID', e.hostPID], ['host IPC', e.hostIPC]] as const) {
    if (v.value || v.source !== 'default') rows.push([label, yes(v.value), from(v, link)]);
  }
  if (!e.hostUsers.value || e.hostUsers.source !== 'default') rows.push(['host user namespace', yes(e.hostUsers.value), from(e.hostUsers, link)]);
  if (e.procMount.value !== 'Default') rows.push(['/proc and /sys', 'unmasked', from(e.procMount, link)]);
  const caps = e.capabilities;
  if (caps) {
    rows.push(['bounding capabilities', cell(list(caps.bounding)), from(caps.provenance, link)]);
    const effective = e.user.value === 0 ? 'root: the bounding set'
      : e.user.value === undefined ? 'the bounding set if it runs as root, none otherwise'
      : 'non-root: none (no ambient capabilities; file capabilities aside)';
    rows.push(['effective capabilities', cell(list(caps.effective)), cell(effective)]);
  }
  const devices = c.settings.devices;
  if (devices.length) rows.push(['devices', cell(devices.map((d) => `\`${d.raw}\``).join(', ')), from({ source: c.kind === 'compose-service' ? 'service' : 'flag', field: devices[0].field })]);
  const lines = [title(c), '', '| | value | from |', '|---|---|---|', ...rows.map(([k, v, f]) => `| ${k} | ${v} | ${f} |`)];
  if (c.kind === 'docker-run' && c.opaque.length) {
    lines.push('', `Options in ${c.opaque.map((o) => `\`${o.raw}\``).join(', ')} are not known: they may change any of this.`);
  }
  return lines.join('\n');
}

function capabilityCard(c: DockerContainer, setting: Setting<string>, verb: 'add' | 'drop'): string {
  const raw = setting.value ?? setting.raw;
  if (setting.value === undefined) return `\`${cell(setting.raw)}\` depends on a variable: the capability is not known.`;
  const v = interpretCapabilityName('docker', raw);
  const bounding = c.effective.capabilities?.bounding ?? [];
  if (v.all) {
    return [
      `**ALL** — every capability (${ALL_CAPABILITIES.length})`,
      '',
      verb === 'add'
        ? 'Docker starts from every capability and then removes the ones in the drop list.'
        : 'Docker starts from nothing and then grants only the added capabilities.',
    ].join('\n');
  }
  if (!v.capability) {
    const suggestion = suggestCapability(raw);
    return `\`${cell(raw)}\` is not a Linux capability: Docker refuses to create the container.${suggestion ? ` Did you mean \`${suggestion}\`?` : ''}`;
  }
  const info = capabilityInfo(v.capability);
  const has = bounding.includes(v.capability);
  const effective = c.effective.capabilities?.effective.includes(v.capability) ?? false;
  const lines = [`**CAP_${v.capability}**${info ? ` (capability ${info.number})` : ''}`, ''];
  if (info) lines.push(info.description, '');
  if (info?.risk) lines.push(`Risk: ${info.risk}`, '');
  lines.push(`Docker grants it by default: ${isDefaultCapability('docker', v.capability) ? 'yes' : 'no'}.`);
  lines.push(`This container ${has ? 'has it in its bounding set' : 'does not have it'}${has ? (effective ? ' and its effective set' : ', not in its effective set') : ''}.`);
  return lines.join('\n');
}
