/** Compose's merge rules for `extends` within one file (compose-spec merge.md, compose-go override). */
import { EMPTY_SETTINGS, type BuildSetting, type DockerSettings, type Setting } from './model';
import { optional as opt } from './values';

/** A base service in another file (`extends: {file, service}`): not read, so what it sets is not known. */
export interface ExternalBase {
  readonly file: string;
  readonly service: string;
}

export interface ResolvedService {
  readonly settings: DockerSettings;
  readonly image?: Setting<string>;
  readonly build?: BuildSetting;
  /** At the root of the `extends` chain, below every setting this file shows. */
  readonly external?: ExternalBase;
}

function inherit<S extends Setting<unknown>>(s: S, base: string): S {
  return s.inheritedFrom !== undefined ? s : { ...s, inheritedFrom: base };
}

/** Sequences are appended, keeping one entry per key (the service's own wins). */
function appendUnique(base: readonly Setting<string>[], own: readonly Setting<string>[], baseName: string, key: (s: Setting<string>) => string): Setting<string>[] {
  const ownKeys = new Set(own.map(key));
  const kept: Setting<string>[] = [];
  const seen = new Set<string>();
  for (const s of base) {
    const k = key(s);
    if (ownKeys.has(k) || seen.has(k)) continue;
    seen.add(k);
    kept.push(inherit(s, baseName));
  }
  return [...kept, ...own];
}

const byValue = (s: Setting<string>) => s.value ?? s.raw;
const capabilityKey = (s: Setting<string>) => byValue(s).toUpperCase().replace(/^CAP_/, '');
/** Devices are unique by their path in the container. */
const deviceTarget = (s: Setting<string>) => {
  const parts = byValue(s).split(':');
  return parts.length >= 2 && !/^[rwm]+$/.test(parts[1]) ? parts[1] : parts[0];
};
const sysctlName = (s: Setting<string>) => byValue(s).split('=')[0];

/**
 * `extends`: the base service's settings under the service's own (Compose merge rules):
 * mappings merged by key, sequences appended, scalars overridden.
 */
export function mergeService(base: ResolvedService, own: ResolvedService, baseName: string): ResolvedService {
  const b = base.settings;
  const o = own.settings;
  const scalar = <S extends Setting<unknown>>(x: S | undefined, y: S | undefined) => y ?? (x ? inherit(x, baseName) : undefined);
  const settings: DockerSettings = {
    ...EMPTY_SETTINGS,
    ...opt('user', scalar(b.user, o.user)),
    ...opt('privileged', scalar(b.privileged, o.privileged)),
    capAdd: appendUnique(b.capAdd, o.capAdd, baseName, capabilityKey),
    capDrop: appendUnique(b.capDrop, o.capDrop, baseName, capabilityKey),
    devices: appendUnique(b.devices, o.devices, baseName, deviceTarget),
    securityOpt: appendUnique(b.securityOpt, o.securityOpt, baseName, byValue),
    ...opt('readOnly', scalar(b.readOnly, o.readOnly)),
    ...opt('pid', scalar(b.pid, o.pid)),
    ...opt('ipc', scalar(b.ipc, o.ipc)),
    ...opt('network', scalar(b.network, o.network)),
    ...opt('userns', scalar(b.userns, o.userns)),
    groupAdd: appendUnique(b.groupAdd, o.groupAdd, baseName, byValue),
    sysctls: appendUnique(b.sysctls, o.sysctls, baseName, sysctlName),
    mounts: appendUnique(b.mounts, o.mounts, baseName, byValue),
  };
  return { settings, ...opt('image', scalar(base.image, own.image)), ...opt('build', scalar(base.build, own.build)), ...opt('external', base.external) };
}
