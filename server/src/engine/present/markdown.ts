/** Markdown renderings of effective contexts and capabilities, shared by hovers, the report and the CLI. */
import { capabilityInfo, interpretCapabilityName, isDefaultCapability, type Runtime } from '../capabilities';
import type { EffectiveContext, FileLine, Provenance } from '../effective';
import { ruleDocsUrl } from '../rules/rule';
import type { Span } from '../types';
import { capabilityFlow } from './capabilityFlow';

const SOURCE_LABEL: Record<Provenance['source'], string> = {
  container: 'container securityContext',
  pod: 'pod securityContext',
  image: 'image',
  default: 'default',
  service: 'Compose service',
  flag: 'command-line flag',
  runtime: 'runtime default',
};

/** Turns a span of the analysed file, or a line of another file, into a link target (an LSP adapter makes `file:///…#L12,5`). */
export type SpanLink = (at: Span | FileLine) => string | undefined;

/** Where a provenance leads: its span in this file, or its line in another (a Dockerfile's USER). */
export function provenanceTarget(p: Provenance): Span | FileLine | undefined {
  return p.span ?? p.elsewhere;
}

/** `pod \`spec.securityContext.runAsUser\` — note`; with `link`, the part naming the field links to where it is set. */
export function describeSource(p: Provenance, link?: SpanLink): string {
  // Kubernetes fields are full paths (`securityContext.runAsUser`, `spec.hostNetwork`): the path says where.
  const label = p.source === 'container' || p.source === 'pod' ? p.source : SOURCE_LABEL[p.source];
  const base = p.field && p.source !== 'default' && p.source !== 'runtime' ? `${label} \`${p.field}\`` : SOURCE_LABEL[p.source];
  const at = provenanceTarget(p);
  const target = at && link?.(at);
  const linked = target ? `[${base}](${target})` : base;
  const notes = [...(p.alias ? [`set through alias \`${p.alias}\`${target ? ` ([anchor](${target}))` : ''}`] : []), ...(p.note ? [p.note] : [])];
  return notes.length ? `${linked} — ${notes.join('; ')}` : linked;
}

function escape(s: string): string {
  return s.replace(/\|/g, '\\|');
}

export function formatUser(c: EffectiveContext): string {
  const { value, name } = c.user;
  if (c.windows) return name ? `${name} (Windows account)` : 'the image\'s default account (Windows)';
  if (value === undefined) return name ? `${name} (uid unknown)` : 'unknown';
  if (value === 0) return 'uid 0 (root)';
  return name ? `uid ${value} (${name})` : `uid ${value}`;
}

export function formatCaps(names: readonly string[]): string {
  if (names.length === 0) return 'none';
  if (names.length === 41) return 'all 41';
  return names.join(', ');
}

/** One piece of the one-line summary and the value it stands for (for tooltips and navigation). */
export interface SummaryPart {
  readonly text: string;
  readonly from: Provenance;
}

/** What a part is, most important first: a summary too long for its space loses the last kinds first. */
type PartKind = 'verdict' | 'user' | 'caps' | 'delta' | 'group' | 'escalation';

interface RankedPart extends SummaryPart {
  readonly kind: PartKind;
  /** A shorter spelling tried before the part is dropped (`+2 caps −ALL` for a long capability delta). */
  readonly short?: string;
}

/**
 * VS Code cuts an inlay hint longer than `editor.inlayHints.maximumLength` (43 by default) mid-word;
 * the summary is shortened to fit before that happens.
 */
export const INLAY_HINT_MAX_LENGTH = 43;

/**
 * The pieces of `summaryLine`, each with the provenance of the value it shows: the verdict first
 * (`⚠ will not start`, `privileged`), then the user, what root keeps, the capability changes, the
 * group and `no-new-privs`. With `maxLength`, parts are dropped until the line fits, least important
 * first (`no-new-privs`, the group), then a capability delta is counted instead of listed (`+2 caps −ALL`)
 * and dropped, then root's capability count; the verdict and the user always stay.
 */
export function summaryParts(c: EffectiveContext, maxLength = Infinity): SummaryPart[] {
  const parts: RankedPart[] = [];
  if (c.runAsNonRoot.verdict === 'fail' || c.runAsNonRoot.verdict === 'unverifiable') parts.push({ kind: 'verdict', text: '⚠ will not start', from: c.runAsNonRoot });
  if (c.privileged.value) parts.push({ kind: 'verdict', text: 'privileged', from: c.privileged });
  const uid = c.user.value;
  parts.push({ kind: 'user', text: uid === 0 ? 'root' : uid === undefined ? (c.user.name ? `user ${c.user.name}` : 'user unknown') : `uid ${uid}`, from: c.user });
  if (c.group.value !== undefined && uid !== 0) parts.push({ kind: 'group', text: `gid ${c.group.value}`, from: c.group });
  if (!c.privileged.value && c.capabilities) {
    // Only what the runtime applied: containerd ignores `CAP_SYS_PTRACE`, no runtime reads `CAP_ALL` as ALL.
    const { bounding, effective, added, dropped, provenance } = c.capabilities;
    if (uid === 0) parts.push({ kind: 'caps', text: effective.length === 1 ? '1 cap' : `${effective.length} caps`, from: provenance });
    const applied = (raw: string, list: 'add' | 'drop'): string | undefined => {
      const upper = raw.toUpperCase();
      if (upper === 'ALL') return upper;
      const bare = upper.replace(/^CAP_/, '');
      return bare !== 'ALL' && bounding.includes(bare) === (list === 'add') && capabilityInfo(bare) ? bare : undefined;
    };
    const adds = [...new Set(added.map((a) => applied(a, 'add')).filter((a) => a !== undefined))];
    const drops = [...new Set(dropped.map((d) => applied(d, 'drop')).filter((d) => d !== undefined))];
    if (adds.length || drops.length) {
      const count = (sign: string, names: string[]) => names.includes('ALL') ? `${sign}ALL` : `${sign}${names.length} ${names.length === 1 ? 'cap' : 'caps'}`;
      const short = [adds.length ? count('+', adds) : '', drops.length ? count('−', drops) : ''].filter(Boolean).join(' ');
      parts.push({ kind: 'delta', text: [...adds.map((a) => `+${a}`), ...drops.map((d) => `−${d}`)].join(' '), short, from: provenance });
    }
  }
  if (!c.privileged.value && c.allowPrivilegeEscalation.value === false) parts.push({ kind: 'escalation', text: 'no-new-privs', from: c.allowPrivilegeEscalation });
  return fit(parts, maxLength).map(({ text, from }) => ({ text, from }));
}

function fit(parts: RankedPart[], maxLength: number): RankedPart[] {
  const length = (ps: readonly RankedPart[]) => ps.reduce((n, p) => n + p.text.length, 0) + SUMMARY_SEPARATOR.length * Math.max(0, ps.length - 1);
  const drop = (ps: RankedPart[], kind: PartKind) => ps.filter((p) => p.kind !== kind);
  const steps: ((ps: RankedPart[]) => RankedPart[])[] = [
    (ps) => drop(ps, 'escalation'),
    (ps) => drop(ps, 'group'),
    (ps) => ps.map((p) => (p.short ? { ...p, text: p.short } : p)),
    (ps) => drop(ps, 'delta'),
    (ps) => drop(ps, 'caps'),
  ];
  let out = parts;
  for (const step of steps) {
    if (length(out) <= maxLength) break;
    out = step(out);
  }
  return out;
}

export const SUMMARY_SEPARATOR = ' · ';

/** A compact one-line summary: `uid 3000 · gid 0 · +NET_ADMIN −ALL`, `privileged · root`. */
export function summaryLine(c: EffectiveContext, maxLength = Infinity): string {
  return summaryParts(c, maxLength).map((p) => p.text).join(SUMMARY_SEPARATOR);
}

/** Options of a card: `reportLink` (a `command:` URI) is where "the list on demand" leads. */
export interface CardOptions {
  readonly reportLink?: string;
}

/**
 * A capability set in a table cell: its size and how it came about (`16 — containerd defaults +NET_ADMIN +SYS_TIME`),
 * the names themselves only when there are few; the report lists them all.
 */
export function capabilityCount(c: EffectiveContext, runtime: Runtime, which: 'bounding' | 'effective'): string {
  const flow = capabilityFlow(c, runtime);
  if (!flow) return 'n/a';
  const names = flow[which];
  if (names.length === 0) return 'none';
  if (flow.privileged) return `all ${names.length} (privileged)`;
  if (which === 'effective') return names.length === flow.bounding.length ? `${names.length} (the bounding set)` : String(names.length);
  const few = names.length <= 3 ? `: ${names.join(', ')}` : '';
  const delta = [flow.dropAll ? '−ALL' : '', ...flow.added.map((a) => `+${a}`), ...(flow.dropAll ? [] : flow.dropped.map((d) => `−${d}`))].filter(Boolean).join(' ');
  return `${names.length}${few} — ${flow.dropAll ? 'none of the defaults' : `${flow.runtime} defaults`}${delta ? ` ${delta}` : ''}`;
}

export function containerCard(c: EffectiveContext, runtime: Runtime, link?: SpanLink, options: CardOptions = {}): string {
  const rows: [string, string, string][] = [];
  rows.push(['User', formatUser(c), describeSource(c.user, link)]);
  rows.push(['Group', c.group.value === undefined ? 'unknown' : `gid ${c.group.value}`, describeSource(c.group, link)]);
  rows.push(['Supplemental groups', c.supplementalGroups.value.length ? c.supplementalGroups.value.join(', ') : 'none', describeSource(c.supplementalGroups, link)]);
  if (c.capabilities) {
    rows.push(['Bounding capabilities', capabilityCount(c, runtime, 'bounding'), describeSource(c.capabilities.provenance, link)]);
    const ifRoot = c.user.value === undefined && c.capabilities ? capabilityCount({ ...c, user: { ...c.user, value: 0 }, capabilities: { ...c.capabilities, effective: c.capabilities.bounding } }, runtime, 'effective') : undefined;
    rows.push(['Effective capabilities', ifRoot !== undefined ? `as root: ${ifRoot}; as non-root: none` : capabilityCount(c, runtime, 'effective'), c.user.value === 0 ? 'uid 0 keeps the bounding set' : c.user.value === undefined ? 'the bounding set if the image runs as root, none otherwise' : 'a non-root uid starts with none']);
  } else rows.push(['Capabilities', 'n/a', 'Windows pod']);
  rows.push(['Privileged', c.privileged.value ? '**yes**' : 'no', describeSource(c.privileged, link)]);
  rows.push(['Privilege escalation', c.allowPrivilegeEscalation.value ? 'allowed' : 'blocked (no_new_privs)', describeSource(c.allowPrivilegeEscalation, link)]);
  rows.push(['runAsNonRoot', verdictText(c), describeSource(c.runAsNonRoot, link)]);
  rows.push(['Seccomp', c.seccomp.value, describeSource(c.seccomp, link)]);
  if (c.kind !== 'compose-service' && c.kind !== 'docker-run') rows.push(['AppArmor', c.appArmor.value, describeSource(c.appArmor, link)]);
  rows.push(['Read-only root fs', c.readOnlyRootFilesystem.value ? 'yes' : 'no', describeSource(c.readOnlyRootFilesystem, link)]);
  const host = [c.hostNetwork.value && 'network', c.hostPID.value && 'PID', c.hostIPC.value && 'IPC', !c.hostUsers.value ? undefined : undefined].filter(Boolean);
  if (host.length) rows.push(['Host namespaces', host.join(', '), 'pod spec']);
  const lines = [
    `**${c.name}** — ${c.kind === 'compose-service' ? 'Compose service' : c.kind === 'docker-run' ? 'docker run' : c.kind} in \`${c.workload}\`, ${runtime}`,
    '',
    '| | effective | from |',
    '|---|---|---|',
    ...rows.map(([a, b, src]) => `| ${a} | ${escape(b)} | ${escape(src)} |`),
  ];
  if (c.capabilities && c.user.value !== 0 && c.capabilities.bounding.length && c.allowPrivilegeEscalation.value) {
    lines.push('', `_A non-root process can regain the bounding set through setuid-root or file-capability binaries: set \`allowPrivilegeEscalation: false\`._`);
  }
  if (options.reportLink && c.capabilities) lines.push('', `[Every capability, step by step →](${options.reportLink})`);
  return lines.join('\n');
}

/** The fields a hover can point at, each with its row of the card. */
export type CardField = 'user' | 'group' | 'groups' | 'capabilities' | 'privileged' | 'escalation' | 'runAsNonRoot' | 'seccomp' | 'appArmor' | 'readOnly';

const ORDER: Partial<Record<CardField, string>> = {
  user: 'Order: container `runAsUser` → pod `runAsUser` → image `USER` → root.',
  group: 'Order: container `runAsGroup` → pod `runAsGroup` → the image user\'s group → 0.',
  runAsNonRoot: 'The container value overrides the pod value; the kubelet checks it when it creates the container.',
  seccomp: 'Order: container `seccompProfile` → pod `seccompProfile` → the kubelet\'s default (Unconfined unless SeccompDefault is on); a privileged container runs Unconfined.',
  appArmor: 'Order: container `appArmorProfile` → pod `appArmorProfile` → the annotation → the runtime default.',
};

const DOCKER_ORDER: Partial<Record<CardField, string>> = {
  user: 'Order: `user`/`--user` → the image\'s `USER` → root.',
  group: 'Order: the group in `user`/`--user` → the primary group of the user in the image\'s /etc/passwd → 0.',
  seccomp: 'Order: `seccomp=` in `security_opt` → Docker\'s default profile; `privileged` runs unconfined.',
  appArmor: 'Order: `apparmor=` in `security_opt` → docker-default; `privileged` runs unconfined.',
  escalation: 'Docker sets no_new_privs only with `no-new-privileges` (or the daemon\'s default).',
};

/**
 * What a field means for this container, alone: its value, where it came from and what overrides it — the
 * row the user pointed at, not the whole card (hover the container's name for that).
 */
export function fieldHover(c: EffectiveContext, field: CardField, runtime: Runtime, link?: SpanLink, options: CardOptions = {}): string {
  const docker = c.kind === 'compose-service' || c.kind === 'docker-run';
  const order = (docker ? DOCKER_ORDER : ORDER)[field];
  const row = (label: string, value: string, from: Provenance, extra?: string) =>
    [`**${label}** → ${value}: ${describeSource(from, link)}.${order ? ` ${order}` : ''}`, ...(extra ? ['', extra] : [])].join('\n');
  const more = c.kind === 'docker-run' ? '_Hover `docker run` for the whole card._' : `_\`${c.name}\`: hover its name for the whole card._`;
  let text: string;
  switch (field) {
    case 'user': text = row('User', formatUser(c), c.user); break;
    case 'group': text = row('Group', c.group.value === undefined ? 'unknown' : `gid ${c.group.value}`, c.group); break;
    case 'groups': text = row('Supplemental groups', c.supplementalGroups.value.length ? c.supplementalGroups.value.join(', ') : 'none', c.supplementalGroups); break;
    case 'privileged': text = row('Privileged', c.privileged.value ? 'yes — every capability and host device' : 'no', c.privileged); break;
    case 'escalation': text = row('Privilege escalation', c.allowPrivilegeEscalation.value ? 'allowed' : 'blocked (no_new_privs)', c.allowPrivilegeEscalation); break;
    case 'runAsNonRoot': text = row('runAsNonRoot', verdictText(c), c.runAsNonRoot); break;
    case 'seccomp': text = row('Seccomp', c.seccomp.value, c.seccomp); break;
    case 'appArmor': text = row('AppArmor', c.appArmor.value, c.appArmor); break;
    case 'readOnly': text = row('Read-only root fs', c.readOnlyRootFilesystem.value ? 'yes' : 'no', c.readOnlyRootFilesystem); break;
    case 'capabilities': {
      if (!c.capabilities) { text = '**Capabilities** → n/a: Windows pod.'; break; }
      const effective = capabilityCount(c, runtime, 'effective');
      const why = c.user.value === 0 ? 'uid 0 keeps the bounding set' : c.user.value === undefined ? 'the bounding set if the image runs as root, none otherwise' : 'a non-root uid starts with none';
      text = row('Bounding capabilities', capabilityCount(c, runtime, 'bounding'), c.capabilities.provenance, `**Effective** → ${effective.replace(/ \(the bounding set\)$/, '')}: ${why}.${options.reportLink ? ` [Every capability, step by step →](${options.reportLink})` : ''}`);
      break;
    }
  }
  return `${text}\n\n${more}`;
}

export function verdictText(c: EffectiveContext): string {
  switch (c.runAsNonRoot.verdict) {
    case 'not-required': return 'not required';
    case 'pass': return 'required — passes';
    case 'fail': return `required — **fails**: ${c.runAsNonRoot.message ?? ''}`;
    case 'unverifiable': return `required — **fails**: ${c.runAsNonRoot.message ?? ''}`;
    case 'unknown': return 'required — checked by the kubelet at start (image user unknown)';
  }
}

export function podTable(contexts: readonly EffectiveContext[]): string {
  const lines = [
    '| container | user | group | capabilities (effective) | escalation | seccomp |',
    '|---|---|---|---|---|---|',
    ...contexts.map((c) => `| ${escape(c.name)} | ${escape(formatUser(c))} (${c.user.source}) | ${c.group.value ?? '?'} (${c.group.source}) | ${c.capabilities ? escape(formatCaps(c.capabilities.effective)) : 'n/a'} | ${c.allowPrivilegeEscalation.value ? 'allowed' : 'blocked'} | ${c.seccomp.value} |`),
  ];
  return lines.join('\n');
}

export function capabilityCard(raw: string, runtime: Runtime): string {
  const name = raw.toUpperCase().replace(/^CAP_/, '');
  if (name === 'ALL') {
    const all = '**ALL** — every capability (41). In `drop`, the container starts with none but the ones you `add`.';
    const read = interpretCapabilityName(runtime, raw);
    return read.all ? all : `${all}\n\n⚠ Only \`ALL\`, without \`CAP_\`, means that: ${runtime} ${read.problem === 'ignored' ? 'ignores' : 'refuses'} \`${raw}\`. See [capability-prefix](${ruleDocsUrl('capability-prefix')}).`;
  }
  const info = capabilityInfo(name);
  if (!info) return `**${raw}** is not a Linux capability. See [unknown-capability](${ruleDocsUrl('unknown-capability')}).`;
  const lines = [`**CAP_${info.name}** (${info.number}) — ${info.description}`, '', isDefaultCapability(runtime, info.name) ? `Granted by default by ${runtime}.` : `Not granted by default by ${runtime}.`];
  // How this spelling reads: containerd turns `CAP_SYS_PTRACE` into `CAP_CAP_SYS_PTRACE`.
  const read = interpretCapabilityName(runtime, raw);
  if (read.problem === 'ignored') lines.push('', `⚠ ${runtime} reads \`${raw}\` as \`${read.ociName}\`, which is not a capability: this entry has no effect. Write \`${info.name}\`. See [capability-prefix](${ruleDocsUrl('capability-prefix')}).`);
  if (info.risk) lines.push('', `⚠ **Risk:** ${info.risk}`);
  return lines.join('\n');
}
