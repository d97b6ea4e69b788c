/** Which files hold Compose services or `docker run` command lines. */

function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

/** `compose.yaml`, `docker-compose.yml`, `compose.override.yaml`, `docker-compose.prod.yml`, ... */
export function isComposeFileName(path: string): boolean {
  return /^(?:docker-)?compose(?:\.[^/\\]+)?\.ya?ml$/.test(baseName(path).toLowerCase());
}

export type DockerRunHost = 'shell' | 'makefile' | 'markdown';

/** What kind of file may hold `docker run` lines: a shell script (by extension or shebang), a Makefile, Markdown. */
export function dockerRunHostKind(path: string, text: string): DockerRunHost | undefined {
  const base = baseName(path);
  const lower = base.toLowerCase();
  if (/\.(?:sh|bash|zsh|ksh)$/.test(lower)) return 'shell';
  if (/^(?:gnumakefile|makefile)$/.test(lower) || /\.mk$/.test(lower)) return 'makefile';
  if (/\.(?:md|markdown)$/.test(lower)) return 'markdown';
  const firstLine = text.slice(0, Math.max(0, text.indexOf('\n')) || text.length);
  if (/^#!.*\b(?:ba|z|k|da)?sh\b/.test(firstLine)) return 'shell';
  return undefined;
}

export function isDockerRunHost(path: string, text: string): boolean {
  return dockerRunHostKind(path, text) !== undefined;
}
