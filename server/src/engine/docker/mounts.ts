/**
 * The host side of Docker and Compose mounts, as the tools read them: only bind mounts have one.
 * Sources of variables stay as written (the caller decides).
 */

/** compose-go format isFilePath: `.`, `/`, `~`, a Windows named pipe or drive letter make a source a host path. */
function isFilePath(source: string): boolean {
  if (source === '') return false;
  if ('./~'.includes(source[0])) return true;
  return source.startsWith('\\\\') || /^[A-Za-z]:/.test(source);
}

/** `source:target[:mode]` split as compose-go format.ParseVolume does (a drive letter's colon is part of the path). */
function splitVolume(spec: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < spec.length; i++) {
    const c = spec[i];
    if (c === ':' && !(current.length === 1 && /[A-Za-z]/.test(current) && (spec[i + 1] === '\\' || spec[i + 1] === '/'))) {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  return parts;
}

/** The host path of a Compose short-syntax volume (compose-go format.ParseVolume, populateType); undefined for named and anonymous volumes. */
export function composeVolumeSource(spec: string): string | undefined {
  const parts = splitVolume(spec);
  if (parts.length < 2) return undefined;
  return isFilePath(parts[0]) ? parts[0] : undefined;
}

/** The host path of `docker run -v source:target[:mode]` (moby volume/mounts linuxParser: a source that is a path binds it). */
export function volumeSource(spec: string): string | undefined {
  return composeVolumeSource(spec);
}

/** The host path of `--mount type=bind,source=…` (docker/cli opts.MountOpt: `source`/`src`; type defaults to volume). */
export function mountSource(csv: string): string | undefined {
  let type = 'volume';
  let source: string | undefined;
  for (const field of csv.split(',')) {
    const eq = field.indexOf('=');
    const key = (eq < 0 ? field : field.slice(0, eq)).trim().toLowerCase();
    const value = eq < 0 ? '' : field.slice(eq + 1).trim();
    if (key === 'type') type = value.toLowerCase();
    else if (key === 'source' || key === 'src') source = value;
  }
  return type === 'bind' && source ? source : undefined;
}
