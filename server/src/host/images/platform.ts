/**
 * Platforms (`os/arch[/variant]`) normalised and matched as containerd's `platforms.Normalize`
 * and its default matcher do: `x86_64` is `amd64`, `aarch64` is `arm64` (whose `v8` is implied),
 * `arm` defaults to `v7`.
 */
export interface Platform {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
}

export function normalizePlatform(p: { os?: string; architecture?: string; variant?: string }): Platform {
  const os = (p.os ?? '').toLowerCase();
  let arch = (p.architecture ?? '').toLowerCase();
  let variant = p.variant ? p.variant.toLowerCase() : undefined;
  switch (arch) {
    case 'x86_64': case 'x86-64': case 'amd64':
      arch = 'amd64';
      if (variant === 'v1') variant = undefined;
      break;
    case 'aarch64': case 'arm64':
      arch = 'arm64';
      if (variant === 'v8' || variant === '8') variant = undefined;
      break;
    case 'armhf': arch = 'arm'; variant = 'v7'; break;
    case 'armel': arch = 'arm'; variant = 'v6'; break;
    case 'arm':
      if (!variant || variant === '7') variant = 'v7';
      else if (/^[5-8]$/.test(variant)) variant = `v${variant}`;
      break;
    case 'i386': arch = '386'; break;
  }
  return { os, architecture: arch, ...(variant ? { variant } : {}) };
}

export function parsePlatform(text: string): Platform | undefined {
  const parts = text.trim().split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => !p)) return undefined;
  return normalizePlatform({ os: parts[0], architecture: parts[1], variant: parts[2] });
}

export function formatPlatform(p: Platform): string {
  return `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ''}`;
}

export function platformMatches(want: Platform, have: { os?: string; architecture?: string; variant?: string }): boolean {
  const h = normalizePlatform(have);
  return h.os === want.os && h.architecture === want.architecture && (h.variant ?? '') === (want.variant ?? '');
}
