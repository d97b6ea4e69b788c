/**
 * The on-disk image-facts cache, shared by every secctx process of a user (editors, CLI runs):
 *
 *   <dir>/images-v1/manifests/<alg>/<hex>.json   facts of one image manifest, by its digest: immutable, kept
 *   <dir>/images-v1/refs/<sha256(reference + platform)>.json   reference → manifest digest; a tag's entry
 *                                                 expires (default 24 h), a digest reference's does not
 *
 * Writes go to a unique temporary file renamed over the entry (atomic on POSIX), so concurrent
 * writers never leave a torn file: the last rename wins and both wrote the same facts. An entry
 * that does not parse, has the wrong shape or names another digest than its file is deleted and
 * treated as a miss, never trusted.
 */
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs, readFile } from 'node:fs';
import { promisify } from 'node:util';
import * as os from 'node:os';
import * as path from 'node:path';
import type { GroupEntry, ImageAccounts, PasswdEntry } from '../../engine/images/facts';
import { validateDigest } from '../../engine/images/normalize';

export interface CachedImage {
  readonly digest: string;
  readonly platform: string;
  readonly user: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly env?: readonly string[];
  readonly accounts?: ImageAccounts;
  readonly fetchedAt: number;
}

export interface CachedRef {
  readonly reference: string;
  readonly platform: string;
  readonly digest: string;
  readonly fetchedAt: number;
}

/** fs.readFile's callback form: one read after fstat, noticeably cheaper than fs.promises.readFile in Node 20. */
const readFileFast = promisify(readFile);

export function defaultCacheDir(): string {
  const xdg = process.env.XDG_CACHE_HOME;
  return path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), '.cache'), 'secctx');
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

function validPasswd(v: unknown): v is PasswdEntry {
  return isObject(v) && isString(v.name) && isInt(v.uid) && isInt(v.gid);
}
function validGroup(v: unknown): v is GroupEntry {
  return isObject(v) && isString(v.name) && isInt(v.gid) && Array.isArray(v.members) && v.members.every(isString);
}
function validAccounts(v: unknown): v is ImageAccounts {
  if (!isObject(v)) return false;
  if (v.kind === 'unknown') return isString(v.reason);
  return v.kind === 'known' && Array.isArray(v.passwd) && v.passwd.every(validPasswd) && Array.isArray(v.group) && v.group.every(validGroup) && typeof v.passwdFound === 'boolean' && typeof v.groupFound === 'boolean';
}

function validImage(v: unknown, digest: string): v is CachedImage {
  return isObject(v) && v.digest === digest && isString(v.platform) && isString(v.user) && isInt(v.fetchedAt)
    && (v.labels === undefined || (isObject(v.labels) && Object.values(v.labels).every(isString)))
    && (v.env === undefined || (Array.isArray(v.env) && v.env.every(isString)))
    && (v.accounts === undefined || validAccounts(v.accounts));
}

function validRef(v: unknown, reference: string, platform: string): v is CachedRef {
  return isObject(v) && v.reference === reference && v.platform === platform && isString(v.digest) && !validateDigest(v.digest) && isInt(v.fetchedAt);
}

export interface ImageCacheOptions {
  readonly dir?: string;
  /** How long a tag → digest entry is believed (default 24 h). */
  readonly tagTtlMs?: number;
  readonly now: () => number;
  readonly log?: (line: string) => void;
}

export const DEFAULT_TAG_TTL_MS = 24 * 60 * 60 * 1000;

export class ImageCache {
  readonly root: string;
  private readonly tagTtlMs: number;
  private readonly madeDirs = new Set<string>();

  constructor(private readonly options: ImageCacheOptions) {
    this.root = path.join(options.dir ?? defaultCacheDir(), 'images-v1');
    this.tagTtlMs = options.tagTtlMs ?? DEFAULT_TAG_TTL_MS;
  }

  manifestFile(digest: string): string {
    const [alg, hex] = digest.split(':');
    return path.join(this.root, 'manifests', alg, `${hex}.json`);
  }

  refFile(reference: string, platform: string): string {
    return path.join(this.root, 'refs', `${createHash('sha256').update(`${reference}\n${platform}`).digest('hex')}.json`);
  }

  private async readJson(file: string): Promise<unknown> {
    let text: string;
    try {
      text = await readFileFast(file, 'utf8');
    } catch {
      return undefined;
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      await this.discard(file, 'does not parse');
      return undefined;
    }
  }

  private async discard(file: string, why: string): Promise<void> {
    this.options.log?.(`images: cache entry ${file} ${why}; discarded`);
    await fs.rm(file, { force: true }).catch(() => undefined);
  }

  private async write(file: string, value: unknown): Promise<void> {
    const dir = path.dirname(file);
    if (!this.madeDirs.has(dir)) {
      await fs.mkdir(dir, { recursive: true });
      this.madeDirs.add(dir);
    }
    const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await fs.writeFile(tmp, JSON.stringify(value), { mode: 0o600 });
      await fs.rename(tmp, file);
    } catch (e) {
      this.madeDirs.delete(dir);
      await fs.rm(tmp, { force: true }).catch(() => undefined);
      throw e;
    }
  }

  async getImage(digest: string): Promise<CachedImage | undefined> {
    if (validateDigest(digest)) return undefined;
    const file = this.manifestFile(digest);
    const v = await this.readJson(file);
    if (v === undefined) return undefined;
    if (!validImage(v, digest)) {
      await this.discard(file, 'has the wrong shape');
      return undefined;
    }
    return v;
  }

  /** The digest a reference (with its platform) resolved to, unless a tag entry has expired. */
  async getRef(reference: string, platform: string, byDigest: boolean): Promise<CachedRef | undefined> {
    const file = this.refFile(reference, platform);
    const v = await this.readJson(file);
    if (v === undefined) return undefined;
    if (!validRef(v, reference, platform)) {
      await this.discard(file, 'has the wrong shape');
      return undefined;
    }
    if (!byDigest && this.options.now() - v.fetchedAt > this.tagTtlMs) return undefined;
    return v;
  }

  /**
   * Facts kept by a content digest alone, with no reference pointing at them: the local Docker
   * engine's images, by their image id (the config's digest), whose account files never change.
   */
  async putImage(image: CachedImage): Promise<void> {
    await this.write(this.manifestFile(image.digest), image);
  }

  async put(reference: string, requestedPlatform: string, image: CachedImage): Promise<void> {
    await this.write(this.manifestFile(image.digest), image);
    const ref: CachedRef = { reference, platform: requestedPlatform, digest: image.digest, fetchedAt: image.fetchedAt };
    await this.write(this.refFile(reference, requestedPlatform), ref);
  }
}
