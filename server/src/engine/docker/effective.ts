/**
 * The effective context Docker gives a container, from its settings (Compose service or
 * `docker run` flags) and what the image's Dockerfile says. Docker's rules, not Kubernetes':
 * the image USER unless `user` is set, root when the image has none, Docker's capability
 * arithmetic, no seccomp/AppArmor/SELinux confinement and no masked paths when privileged.
 */
import { boundingSet, interpretCapabilityName } from '../capabilities';
import type { EffectiveContext, Provenance, Source, Valued } from '../effective';
import { unknownImageNote } from '../images/unknown';
import { imageUserOf } from '../images/user';
import { imageUserLine, type AnalysisOptions, type ImageBuild, type ImageUser } from '../options';
import type { Span } from '../types';
import type { ExternalBase } from './compose-merge';
import type { BuildSetting, DockerSettings, Setting } from './model';
import { isNumericId, optional as opt, parseNamespaceMode, parseSecurityOpt, parseUserSpec } from './values';

export interface DockerContainerInput {
  readonly kind: 'compose-service' | 'docker-run';
  readonly name: string;
  readonly workload: string;
  readonly nameSpan: Span;
  readonly span: Span;
  readonly image?: Setting<string>;
  /** What `options.images` is asked about: the image as written. */
  readonly imageKey?: string;
  /** A Compose service's `build:`: its Dockerfile decides when the image is not linked (or not named). */
  readonly build?: BuildSetting;
  readonly settings: DockerSettings;
  /** `service` for Compose, `flag` for command lines. */
  readonly source: Extract<Source, 'service' | 'flag'>;
  /** Whether the container a `service:x`/`container:x` mode names is itself in the host namespace. */
  readonly sharesHost?: (namespace: Namespace, target: string) => boolean | undefined;
  /** A Compose base service in another file (`extends: {file, service}`), not read. */
  readonly external?: ExternalBase;
}

export type Namespace = 'pid' | 'ipc' | 'network';

export function dockerEffective(input: DockerContainerInput, options: AnalysisOptions): EffectiveContext {
  const context = knownEffective(input, options);
  return input.external ? withExternalBase(context, input.external, input.source) : context;
}

/**
 * What a base service in another file may change: every value this file does not set (its own
 * settings and same-file bases override the other file's), and the capability and group lists,
 * which it may extend.
 */
function withExternalBase(c: EffectiveContext, base: ExternalBase, local: Source): EffectiveContext {
  const where = `service ${base.service} in ${base.file} (not read)`;
  const note = (p: Provenance, text: string) => (p.note ? `${p.note}; ${text}` : text);
  const may = <T extends Provenance>(v: T): T => (v.source === local ? v : { ...v, note: note(v, `may be set by ${where}`) });
  return {
    ...c,
    user: may(c.user),
    group: may(c.group),
    supplementalGroups: { ...c.supplementalGroups, note: note(c.supplementalGroups, `${where} may add to group_add`) },
    privileged: may(c.privileged),
    allowPrivilegeEscalation: may(c.allowPrivilegeEscalation),
    ...(c.capabilities ? { capabilities: { ...c.capabilities, provenance: { ...c.capabilities.provenance, note: note(c.capabilities.provenance, `${where} may add to cap_add and cap_drop`) } } } : {}),
    seccomp: may(c.seccomp),
    appArmor: may(c.appArmor),
    seLinux: may(c.seLinux),
    readOnlyRootFilesystem: may(c.readOnlyRootFilesystem),
    procMount: may(c.procMount),
    hostNetwork: may(c.hostNetwork),
    hostPID: may(c.hostPID),
    hostIPC: may(c.hostIPC),
    hostUsers: may(c.hostUsers),
  };
}

function knownEffective(input: DockerContainerInput, options: AnalysisOptions): EffectiveContext {
  const s = input.settings;
  const from = (setting: Setting<unknown>, note?: string): Provenance => provenance(input.source, setting, note);
  const uid = explicitUid(s.user);
  const build = input.build ? imageBuild(input.build) : undefined;
  const imageUser = imageUserOf(options, input.imageKey, uid, build);
  const { user, group } = identity(input, imageUser, options);

  const privilegedSetting = s.privileged;
  const privileged = privilegedSetting?.value === true;
  const privilegedV: Valued<boolean> = privilegedSetting
    ? { value: privileged, ...from(privilegedSetting, privilegedSetting.value === undefined ? `${privilegedSetting.raw} depends on a variable; assumed false` : undefined) }
    : { value: false, source: 'default' };

  // no-new-privileges, seccomp, AppArmor, SELinux label, masked paths: the last --security-opt of each kind wins.
  let nnp: Valued<boolean> = { value: true, source: 'default', note: 'Docker sets no_new_privs only with `no-new-privileges` (or the daemon\'s `no-new-privileges` default)' };
  let seccomp: Valued<string> | undefined;
  let appArmor: Valued<string> | undefined;
  let seLinux: Valued<string | undefined> | undefined;
  let systemPaths: Valued<string> | undefined;
  for (const opt of s.securityOpt) {
    if (opt.value === undefined) continue;
    const parsed = parseSecurityOpt(opt.value);
    switch (parsed.kind) {
      case 'no-new-privileges':
        if (parsed.enabled !== undefined) nnp = { value: !parsed.enabled, ...from(opt) };
        break;
      case 'seccomp':
        seccomp = { value: parsed.profile, ...from(opt) };
        break;
      case 'apparmor':
        appArmor = { value: parsed.profile, ...from(opt) };
        break;
      case 'label':
        seLinux = { value: parsed.value, ...from(opt) };
        break;
      case 'systempaths':
        systemPaths = { value: parsed.value, ...from(opt) };
        break;
      default:
        break;
    }
  }
  const privilegedNote = (what: string): Provenance => ({ ...(privilegedSetting ? from(privilegedSetting) : { source: 'default' }), note: `privileged containers run ${what}` });
  const seccompV: Valued<string> =
    seccomp?.value === 'unconfined' ? seccomp
    : privileged ? { value: 'unconfined', ...privilegedNote('without seccomp') }
    : seccomp ?? { value: 'docker-default', source: 'default', note: 'Docker\'s default seccomp profile (RuntimeDefault)' };
  const appArmorV: Valued<string> =
    appArmor ?? (privileged ? { value: 'unconfined', ...privilegedNote('without an AppArmor profile') } : { value: 'docker-default', source: 'default', note: 'Docker\'s default AppArmor profile, on hosts with AppArmor' });

  const hostNetwork = namespace(input, 'network', s.network, from);
  const hostPID = namespace(input, 'pid', s.pid, from);
  const hostIPC = namespace(input, 'ipc', s.ipc, from);
  const seLinuxV: Valued<string | undefined> =
    seLinux ?? (privileged ? { value: 'disable', ...privilegedNote('without SELinux labels') }
    : hostPID.value && s.pid ? { value: 'disable', ...from(s.pid, 'the host PID namespace disables SELinux labels') }
    : hostIPC.value && s.ipc ? { value: 'disable', ...from(s.ipc, 'the host IPC namespace disables SELinux labels') }
    : { value: undefined, source: 'default', note: 'the daemon\'s SELinux labels, when SELinux is enabled' });
  const procMount: Valued<string> =
    systemPaths?.value === 'unconfined' ? { ...systemPaths, value: 'Unmasked' }
    : privileged ? { value: 'Unmasked', ...privilegedNote('with no masked or read-only /proc and /sys paths') }
    : { value: 'Default', source: 'default', note: 'Docker masks and write-protects parts of /proc and /sys' };

  const readOnly: Valued<boolean> = s.readOnly
    ? { value: s.readOnly.value === true, ...from(s.readOnly, s.readOnly.value === undefined ? `${s.readOnly.raw} depends on a variable; assumed false` : undefined) }
    : { value: false, source: 'default' };
  const hostUsers: Valued<boolean> = s.userns
    ? { value: s.userns.value === undefined || s.userns.value === 'host' || s.userns.value === '', ...from(s.userns) }
    : { value: true, source: 'default', note: 'Docker uses no user namespace unless the daemon runs with userns-remap' };

  // moby getUser: GetExecUser's supplementary groups (the image's /etc/group memberships), then group_add.
  const fromImage = imageGroups(s.user, imageUser);
  const groups: number[] = [...(fromImage ?? [])];
  const named: string[] = [];
  for (const g of s.groupAdd) {
    if (g.value !== undefined && isNumericId(g.value)) groups.push(Number(g.value));
    else named.push(g.raw);
  }
  const imageNote = fromImage?.length ? `${fromImage.join(', ')} from the image's /etc/group (the user is given without a group)` : undefined;
  const supplementalGroups: Valued<readonly number[]> = s.groupAdd.length
    ? { value: [...new Set(groups)], ...from(s.groupAdd[0], [imageNote && `plus ${imageNote}`, named.length ? `group names resolved in the image's /etc/group: ${named.join(', ')}` : undefined].filter((n) => n).join('; ') || undefined) }
    : fromImage?.length
      ? { value: fromImage, source: 'image', field: '/etc/group', note: `the groups the image's /etc/group lists the user in: Docker adds them when the user is given without a group` }
      : { value: [], source: 'default', note: 'plus the user\'s groups in the image\'s /etc/group' };

  return {
    name: input.name,
    kind: input.kind,
    workload: input.workload,
    nameSpan: input.nameSpan,
    span: input.span,
    ...(input.image?.value !== undefined ? { image: input.image.value } : input.image ? { image: input.image.raw } : {}),
    ...(imageUser?.facts ? { imageFacts: imageUser.facts } : {}),
    user,
    group,
    supplementalGroups,
    privileged: privilegedV,
    allowPrivilegeEscalation: nnp,
    runAsNonRoot: { value: false, verdict: 'not-required', source: 'default', note: 'Docker has no runAsNonRoot check' },
    capabilities: capabilities(input, privileged, user.value, from),
    seccomp: seccompV,
    appArmor: appArmorV,
    seLinux: seLinuxV,
    readOnlyRootFilesystem: readOnly,
    procMount,
    hostNetwork,
    hostPID,
    hostIPC,
    hostUsers,
    windows: false,
  };
}

function provenance(source: Source, setting: Setting<unknown>, note?: string): Provenance {
  const inherited = setting.inheritedFrom !== undefined ? `inherited from service ${setting.inheritedFrom}` : undefined;
  const text = [note, inherited].filter((t) => t !== undefined).join('; ');
  return { source, field: setting.field, span: setting.span, ...(text ? { note: text } : {}) };
}

type User = Valued<number | undefined> & { readonly name?: string };

/** What the index is asked about a build; undefined when it cannot be followed (variables, an inline Dockerfile). */
function imageBuild(b: BuildSetting): ImageBuild | undefined {
  if (b.value === undefined || b.inline || (b.dockerfile && b.dockerfile.value === undefined) || (b.target && b.target.value === undefined)) return undefined;
  return { context: b.value, ...opt('dockerfile', b.dockerfile?.value), ...opt('target', b.target?.value) };
}

/**
 * The supplementary groups moby's getUser takes from the image (GetExecUser): with no group in the user
 * spec, every /etc/group entry listing the user's /etc/passwd entry; none when a group is given.
 * Undefined when not known (the image's member lists, or the user, are not known).
 */
function imageGroups(setting: Setting<string> | undefined, image: ImageUser | undefined): readonly number[] | undefined {
  if (setting) {
    if (!setting.value) return undefined;
    const spec = parseUserSpec(setting.value);
    if (spec.group !== undefined) return [];
    if (isNumericId(spec.user)) return image?.account?.uid === Number(spec.user) ? image.account.supplementaryGroups : undefined;
    return image?.name === spec.user ? image.supplementaryGroups : undefined;
  }
  if (!image?.spec || image.unknownBase !== undefined) return undefined;
  return parseUserSpec(image.spec).group !== undefined ? [] : image.supplementaryGroups;
}

/** The uid of a numeric `user` without a group: Docker takes its group from the image's /etc/passwd. */
function explicitUid(setting: Setting<string> | undefined): number | undefined {
  const spec = setting?.value ? parseUserSpec(setting.value) : undefined;
  return spec && spec.group === undefined && isNumericId(spec.user) ? Number(spec.user) : undefined;
}

function identity(input: DockerContainerInput, image: ImageUser | undefined, options: AnalysisOptions): { user: User; group: Valued<number | undefined> } {
  const setting = input.settings.user;
  if (setting) {
    const p = provenance(input.source, setting);
    if (setting.value === undefined || setting.value === '') {
      const note = setting.value === undefined ? `${setting.raw} depends on a variable` : 'empty user';
      return { user: { value: undefined, ...p, note }, group: { value: undefined, ...p, note } };
    }
    const spec = parseUserSpec(setting.value);
    const named = !isNumericId(spec.user);
    const imageGroup = image?.spec !== undefined ? parseUserSpec(image.spec).group : undefined;
    let uid: number | undefined;
    let userNote: string | undefined;
    if (!named) uid = Number(spec.user);
    else if (spec.user === 'root') uid = 0;
    else if (image?.name === spec.user && image.uid !== undefined) {
      uid = image.uid;
      userNote = `${spec.user} is uid ${uid} in the image (${image.note})`;
    } else userNote = `${spec.user} is looked up in the image's /etc/passwd, which is not known`;
    const user: User = { value: uid, ...p, ...(userNote ? { note: userNote } : {}), ...(named ? { name: spec.user } : {}) };
    let gid: number | undefined;
    let groupNote: string;
    if (spec.group !== undefined) {
      if (isNumericId(spec.group)) { gid = Number(spec.group); groupNote = ''; }
      else if (spec.group === 'root') { gid = 0; groupNote = ''; }
      else if (imageGroup === spec.group && image?.gid !== undefined) { gid = image.gid; groupNote = `${spec.group} is gid ${gid} in the image (${image.note})`; }
      else groupNote = `${spec.group} is looked up in the image's /etc/group, which is not known`;
    } else if (uid === 0) { gid = 0; groupNote = 'root\'s primary group'; }
    else if (uid !== undefined && image?.account?.uid === uid) {
      gid = image.account.gid;
      groupNote = image.account.name !== undefined ? `the primary group of uid ${uid} in the image's /etc/passwd: ${image.account.note}` : `${image.account.note}: gid 0`;
    } else if (uid !== undefined && image?.uid === uid && image.gid !== undefined) { gid = image.gid; groupNote = `the primary group of uid ${uid} in the image (${image.note})`; }
    else groupNote = 'the user\'s primary group in the image\'s /etc/passwd (gid 0 when it has no entry)';
    return { user, group: { value: gid, ...p, ...(groupNote ? { note: groupNote } : {}) } };
  }
  if (!image) {
    const note = input.imageKey !== undefined ? unknownImageNote(options, input.imageKey)
      : input.image || input.build ? `the USER of ${input.image ? `image ${input.image.raw}` : 'the built image'} is not known (no Dockerfile in the workspace builds it)`
      : 'no image';
    return { user: { value: undefined, source: 'image', field: 'USER', note }, group: { value: undefined, source: 'image', field: 'USER', note } };
  }
  if (image.unknownBase !== undefined) {
    return { user: { value: undefined, source: 'image', field: 'USER', note: image.note }, group: { value: undefined, source: 'image', field: 'USER', note: image.note } };
  }
  if (image.spec === undefined) {
    const note = image.facts && image.facts.from !== 'dockerfile' ? image.note : `the image sets no USER (${image.note}): Docker runs as root`;
    return { user: { value: 0, source: 'default', note }, group: { value: 0, source: 'default', note } };
  }
  const gid = image.gid ?? (image.uid === 0 ? 0 : undefined);
  return {
    user: { value: image.uid, source: 'image', field: 'USER', note: image.note, ...imageUserLine(image), ...(image.name !== undefined ? { name: image.name } : {}) },
    group: { value: gid, source: 'image', field: 'USER', note: image.note, ...imageUserLine(image) },
  };
}

function namespace(input: DockerContainerInput, ns: Namespace, setting: Setting<string> | undefined, from: (s: Setting<unknown>, note?: string) => Provenance): Valued<boolean> {
  if (!setting) return { value: false, source: 'default' };
  if (setting.value === undefined) return { value: false, ...from(setting, `${setting.raw} depends on a variable; assumed not host`) };
  const mode = parseNamespaceMode(setting.value);
  if (mode.kind === 'host') return { value: true, ...from(setting) };
  if (mode.kind === 'other') return { value: false, ...from(setting) };
  const shared = input.sharesHost?.(ns, mode.target);
  const what = `${mode.kind} ${mode.target}`;
  if (shared === true) return { value: true, ...from(setting, `joins ${what}, which uses the host namespace`) };
  return { value: false, ...from(setting, shared === false ? `joins ${what}` : `joins ${what}, whose namespace is not known`) };
}

function capabilities(
  input: DockerContainerInput,
  privileged: boolean,
  uid: number | undefined,
  from: (s: Setting<unknown>, note?: string) => Provenance,
): NonNullable<EffectiveContext['capabilities']> {
  const s = input.settings;
  const values = (list: readonly Setting<string>[]) => list.flatMap((c) => (c.value !== undefined ? [c.value] : []));
  const add = values(s.capAdd);
  const drop = values(s.capDrop);
  const { bounding, unusable } = boundingSet('docker', privileged, add, drop);
  const canonical = (names: readonly string[]) => [...new Set(names.map((n) => {
    const v = interpretCapabilityName('docker', n);
    return v.all ? 'ALL' : v.capability ?? n.toUpperCase();
  }))];
  const added = canonical(add);
  const dropped = canonical(drop);
  let provenance: Provenance;
  if (privileged && s.privileged) {
    provenance = from(s.privileged, 'privileged: every capability; cap_add and cap_drop are ignored');
  } else if (s.capAdd.length || s.capDrop.length) {
    const first = s.capAdd[0] ?? s.capDrop[0];
    const fields = [s.capAdd[0]?.field, s.capDrop[0]?.field].filter((f) => f !== undefined).join(', ');
    const notes: string[] = [];
    if (added.includes('ALL')) notes.push(`add ALL: every capability${dropped.length ? ` except ${dropped.filter((d) => d !== 'ALL').join(', ')}` : ''}`);
    else if (dropped.includes('ALL')) notes.push(`drop ALL: only ${added.length ? added.join(', ') : 'nothing'}`);
    else notes.push(`Docker's default set${dropped.length ? ` − ${dropped.join(', ')}` : ''}${added.length ? ` + ${added.join(', ')}` : ''}`);
    if (unusable.length) notes.push(`Docker refuses to create the container: unknown capability ${unusable.map((u) => u.raw).join(', ')}`);
    const variables = [...s.capAdd, ...s.capDrop].filter((c) => c.value === undefined);
    if (variables.length) notes.push(`not counted (variables): ${variables.map((c) => c.raw).join(', ')}`);
    provenance = { ...from(first), field: fields, note: notes.join('; ') + (first.inheritedFrom !== undefined ? `; inherited from service ${first.inheritedFrom}` : '') };
  } else {
    provenance = { source: 'default', note: 'Docker\'s default capability set' };
  }
  return { bounding, effective: uid === 0 ? bounding : [], added, dropped, provenance };
}
