/**
 * Computes each container's effective security context exactly as Kubernetes, the kubelet and
 * the runtime do, with the provenance of every value.
 */
import type { YAMLMap } from 'yaml';
import { boundingSet } from '../capabilities';
import type { EffectiveContext, Provenance, RunAsNonRootVerdict, Valued } from '../effective';
import { unknownImageNote } from '../images/unknown';
import { imageUserOf } from '../images/user';
import { imageUserLine, type AnalysisOptions, type ImageUser } from '../options';
import { mapAt, spanOf, stringAt } from '../yaml/nodes';
import { boolField, idField, idList, stringField, stringList, type FieldValue } from './fields';
import { keySpanAt, type ContainerModel, type PodModel } from './model';

const SC = 'securityContext';

function fromField<T>(f: FieldValue<T>, source: 'container' | 'pod', field: string, note?: string): Valued<T> {
  const valued: Valued<T> = { value: f.value, source, field: `${source === 'pod' ? 'spec.' : ''}${SC}.${field}`, span: f.alias ? f.span : f.keySpan, note };
  return f.alias ? { ...valued, alias: f.alias } : valued;
}

function overrideNote(pod: FieldValue<number | boolean | string> | undefined, field: string): string | undefined {
  return pod ? `overrides pod ${field} ${pod.value}` : undefined;
}

/**
 * The image user as the kubelet receives it: containerd's CRI `ImageStatus` reads `config.User` with
 * `getUserFromImage` (the part before `:`; a base-10 integer is a uid, anything else a user name), and
 * the kubelet's `getImageUser` treats an image with neither (no User, or an empty user part) as root.
 */
export function criImageUser(configUser: string): { readonly uid: number } | { readonly username: string } {
  const user = configUser.split(':')[0];
  // strconv.ParseInt(user, 10, 64): an optional sign and decimal digits, within int64.
  if (/^[+-]?\d+$/.test(user)) {
    const big = BigInt(user);
    if (big >= -(2n ** 63n) && big < 2n ** 63n) return { uid: Number(big) };
  }
  return user === '' ? { uid: 0 } : { username: user };
}

const MAX_INT32 = 2 ** 31 - 1;

/** The kubelet's `verifyRunAsNonRoot` over the effective runAsNonRoot, runAsUser and the image's user. */
export function kubeletVerdict(
  runAsNonRoot: boolean,
  explicitUid: number | undefined,
  image: ImageUser | undefined,
): { verdict: RunAsNonRootVerdict; message?: string } {
  if (!runAsNonRoot) return { verdict: 'not-required' };
  if (explicitUid !== undefined) {
    return explicitUid === 0 ? { verdict: 'fail', message: "container's runAsUser breaks non-root policy" } : { verdict: 'pass' };
  }
  if (!image) return { verdict: 'unknown', message: 'the image user is not known: the kubelet checks it when the container starts' };
  if (image.unknownBase !== undefined) return { verdict: 'unknown', message: `the image's user comes from base image ${image.unknownBase}, which is not known: the kubelet checks it when the container starts` };
  const spec = image.spec ?? '';
  if (spec.includes('$')) return { verdict: 'unknown', message: `the image USER ${spec} depends on build arguments` };
  const user = criImageUser(spec);
  if ('username' in user) return { verdict: 'unverifiable', message: `container has runAsNonRoot and image has non-numeric user (${user.username}), cannot verify user is non-root` };
  if (user.uid === 0) return { verdict: 'fail', message: 'container has runAsNonRoot and image will run as root' };
  if (user.uid < 0 || user.uid > MAX_INT32) return { verdict: 'fail', message: `container has runAsNonRoot and image has an invalid user id (${user.uid}). (Must be 1-(${MAX_INT32}))` };
  return image.buildArgs?.length ? { verdict: 'pass', message: `judged by the default of ARG ${image.buildArgs.join(', ')}: --build-arg can change it` } : { verdict: 'pass' };
}

function seccompOf(sc: YAMLMap<unknown, unknown> | undefined): FieldValue<string> | undefined {
  const profile = mapAt(sc, 'seccompProfile');
  const type = stringField(profile, 'type');
  if (!type) return undefined;
  const local = stringAt(profile, 'localhostProfile');
  return { ...type, value: type.value === 'Localhost' && local ? `Localhost (${local})` : type.value };
}

function appArmorOf(sc: YAMLMap<unknown, unknown> | undefined): FieldValue<string> | undefined {
  const profile = mapAt(sc, 'appArmorProfile');
  const type = stringField(profile, 'type');
  if (!type) return undefined;
  const local = stringAt(profile, 'localhostProfile');
  return { ...type, value: type.value === 'Localhost' && local ? `Localhost (${local})` : type.value };
}

function seLinuxOf(sc: YAMLMap<unknown, unknown> | undefined): FieldValue<string> | undefined {
  const opts = mapAt(sc, 'seLinuxOptions');
  const span = spanOf(opts);
  if (!opts || !span) return undefined;
  const parts = ['user', 'role', 'type', 'level'].map((k) => stringAt(opts, k) ?? '').join(':');
  return { value: parts, span, keySpan: span };
}

function preferContainer<T>(
  c: FieldValue<T> | undefined,
  p: FieldValue<T> | undefined,
  field: string,
  fallback: Valued<T>,
  describe: (v: T) => string = String,
): Valued<T> {
  if (c) return fromField(c, 'container', field, p ? `overrides pod ${field} ${describe(p.value)}` : undefined);
  if (p) return fromField(p, 'pod', field);
  return fallback;
}

const DEFAULT_FALSE: Valued<boolean> = { value: false, source: 'default' };

/** What every container of a pod reads from the pod: looked up once per pod, not once per container. */
interface PodLevel {
  readonly annotations: YAMLMap<unknown, unknown> | undefined;
  readonly runAsUser: FieldValue<number> | undefined;
  readonly runAsUserName: FieldValue<string> | undefined;
  readonly runAsGroup: FieldValue<number> | undefined;
  readonly supplementalGroups: Valued<readonly number[]>;
  /** `supplementalGroupsPolicy`: Merge (the default) adds the image's /etc/group memberships, Strict does not. */
  readonly supplementalGroupsPolicy: FieldValue<string> | undefined;
  readonly runAsNonRoot: FieldValue<boolean> | undefined;
  readonly seccomp: FieldValue<string> | undefined;
  readonly appArmor: FieldValue<string> | undefined;
  readonly seLinux: FieldValue<string> | undefined;
  readonly hostNetwork: Valued<boolean>;
  readonly hostPID: Valued<boolean>;
  readonly hostIPC: Valued<boolean>;
  readonly hostUsers: Valued<boolean>;
}

const podLevels = new WeakMap<PodModel, PodLevel>();

function podLevelOf(pod: PodModel): PodLevel {
  const cached = podLevels.get(pod);
  if (cached) return cached;
  const psc = pod.securityContext;
  // Supplemental groups: pod supplementalGroups plus fsGroup.
  const supplemental = idList(psc, 'supplementalGroups');
  const fsGroup = idField(psc, 'fsGroup');
  const groups = [...supplemental, ...(fsGroup && !supplemental.includes(fsGroup.value) ? [fsGroup.value] : [])];
  const groupFields = [...(supplemental.length ? ['supplementalGroups'] : []), ...(fsGroup ? ['fsGroup'] : [])];
  const podBool = (key: string, fallback: boolean): Valued<boolean> => {
    const f = boolField(pod.spec, key);
    if (!f) return { value: fallback, source: 'default' };
    return f.alias ? { value: f.value, source: 'pod', field: `spec.${key}`, span: f.span, alias: f.alias } : { value: f.value, source: 'pod', field: `spec.${key}`, span: f.keySpan };
  };
  const level: PodLevel = {
    annotations: mapAt(mapAt(pod.podObject, 'metadata'), 'annotations'),
    runAsUser: idField(psc, 'runAsUser'),
    runAsUserName: stringField(mapAt(psc, 'windowsOptions'), 'runAsUserName'),
    runAsGroup: idField(psc, 'runAsGroup'),
    supplementalGroups: groups.length
      ? { value: groups, source: 'pod', field: `spec.securityContext.${groupFields.join(' + ')}`, span: fsGroup?.keySpan ?? keySpanAt(psc, 'supplementalGroups') }
      : { value: [], source: 'default' },
    supplementalGroupsPolicy: stringField(psc, 'supplementalGroupsPolicy'),
    runAsNonRoot: boolField(psc, 'runAsNonRoot'),
    seccomp: seccompOf(psc),
    appArmor: appArmorOf(psc),
    seLinux: seLinuxOf(psc),
    hostNetwork: podBool('hostNetwork', false),
    hostPID: podBool('hostPID', false),
    hostIPC: podBool('hostIPC', false),
    hostUsers: podBool('hostUsers', true),
  };
  podLevels.set(pod, level);
  return level;
}

const WINDOWS_ROOT = 'ContainerAdministrator';

/**
 * The Windows kubelet's runAsNonRoot check (kuberuntime security_context_windows.go verifyRunAsNonRoot):
 * ContainerAdministrator, compared case-insensitively, is root; any other runAsUserName passes; without
 * one, the image's user decides the same way.
 */
export function windowsKubeletVerdict(runAsNonRoot: boolean, runAsUserName: string | undefined, image: ImageUser | undefined): { verdict: RunAsNonRootVerdict; message?: string } {
  if (!runAsNonRoot) return { verdict: 'not-required' };
  if (runAsUserName !== undefined) {
    return runAsUserName.toLowerCase() === WINDOWS_ROOT.toLowerCase()
      ? { verdict: 'fail', message: `container's runAsUserName (${runAsUserName}) which will be regarded as root identity and will break non-root policy` }
      : { verdict: 'pass' };
  }
  if (!image || image.unknownBase !== undefined) return { verdict: 'unknown', message: 'the image\'s default account is not known: the kubelet checks it when the container starts' };
  const name = image.spec ?? '';
  if (name.toLowerCase() === WINDOWS_ROOT.toLowerCase()) return { verdict: 'fail', message: `container's runAsUser (${name}) which will be regarded as root identity and will break non-root policy` };
  return { verdict: 'pass' };
}

/**
 * The primary group when no runAsGroup is set. The kubelet passes the runtime only the uid (or the
 * name) of the image's User, never its `:group` (kuberuntime determineEffectiveSecurityContext sets
 * RunAsUser; containerd's getUserFromImage drops the group), so containerd (WithUserID) and CRI-O
 * (setupContainerUser) take the primary group from the image's /etc/passwd: gid 0 without an entry
 * (kubernetes#61967). Docker and Compose pass `uid:gid` through and keep the image's group.
 */
function imageGroup(container: ContainerModel, image: ImageUser | undefined, user: EffectiveContext['user'], explicitUid: number | undefined, options: AnalysisOptions): Valued<number | undefined> {
  const noEntry: Valued<number | undefined> = { value: user.source === 'image' && user.value === undefined ? undefined : 0, source: 'default', note: 'the primary group of a uid not in the image\'s /etc/passwd is 0' };
  if (user.source === 'image' && image) {
    const groupPart = image.spec?.includes(':') ? image.spec.slice(image.spec.indexOf(':') + 1) : undefined;
    if (groupPart === undefined) {
      return image.gid !== undefined ? { value: image.gid, source: 'image', field: 'USER', note: image.note, ...imageUserLine(image) } : noEntry;
    }
    const why = `the kubelet passes the runtime only the user of USER ${image.spec}, not its group (kubernetes#61967): the runtime takes the primary group from the image's /etc/passwd; Docker and Compose would use ${groupPart}`;
    if (image.uid === undefined) return { value: undefined, source: 'image', field: '/etc/passwd', note: why };
    const account = container.image ? imageUserOf(options, container.image, image.uid)?.account : undefined;
    if (account && account.uid === image.uid) return { value: account.gid, source: 'image', field: '/etc/passwd', note: `${why}: ${account.name === undefined ? `${account.note}: gid 0` : account.note}` };
    return { value: 0, source: 'default', note: `${why}: gid 0 unless it has an entry for uid ${image.uid}` };
  }
  const account = explicitUid !== undefined && image?.account?.uid === explicitUid ? image.account : undefined;
  if (account) return { value: account.gid, source: 'image', field: '/etc/passwd', note: account.name === undefined ? `${account.note}: gid 0` : account.note };
  return noEntry;
}

/**
 * The pod's supplementary groups plus, under supplementalGroupsPolicy Merge (the default), the groups
 * the image's /etc/group lists the user in: containerd (WithAdditionalGIDs) and CRI-O
 * (setupContainerUser) add them for Merge and not for Strict.
 */
function withImageGroups(pod: PodLevel, imageGroups: readonly number[] | undefined): Valued<readonly number[]> {
  const base = pod.supplementalGroups;
  const strict = pod.supplementalGroupsPolicy?.value === 'Strict';
  if (strict) {
    const note = 'supplementalGroupsPolicy Strict: the image\'s /etc/group memberships are not added';
    return base.source === 'default' ? { value: base.value, source: 'pod', field: 'spec.securityContext.supplementalGroupsPolicy', span: pod.supplementalGroupsPolicy?.keySpan, note } : { ...base, note };
  }
  const added = (imageGroups ?? []).filter((g) => !base.value.includes(g));
  if (added.length === 0) return base;
  const note = `plus ${added.join(', ')} from the image's /etc/group (supplementalGroupsPolicy ${pod.supplementalGroupsPolicy ? 'Merge' : 'Merge, the default'})`;
  return base.source === 'default' ? { value: added, source: 'image', field: '/etc/group', note } : { ...base, value: [...base.value, ...added], note };
}

export function resolveContainer(pod: PodModel, container: ContainerModel, options: AnalysisOptions): EffectiveContext {
  const podLevel = podLevelOf(pod);
  const csc = container.securityContext;
  // User: container runAsUser → pod runAsUser → image USER → 0.
  const cUid = idField(csc, 'runAsUser');
  const pUid = podLevel.runAsUser;
  const explicitUid = cUid?.value ?? pUid?.value;
  const image = container.image ? imageUserOf(options, container.image, explicitUid) : undefined;
  const annotations = podLevel.annotations;
  let user: EffectiveContext['user'];
  const userName = pod.windows ? preferContainer<string | undefined>(stringField(mapAt(csc, 'windowsOptions'), 'runAsUserName'), podLevel.runAsUserName, 'windowsOptions.runAsUserName', { value: undefined, source: 'default' }) : undefined;
  if (pod.windows) {
    // Windows: the user is a named account (windowsOptions.runAsUserName, else the image's User); uid is not a concept.
    const imageName = image?.spec !== undefined && image.spec !== '' ? image.spec : undefined;
    user = userName?.value !== undefined ? { ...userName, value: undefined, name: userName.value }
      : imageName !== undefined && image ? { value: undefined, name: imageName, source: 'image', field: 'USER', note: image.note, ...imageUserLine(image) }
      : { value: undefined, source: image ? 'image' : 'default', note: 'the image\'s default account (ContainerUser or ContainerAdministrator, from the image config)' };
  } else if (cUid) user = fromField(cUid, 'container', 'runAsUser', overrideNote(pUid, 'runAsUser'));
  else if (pUid) user = fromField(pUid, 'pod', 'runAsUser');
  else if (image?.spec !== undefined) user = { value: image.uid, name: image.name, source: 'image', field: 'USER', note: image.note, ...imageUserLine(image) };
  else if (image?.unknownBase !== undefined) user = { value: undefined, source: 'image', field: 'USER', note: image.note };
  else if (image) user = { value: 0, name: 'root', source: 'image', field: 'USER', note: image.facts && image.facts.from !== 'dockerfile' ? image.note : `the image sets no USER: root (${image.note})` };
  else if (container.image) user = { value: undefined, source: 'image', field: 'USER', note: unknownImageNote(options, container.image) };
  else user = { value: 0, source: 'default', note: 'no runAsUser and no image user: root' };

  // Group: container runAsGroup → pod runAsGroup → the image user's group, or for an explicit uid its
  // group in the image's /etc/passwd (the runtime looks it up: gid 0 without an entry) → 0.
  const cGid = idField(csc, 'runAsGroup');
  const pGid = podLevel.runAsGroup;
  const group = pod.windows
    ? { value: undefined, source: 'default' as const, note: 'Windows containers have no Linux group' }
    : preferContainer<number | undefined>(cGid, pGid, 'runAsGroup', imageGroup(container, image, user, explicitUid, options));

  const privileged = preferContainer(boolField(csc, 'privileged'), undefined, 'privileged', DEFAULT_FALSE);
  const ape = boolField(csc, 'allowPrivilegeEscalation');
  const allowPrivilegeEscalation: Valued<boolean> = ape
    ? fromField(ape, 'container', 'allowPrivilegeEscalation')
    : { value: true, source: 'default', note: 'true unless explicitly false' };

  const cRanr = boolField(csc, 'runAsNonRoot');
  const pRanr = podLevel.runAsNonRoot;
  const ranr = preferContainer(cRanr, pRanr, 'runAsNonRoot', DEFAULT_FALSE);
  const verdict = pod.windows ? windowsKubeletVerdict(ranr.value, userName?.value, image) : kubeletVerdict(ranr.value, explicitUid, image);

  let capabilities: EffectiveContext['capabilities'];
  if (!pod.windows) {
    const caps = mapAt(csc, 'capabilities');
    const added = stringList(caps, 'add').map((i) => i.value);
    const dropped = stringList(caps, 'drop').map((i) => i.value);
    const { bounding } = boundingSet(options.runtime, privileged.value, added, dropped);
    const provenance: Provenance = privileged.value
      ? { source: 'container', field: 'securityContext.privileged', span: privileged.span, note: 'privileged: all capabilities, add/drop ignored' }
      : caps
        ? { source: 'container', field: 'securityContext.capabilities', span: spanOf(caps), note: `${options.runtime} defaults with add/drop applied` }
        : { source: 'runtime', note: `${options.runtime} default set` };
    capabilities = { bounding, effective: user.value === 0 ? bounding : [], added, dropped, provenance };
  }

  const seccompFallback: Valued<string> = options.seccompDefault
    ? { value: 'RuntimeDefault', source: 'default', note: 'the kubelet\'s SeccompDefault is on' }
    : { value: 'Unconfined', source: 'default', note: 'no seccompProfile: the kubelet runs the container Unconfined unless its SeccompDefault setting is on' };
  const askedSeccomp = preferContainer(seccompOf(csc), podLevel.seccomp, 'seccompProfile', seccompFallback);
  // containerd generateSeccompSpecOpts and CRI-O setupSeccomp apply no profile to a privileged container.
  const seccomp: Valued<string> = privileged.value && askedSeccomp.value !== 'Unconfined'
    ? { value: 'Unconfined', source: 'container', field: 'securityContext.privileged', span: privileged.span, note: `privileged: the runtime applies no seccomp profile (${askedSeccomp.value} ${askedSeccomp.source === 'default' ? 'by default' : `from ${askedSeccomp.source} ${askedSeccomp.field}`} is ignored)` }
    : askedSeccomp;

  const annotationProfile = stringAt(annotations, `container.apparmor.security.beta.kubernetes.io/${container.name}`);
  const appArmorFallback: Valued<string> = annotationProfile
    ? { value: annotationProfile, source: 'pod', field: `metadata.annotations[container.apparmor.security.beta.kubernetes.io/${container.name}]` }
    : { value: 'RuntimeDefault', source: 'default', note: 'the runtime\'s default AppArmor profile where AppArmor is enabled' };
  const appArmor = preferContainer(appArmorOf(csc), podLevel.appArmor, 'appArmorProfile', appArmorFallback);

  const seLinux = preferContainer<string | undefined>(seLinuxOf(csc), podLevel.seLinux, 'seLinuxOptions', { value: undefined, source: 'runtime', note: 'labels assigned by the runtime' });
  const readOnlyRootFilesystem = preferContainer(boolField(csc, 'readOnlyRootFilesystem'), undefined, 'readOnlyRootFilesystem', DEFAULT_FALSE);
  const procMount = preferContainer(stringField(csc, 'procMount'), undefined, 'procMount', { value: 'Default', source: 'default' });
  return {
    name: container.name,
    kind: container.kind,
    workload: pod.workload,
    nameSpan: container.nameSpan,
    span: spanOf(container.node) ?? container.nameSpan,
    image: container.image,
    ...(image?.facts ? { imageFacts: image.facts } : {}),
    user,
    group,
    supplementalGroups: pod.windows ? podLevel.supplementalGroups : withImageGroups(podLevel, user.source === 'image' ? image?.supplementaryGroups : explicitUid !== undefined && image?.account?.uid === explicitUid ? image.account.supplementaryGroups : undefined),
    privileged,
    allowPrivilegeEscalation,
    runAsNonRoot: { ...ranr, ...verdict },
    capabilities,
    seccomp,
    appArmor,
    seLinux,
    readOnlyRootFilesystem,
    procMount,
    hostNetwork: podLevel.hostNetwork,
    hostPID: podLevel.hostPID,
    hostIPC: podLevel.hostIPC,
    hostUsers: podLevel.hostUsers,
    windows: pod.windows,
  };
}
