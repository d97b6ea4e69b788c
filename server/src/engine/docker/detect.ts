/** Which files hold Compose services or `docker run` command lines. */
import { isMap, parseDocument } from 'yaml';

function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

/** `compose.yaml`, `docker-compose.yml`, `compose.override.yaml`, `docker-compose.prod.yml`, ... */
export function isComposeFileName(path: string): boolean {
  return /^(?:docker-)?compose(?:\.[^/\\]+)?\.ya?ml$/.test(baseName(path).toLowerCase());
}

/** Keys of a Compose service definition (compose-spec service properties) that mark a mapping as one. */
const SERVICE_KEYS = new Set(['image', 'build', 'command', 'entrypoint', 'ports', 'volumes', 'environment', 'env_file', 'container_name', 'depends_on', 'networks', 'deploy', 'restart', 'extends', 'cap_add', 'cap_drop', 'privileged', 'user', 'security_opt', 'healthcheck', 'labels', 'expose', 'network_mode', 'pid', 'ipc', 'devices', 'read_only', 'working_dir', 'profiles']);

/**
 * A Compose file by content, whatever its name (`stack.yml`, `docker-stack.yml`, `deploy/prod.yml`):
 * a top-level `services:` mapping whose entries are service definitions, and no `apiVersion`/`kind`
 * (a Kubernetes resource). Compose loads any file given with `-f`; `docker stack deploy -c` the same.
 */
export function looksLikeCompose(text: string): boolean {
  if (!/^services[ \t]*:/m.test(text) || /^(apiVersion|kind)[ \t]*:/m.test(text)) return false;
  let doc;
  try {
    doc = parseDocument(text, { uniqueKeys: false });
  } catch {
    return false;
  }
  if (doc.errors.length || !isMap(doc.contents)) return false;
  const services = doc.contents.get('services');
  if (!isMap(services) || services.items.length === 0) return false;
  return services.items.some((pair) => isMap(pair.value) && pair.value.items.some((p) => SERVICE_KEYS.has(String((p.key as { value?: unknown } | null)?.value ?? p.key))));
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
