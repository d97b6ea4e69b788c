/** How Docker reads the values of security settings (docker/cli parseSecurityOpts, moby parseSecurityOpt). */

export type SecurityOpt =
  | { readonly kind: 'no-new-privileges'; readonly enabled: boolean | undefined }
  | { readonly kind: 'seccomp'; readonly profile: string }
  | { readonly kind: 'apparmor'; readonly profile: string }
  | { readonly kind: 'label'; readonly value: string }
  | { readonly kind: 'systempaths'; readonly value: string }
  | { readonly kind: 'other'; readonly key: string; readonly value: string }
  | { readonly kind: 'invalid' };

/**
 * `key=value`, or the old `key:value` when there is no `=`; bare `no-new-privileges` means true.
 * `no-new-privileges` takes Go's strconv.ParseBool values.
 */
export function parseSecurityOpt(opt: string): SecurityOpt {
  let key: string;
  let value: string | undefined;
  const eq = opt.indexOf('=');
  if (eq >= 0) {
    key = opt.slice(0, eq);
    value = opt.slice(eq + 1);
  } else if (opt === 'no-new-privileges') {
    key = opt;
  } else {
    const colon = opt.indexOf(':');
    if (colon < 0) return { kind: 'invalid' };
    key = opt.slice(0, colon);
    value = opt.slice(colon + 1);
  }
  switch (key) {
    case 'no-new-privileges':
      return { kind: 'no-new-privileges', enabled: value === undefined ? true : parseGoBool(value) };
    case 'seccomp':
      return { kind: 'seccomp', profile: value ?? '' };
    case 'apparmor':
      return { kind: 'apparmor', profile: value ?? '' };
    case 'label':
      return { kind: 'label', value: value ?? '' };
    case 'systempaths':
      // docker/cli unmasks the paths only for the exact `systempaths=unconfined`.
      return eq >= 0 ? { kind: 'systempaths', value: value ?? '' } : { kind: 'invalid' };
    default:
      return { kind: 'other', key, value: value ?? '' };
  }
}

/** Go's strconv.ParseBool. */
export function parseGoBool(s: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)) return false;
  return undefined;
}

/** Compose's boolean strings after interpolation (compose-go `toBoolean`). */
export function parseComposeBool(s: string): boolean | undefined {
  const lower = s.toLowerCase();
  if (['y', 'yes', 'true', 'on'].includes(lower)) return true;
  if (['n', 'no', 'false', 'off'].includes(lower)) return false;
  return undefined;
}

/** `user`, `user:group`, `uid:gid`, ... split at the first colon. */
export function parseUserSpec(spec: string): { readonly user: string; readonly group?: string } {
  const colon = spec.indexOf(':');
  return colon < 0 ? { user: spec } : { user: spec.slice(0, colon), group: spec.slice(colon + 1) };
}

export function isNumericId(s: string): boolean {
  return /^\d+$/.test(s) && Number(s) <= 0xffffffff;
}

/** `host`, `service:x`, `container:x`, anything else (bridge, a network name, `private`, ...). */
export type NamespaceMode =
  | { readonly kind: 'host' }
  | { readonly kind: 'service' | 'container'; readonly target: string }
  | { readonly kind: 'other'; readonly value: string };

export function parseNamespaceMode(value: string): NamespaceMode {
  if (value === 'host') return { kind: 'host' };
  const m = /^(service|container):(.+)$/.exec(value);
  if (m) return { kind: m[1] === 'service' ? 'service' : 'container', target: m[2] };
  return { kind: 'other', value };
}

/** The value after Compose interpolation: `$$` is a literal `$`; any `${VAR}`/`$VAR` makes it unknown. */
export function interpolate(raw: string): string | undefined {
  if (raw.replace(/\$\$/g, '').includes('$')) return undefined;
  return raw.replace(/\$\$/g, '$');
}

/** `{ [key]: value }` when the value is defined, `{}` otherwise (for exactOptional-style spreads). */
export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
