/**
 * Image references (`[registry/]repository[:tag][@digest]`), split and normalised the way the
 * Docker CLI reads them: a first component with a `.` or `:`, or `localhost`, is a registry;
 * Docker Hub's `docker.io/` and `library/` prefixes are implied and so stripped for matching.
 */

export interface ImageReference {
  /** Registry host, absent for Docker Hub. */
  readonly registry?: string;
  /** Repository path without registry, tag or digest, e.g. `node`, `bitnami/redis`, `distroless/static`. */
  readonly path: string;
  readonly tag?: string;
  readonly digest?: string;
}

const DOCKER_HUB = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

export function parseImageReference(reference: string): ImageReference | undefined {
  let rest = reference.trim();
  if (!rest || /\s/.test(rest)) return undefined;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const parts = rest.split('/');
  let registry: string | undefined;
  if (parts.length > 1 && (/[.:]/.test(parts[0]) || parts[0] === 'localhost')) registry = parts.shift()?.toLowerCase();
  if (registry && DOCKER_HUB.has(registry)) registry = undefined;
  if (!registry && parts.length === 2 && parts[0] === 'library') parts.shift();
  const path = parts.join('/').toLowerCase();
  if (!path || parts.some((p) => p === '')) return undefined;
  return { ...(registry ? { registry } : {}), path, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

/** The repository an image reference names, for matching: `docker.io/library/node:22@sha256:…` → `node`. */
export function imageRepository(reference: string): string | undefined {
  const ref = parseImageReference(reference);
  if (!ref) return undefined;
  return ref.registry ? `${ref.registry}/${ref.path}` : ref.path;
}
