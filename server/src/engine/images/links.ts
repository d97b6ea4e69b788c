/**
 * Where the workspace says an image is built: `.secctx.yaml` `images:`, Compose `build` + `image`,
 * Skaffold `build.artifacts`. Pure: file contents (or the parsed config) in, links out. Paths are `/`-separated.
 */
import { parseAllDocuments, parseDocument, type Node } from 'yaml';
import type { ProjectConfig } from '../config';
import type { ImageBuild } from '../options';
import type { Span } from '../types';
import { asMap, entries, indexAliases, mapAt, seqAt, stringAt } from '../yaml/nodes';
import { imageRepository } from './reference';

export type LinkKind = 'config' | 'compose' | 'skaffold';

export interface ImageLink {
  /** The repository the link matches (tag and digest ignored, Docker Hub prefixes stripped). */
  readonly image: string;
  readonly dockerfile: string;
  readonly target?: string;
  readonly kind: LinkKind;
  /** The file that declares the link. */
  readonly source: string;
  /** What declares it, after `via`: `docker-compose.yaml service api`, `skaffold.yaml`. */
  readonly via: string;
}

export interface LinkProblem {
  readonly span: Span;
  readonly message: string;
}

export const posix = {
  normalize(p: string): string {
    const abs = p.startsWith('/');
    const out: string[] = [];
    for (const part of p.split('/')) {
      if (part === '' || part === '.') continue;
      if (part === '..' && out.length && out[out.length - 1] !== '..') out.pop();
      else if (part !== '..' || !abs) out.push(part);
    }
    return (abs ? '/' : '') + out.join('/') || (abs ? '/' : '.');
  },
  dirname(p: string): string {
    const i = p.lastIndexOf('/');
    return i <= 0 ? (i === 0 ? '/' : '.') : p.slice(0, i);
  },
  isAbsolute(p: string): boolean {
    return p.startsWith('/') || /^[A-Za-z]:\//.test(p);
  },
  join(dir: string, rel: string): string {
    return posix.isAbsolute(rel) ? posix.normalize(rel) : posix.normalize(`${dir}/${rel}`);
  },
  /** True when `p` is `dir` or inside it. */
  within(p: string, dir: string): boolean {
    const d = dir.endsWith('/') ? dir : `${dir}/`;
    return p === dir || p.startsWith(d);
  },
};

export function toPosix(path: string): string {
  return posix.normalize(path.replace(/\\/g, '/'));
}

function isRemoteContext(context: string): boolean {
  // `.git` at the end or before a `#ref` (not `/\.git(#.*)?$/`: quadratic on repeated `.git#`).
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(context) || context.startsWith('git@') || context.endsWith('.git') || context.includes('.git#');
}

/** The Dockerfile a Compose `build:` names, from the Compose file's directory; undefined for a remote context. */
export function buildDockerfile(composeFile: string, build: ImageBuild): string | undefined {
  if (isRemoteContext(build.context)) return undefined;
  return posix.join(posix.join(posix.dirname(composeFile), build.context), build.dockerfile || 'Dockerfile');
}

/** Compose's `${VAR:-default}` / `${VAR-default}` take their default; other variables are unknown. */
function composeRepository(image: string): string | undefined {
  const expanded = expandComposeDefaults(image);
  const repo = expanded === undefined ? undefined : imageRepository(expanded);
  return repo && !repo.includes('\u0000') ? repo : undefined;
}

const VARIABLE = /[A-Za-z_]\w*/y;
const DEFAULT_OPERATOR = /[A-Za-z_]\w*:?-/y;

/**
 * One pass, left to right: `${VAR:-x}` / `${VAR-x}` → `x`, any other `${…}` or `$VAR` → NUL (unknown), an
 * unterminated `${` → undefined. (Two global replaces with `[^}]*` rescanned to the end of the text from every
 * `${` without a `}`: quadratic.)
 */
function expandComposeDefaults(image: string): string | undefined {
  let out = '';
  let i = 0;
  while (i < image.length) {
    const dollar = image.indexOf('$', i);
    if (dollar < 0) break;
    out += image.slice(i, dollar);
    if (image[dollar + 1] === '{') {
      const close = image.indexOf('}', dollar + 2);
      if (close < 0) return undefined;
      DEFAULT_OPERATOR.lastIndex = dollar + 2;
      const m = DEFAULT_OPERATOR.exec(image);
      out += m && m.index === dollar + 2 && DEFAULT_OPERATOR.lastIndex <= close ? image.slice(DEFAULT_OPERATOR.lastIndex, close) : '\u0000';
      i = close + 1;
      continue;
    }
    VARIABLE.lastIndex = dollar + 1;
    const v = VARIABLE.exec(image);
    if (v) {
      out += '\u0000';
      i = VARIABLE.lastIndex;
    } else {
      out += '$';
      i = dollar + 1;
    }
  }
  return out + image.slice(i);
}

/** Compose services with a `build` (string context, or `{context, dockerfile, target}`) and an `image`. */
export function composeLinks(path: string, text: string, label: string): ImageLink[] {
  const doc = parseDocument(text);
  indexAliases(doc, text);
  const root = asMap(doc.contents);
  const project = (stringAt(root, 'name') ?? posix.dirname(path).split('/').pop() ?? '').toLowerCase().replace(/[^a-z0-9_-]/g, '');
  const links: ImageLink[] = [];
  for (const { key: service, value } of entries(mapAt(root, 'services'))) {
    const svc = asMap(value);
    const buildNode: Node | undefined = entries(svc).find((e) => e.key === 'build')?.value;
    if (!buildNode) continue;
    const build = asMap(buildNode);
    const context = build ? stringAt(build, 'context') ?? '.' : stringAt(svc, 'build');
    if (context === undefined || (build && stringAt(build, 'dockerfile_inline') !== undefined)) continue;
    const dockerfile = buildDockerfile(path, { context, dockerfile: stringAt(build, 'dockerfile') });
    if (dockerfile === undefined) continue;
    const target = build ? stringAt(build, 'target') : undefined;
    const written = stringAt(svc, 'image');
    const image = written !== undefined ? composeRepository(written) : project ? `${project}-${service.toLowerCase()}` : undefined;
    if (image) links.push({ image, dockerfile, ...(target ? { target } : {}), kind: 'compose', source: path, via: `${label} service ${service}` });
  }
  return links;
}

const OTHER_BUILDERS = ['jib', 'bazel', 'ko', 'buildpacks', 'custom'];

/** Skaffold `build.artifacts` (and each profile's): image, context (default `.`), docker.dockerfile (default `Dockerfile`), docker.target. */
export function skaffoldLinks(path: string, text: string, label: string): ImageLink[] {
  const dir = posix.dirname(path);
  const links: ImageLink[] = [];
  const artifacts = (build: ReturnType<typeof mapAt>): void => {
    for (const item of seqAt(build, 'artifacts')?.items ?? []) {
      const a = asMap(item);
      const image = stringAt(a, 'image');
      const repo = image ? imageRepository(image) : undefined;
      if (!a || !repo || OTHER_BUILDERS.some((b) => mapAt(a, b) || stringAt(a, b) !== undefined)) continue;
      const docker = mapAt(a, 'docker') ?? mapAt(a, 'kaniko');
      const contextDir = posix.join(dir, stringAt(a, 'context') ?? '.');
      const dockerfile = posix.join(contextDir, stringAt(docker, 'dockerfile') ?? 'Dockerfile');
      const target = stringAt(docker, 'target');
      links.push({ image: repo, dockerfile, ...(target ? { target } : {}), kind: 'skaffold', source: path, via: label });
    }
  };
  for (const doc of parseAllDocuments(text)) {
    if (!('contents' in doc)) continue;
    indexAliases(doc, text);
    const root = asMap(doc.contents);
    artifacts(mapAt(root, 'build'));
    for (const profile of seqAt(root, 'profiles')?.items ?? []) artifacts(mapAt(asMap(profile), 'build'));
  }
  return links;
}

export interface ConfigOptions {
  /** The workspace root that holds the config: paths outside it are refused. */
  readonly root?: string;
  /** Untrusted workspaces do not follow paths from `.secctx.yaml`. */
  readonly follow: boolean;
}

/**
 * `.secctx.yaml` `images:` — `<image>: <Dockerfile path relative to the config file>`, as the config
 * parser read them (it alone reads the file and reports its shape); here, where the paths lead.
 */
/** Where a `.secctx.yaml` entry names its Dockerfile: to flag the entry when that file does not exist. */
export interface LinkPlace {
  readonly dockerfile: string;
  /** The path as written. */
  readonly target: string;
  readonly span: Span;
}

export function configLinks(path: string, images: ProjectConfig['images'], label: string, options: ConfigOptions): { links: ImageLink[]; problems: LinkProblem[]; places: LinkPlace[] } {
  const links: ImageLink[] = [];
  const problems: LinkProblem[] = [];
  const places: LinkPlace[] = [];
  const dir = posix.dirname(path);
  for (const [key, { path: target, span }] of Object.entries(images)) {
    const repo = imageRepository(key);
    if (!repo) continue;
    const dockerfile = posix.join(dir, target);
    if (!options.follow) problems.push({ span, message: `Not followed: the workspace is not trusted, so secctx does not read ${target}.` });
    else if (!options.root || !posix.within(dockerfile, options.root)) problems.push({ span, message: `${target} is outside the workspace; secctx does not follow it.` });
    else {
      links.push({ image: repo, dockerfile, kind: 'config', source: path, via: label });
      places.push({ dockerfile, target, span });
    }
  }
  return { links, problems, places };
}
