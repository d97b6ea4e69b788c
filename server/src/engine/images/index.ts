/**
 * The workspace image index: links image references to the Dockerfiles that build them, so a
 * manifest's `image:` can show the user its Dockerfile sets. Pure: callers feed file contents
 * (`update`/`remove`); it never reads the disk. Parsed Dockerfiles are cached by content, and an
 * update re-derives only what the changed file contributes.
 *
 * Link priority for an image: the nearest `.secctx.yaml` above the asking file (`images:`), then
 * Compose `build` + `image`, then Skaffold `build.artifacts`; among several, the declaring file
 * closest to the asking file wins. A Compose service's own `build:` is resolved directly: the
 * Dockerfile in its context, relative to the Compose file.
 */
import { parseConfig } from '../config';
import { finalImageUser, imageAccount } from '../dockerfile/imageUser';
import type { BaseFactsLookup } from '../dockerfile/builder';
import { parseDockerfile, type DockerfileModel } from '../dockerfile/model';
import type { ImageFactsLookup } from './facts';
import { baseFactsLookup } from './known';
import type { ImageBuild, ImageResolver, ImageUser } from '../options';
import { buildDockerfile, composeLinks, configLinks, posix, skaffoldLinks, toPosix, type ImageLink, type LinkKind, type LinkPlace, type LinkProblem } from './links';
import { imageRepository } from './reference';

export type { ImageLink, LinkProblem } from './links';

export interface ImageIndexOptions {
  /** Workspace roots: `.secctx.yaml` paths outside them are refused. */
  readonly roots: readonly string[];
  /** False in untrusted workspaces: `.secctx.yaml` paths are not followed. Default true. */
  readonly followConfigPaths?: boolean;
}

type IndexedKind = 'dockerfile' | LinkKind;

export function indexedKind(path: string): IndexedKind | undefined {
  const b = toPosix(path).split('/').pop() ?? '';
  if (/^(Dockerfile|Containerfile)(\..+)?$/i.test(b) || /\.(Dockerfile|Containerfile)$/i.test(b)) return 'dockerfile';
  if (/^(docker-)?compose(\.[\w.-]+)?\.ya?ml$/i.test(b)) return 'compose';
  if (/^skaffold\.ya?ml$/i.test(b)) return 'skaffold';
  if (/^\.secctx\.ya?ml$/.test(b)) return 'config';
  return undefined;
}

interface DockerfileEntry {
  readonly path: string;
  readonly text: string;
  model?: DockerfileModel;
  readonly users: Map<string, ImageUser>;
}

interface LinkFile {
  readonly kind: LinkKind;
  readonly text: string;
  readonly links: readonly ImageLink[];
  readonly problems: readonly LinkProblem[];
  /** `.secctx.yaml` entries and the Dockerfiles they name. */
  readonly places?: readonly LinkPlace[];
}

const PRIORITY: Readonly<Record<LinkKind, number>> = { config: 0, compose: 1, skaffold: 2 };

export class ImageIndex {
  private readonly roots: readonly string[];
  private readonly follow: boolean;
  private readonly dockerfiles = new Map<string, DockerfileEntry>();
  private readonly linkFiles = new Map<string, LinkFile>();
  /** Parsed models shared by identical Dockerfiles (templated repositories). */
  private readonly models = new Map<string, DockerfileModel>();
  /** Dockerfiles the host looked for and did not find (`markMissing`). */
  private readonly absent = new Set<string>();
  /** What FROM images are: the table, and image facts once `setImageFacts` gives them. */
  private baseFacts: BaseFactsLookup = baseFactsLookup(undefined);

  constructor(options: ImageIndexOptions) {
    this.roots = options.roots.map(toPosix);
    this.follow = options.followConfigPaths ?? true;
  }

  /**
   * New image facts (a lookup answered): Dockerfiles whose FROM image they describe may run as another
   * user, so every parsed model is dropped and re-derived on the next question.
   */
  setImageFacts(lookup: ImageFactsLookup | undefined): void {
    this.baseFacts = baseFactsLookup(lookup);
    this.models.clear();
    for (const entry of this.dockerfiles.values()) {
      entry.model = undefined;
      entry.users.clear();
    }
  }

  /** The FROM images of every indexed Dockerfile: their facts decide what the linked images run as. */
  baseReferences(): readonly string[] {
    const refs = new Set<string>();
    for (const entry of this.dockerfiles.values()) {
      for (const stage of this.modelOf(entry).stages) if (stage.base.kind === 'image' && stage.base.reference) refs.add(stage.base.reference);
    }
    return [...refs].sort();
  }

  /** Adds or replaces a file's content; returns whether anything changed. Unrelated files are ignored. */
  update(path: string, text: string): boolean {
    const key = toPosix(path);
    const kind = indexedKind(key);
    if (!kind) return false;
    if (kind === 'dockerfile') {
      this.absent.delete(key);
      if (this.dockerfiles.get(key)?.text === text) return false;
      this.dockerfiles.set(key, { path, text, users: new Map() });
      this.pruneModels();
      return true;
    }
    if (this.linkFiles.get(key)?.text === text) return false;
    this.linkFiles.set(key, { kind, text, ...this.readLinks(key, kind, text) });
    return true;
  }

  remove(path: string): boolean {
    const key = toPosix(path);
    const removed = this.dockerfiles.delete(key) || this.linkFiles.delete(key);
    if (indexedKind(key) === 'dockerfile') this.absent.add(key);
    if (removed) this.pruneModels();
    return removed;
  }

  /** Maps image references to the linked Dockerfile's user, and Compose builds to theirs, as seen from `fromFile`. */
  resolver(fromFile: string): ImageResolver {
    const from = toPosix(fromFile);
    return Object.assign((image: string, uid?: number) => this.resolve(from, image, uid), {
      build: (build: ImageBuild, uid?: number) => this.resolveBuild(from, build, uid),
    });
  }

  /** Problems with `.secctx.yaml` `images:` entries (outside the workspace, untrusted, no such Dockerfile). */
  configProblems(path: string): readonly LinkProblem[] {
    const file = this.linkFiles.get(toPosix(path));
    if (!file) return [];
    const missing = (file.places ?? [])
      .filter((p) => this.absent.has(p.dockerfile) && !this.dockerfiles.has(p.dockerfile))
      .map((p) => ({ span: p.span, message: `${p.target} does not exist: images named by this entry are not linked to a Dockerfile.` }));
    return missing.length ? [...file.problems, ...missing].sort((a, b) => a.span.start - b.span.start) : file.problems;
  }

  /**
   * The host looked for a Dockerfile that a link names (`missingDockerfiles`) and found nothing there: the
   * `.secctx.yaml` entries naming it get a problem. Returns whether that is new.
   */
  markMissing(dockerfilePath: string): boolean {
    const key = toPosix(dockerfilePath);
    if (this.absent.has(key) || this.dockerfiles.has(key)) return false;
    this.absent.add(key);
    return true;
  }

  /** The image repositories linked to a Dockerfile: manifests using them change when it does. */
  dependents(dockerfilePath: string): readonly string[] {
    const key = toPosix(dockerfilePath);
    const images = new Set<string>();
    for (const link of this.allLinks()) if (link.dockerfile === key) images.add(link.image);
    return [...images].sort();
  }

  /** Dockerfiles that links point to but that were never given to `update`: the caller may read them. */
  missingDockerfiles(): readonly string[] {
    const missing = new Set<string>();
    for (const link of this.allLinks()) if (!this.dockerfiles.has(link.dockerfile)) missing.add(link.dockerfile);
    return [...missing].sort();
  }

  /** The parsed model of an indexed Dockerfile (cached by content). */
  model(dockerfilePath: string): DockerfileModel | undefined {
    const entry = this.dockerfiles.get(toPosix(dockerfilePath));
    return entry ? this.modelOf(entry) : undefined;
  }

  /** All links, for tooling and tests. */
  links(): readonly ImageLink[] {
    return this.allLinks();
  }

  private modelOf(entry: DockerfileEntry): DockerfileModel {
    if (!entry.model) {
      let model = this.models.get(entry.text);
      if (!model) {
        model = parseDockerfile(entry.text, this.baseFacts);
        this.models.set(entry.text, model);
      }
      entry.model = model;
    }
    return entry.model;
  }

  private pruneModels(): void {
    const live = new Set([...this.dockerfiles.values()].map((e) => e.text));
    for (const text of this.models.keys()) if (!live.has(text)) this.models.delete(text);
  }

  private allLinks(): ImageLink[] {
    return [...this.linkFiles.values()].flatMap((f) => f.links);
  }

  private rootOf(path: string): string | undefined {
    return this.roots.filter((r) => posix.within(path, r)).sort((a, b) => b.length - a.length)[0];
  }

  private label(path: string): string {
    const root = this.rootOf(path);
    return root && path !== root ? path.slice(root.length).replace(/^\/+/, '') : path.split('/').pop() ?? path;
  }

  private readLinks(key: string, kind: LinkKind, text: string): { links: ImageLink[]; problems: LinkProblem[]; places?: LinkPlace[] } {
    try {
      if (kind === 'compose') return { links: composeLinks(key, text, this.label(key)), problems: [] };
      if (kind === 'skaffold') return { links: skaffoldLinks(key, text, this.label(key)), problems: [] };
      return configLinks(key, parseConfig(text).config.images, this.label(key), { root: this.rootOf(key), follow: this.follow });
    } catch {
      return { links: [], problems: [] };
    }
  }

  private resolve(from: string, image: string, uid: number | undefined): ImageUser | undefined {
    const repo = imageRepository(image);
    if (!repo) return undefined;
    const fromDir = posix.dirname(from);
    const candidates = this.allLinks()
      .filter((l) => l.image === repo && (l.kind !== 'config' || posix.within(fromDir, posix.dirname(l.source))))
      .sort((a, b) => PRIORITY[a.kind] - PRIORITY[b.kind] || closeness(b.source, fromDir) - closeness(a.source, fromDir) || a.source.localeCompare(b.source));
    for (const link of candidates) {
      const entry = this.dockerfiles.get(link.dockerfile);
      if (entry) return this.userOf(entry, link.target, uid, link.via);
    }
    return undefined;
  }

  /** A Compose `build:` of the asking file: the Dockerfile in its context (and its target stage). */
  private resolveBuild(from: string, build: ImageBuild, uid: number | undefined): ImageUser | undefined {
    const dockerfile = buildDockerfile(from, build);
    const entry = dockerfile !== undefined ? this.dockerfiles.get(dockerfile) : undefined;
    return entry && dockerfile !== undefined ? this.userOf(entry, build.target, uid, `build ${this.label(dockerfile)}`) : undefined;
  }

  private userOf(entry: DockerfileEntry, target: string | undefined, uid: number | undefined, via: string): ImageUser {
    const cacheKey = target ?? '';
    let user = entry.users.get(cacheKey);
    if (!user) {
      user = finalImageUser(this.modelOf(entry), entry.path, target);
      entry.users.set(cacheKey, user);
    }
    const account = uid !== undefined ? imageAccount(this.modelOf(entry), uid, target) : undefined;
    return { ...user, note: `${user.note}, via ${via}`, ...(account ? { account: { ...account, note: `${account.note}, via ${via}` } } : {}) };
  }
}

/** Shared leading directories of a declaring file and the asking file's directory. */
function closeness(source: string, fromDir: string): number {
  const a = posix.dirname(source).split('/');
  const b = fromDir.split('/');
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}
