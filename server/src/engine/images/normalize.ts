/**
 * Image references normalised exactly as Docker reads them: distribution/reference's
 * `ParseNormalizedNamed` (with `splitDockerDomain`), `Parse`'s grammar (regexp.go), go-digest's
 * `Parse` for the digest, `TagNameOnly` for the implied `:latest`, and `familiarizeName` for the
 * short form. Pure: no I/O. The simpler `reference.ts` stays the matcher for Dockerfile links.
 *
 *   nginx                      → docker.io/library/nginx:latest
 *   index.docker.io/nginx      → docker.io/library/nginx:latest   (the legacy Hub domain)
 *   registry-1.docker.io/nginx → registry-1.docker.io/nginx:latest (NOT canonicalised upstream)
 *   localhost:5000/app:1@sha256:… keeps both tag and digest; the digest decides what is fetched
 */

export interface NormalizedReference {
  /** `docker.io`, `ghcr.io`, `127.0.0.1:5000`, `[::1]:5000`. */
  readonly domain: string;
  /** Repository path inside the domain: `library/nginx`. */
  readonly path: string;
  readonly tag?: string;
  readonly digest?: string;
  /** `domain/path`. */
  readonly name: string;
  /** Docker's `String()` after `TagNameOnly`: `name[:tag][@digest]`, `:latest` when neither is given. */
  readonly normalized: string;
  /** `familiarizeName` + tag/digest as written: `nginx:latest`, `grafana/grafana:11.0.0`. */
  readonly familiar: string;
}

export type ReferenceParse =
  | { readonly ok: true; readonly reference: NormalizedReference }
  | { readonly ok: false; readonly reason: string };

// distribution/reference regexp.go, as JavaScript regular expressions.
const alphanumeric = '[a-z0-9]+';
const separator = '(?:[._]|__|[-]+)';
const domainNameComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const optionalPort = '(?::[0-9]+)?';
const tagPat = '[\\w][\\w.-]{0,127}';
const digestPat = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}';
const ipv6address = '\\[(?:[a-fA-F0-9:]+)\\]';
const domainName = `${domainNameComponent}(?:\\.${domainNameComponent})*`;
const host = `(?:${domainName}|${ipv6address})`;
const domainAndPort = host + optionalPort;
const pathComponent = `${alphanumeric}(?:${separator}${alphanumeric})*`;
const remoteName = `${pathComponent}(?:/${pathComponent})*`;
const namePat = `(?:${domainAndPort}/)?${remoteName}`;
const referenceRegexp = new RegExp(`^(${namePat})(?::(${tagPat}))?(?:@(${digestPat}))?$`);
const anchoredNameRegexp = new RegExp(`^(?:(${domainAndPort})/)?(${remoteName})$`);
const anchoredIdentifierRegexp = /^[a-f0-9]{64}$/;

const legacyDefaultDomain = 'index.docker.io';
const defaultDomain = 'docker.io';
const officialRepoPrefix = 'library/';
const defaultTag = 'latest';
const repositoryNameTotalLengthMax = 255;

/** go-digest's registered algorithms Docker links in (crypto/sha256, sha512) and their encoded lengths. */
const digestAlgorithms: Readonly<Record<string, number>> = { sha256: 64, sha384: 96, sha512: 128 };

/** go-digest `Parse` + `Validate`: a known algorithm and lowercase hex of its exact length. */
export function validateDigest(digest: string): string | undefined {
  const colon = digest.indexOf(':');
  if (colon <= 0 || colon === digest.length - 1) return 'invalid checksum digest format';
  const algorithm = digest.slice(0, colon);
  const encoded = digest.slice(colon + 1);
  const size = digestAlgorithms[algorithm];
  if (size === undefined) return 'unsupported digest algorithm';
  if (encoded.length !== size || !/^[a-f0-9]+$/.test(encoded)) return 'invalid checksum digest length';
  return undefined;
}

/** distribution/reference `splitDockerDomain`. */
function splitDockerDomain(name: string): [string, string] {
  const slash = name.indexOf('/');
  if (slash < 0) return [defaultDomain, officialRepoPrefix + name];
  const maybeDomain = name.slice(0, slash);
  const maybeRemote = name.slice(slash + 1);
  let domain: string;
  let remote: string;
  if (maybeDomain === 'localhost') [domain, remote] = [maybeDomain, maybeRemote];
  else if (maybeDomain === legacyDefaultDomain) [domain, remote] = [defaultDomain, maybeRemote];
  else if (/[.:]/.test(maybeDomain)) [domain, remote] = [maybeDomain, maybeRemote];
  else if (maybeDomain.toLowerCase() !== maybeDomain) [domain, remote] = [maybeDomain, maybeRemote];
  else [domain, remote] = [defaultDomain, name];
  if (domain === defaultDomain && !remote.includes('/')) remote = officialRepoPrefix + remote;
  return [domain, remote];
}

/** distribution/reference `familiarizeName`: `docker.io/library/redis` → `redis`, `docker.io/a/b` → `a/b`. */
export function familiarizeName(domain: string, path: string): string {
  if (domain !== defaultDomain) return `${domain}/${path}`;
  if (path.startsWith(officialRepoPrefix)) {
    const remainder = path.slice(officialRepoPrefix.length);
    if (!remainder.includes('/')) return remainder;
  }
  return path;
}

/**
 * distribution/reference `ParseNormalizedNamed` followed by `TagNameOnly`. The reasons are
 * upstream's error texts, so a finding reads as `docker pull` would complain.
 */
export function parseNormalizedReference(input: string): ReferenceParse {
  const s = input;
  if (anchoredIdentifierRegexp.test(s)) {
    return { ok: false, reason: `invalid repository name (${s}), cannot specify 64-byte hexadecimal strings` };
  }
  const [domain0, remainder] = splitDockerDomain(s);
  const tagSep = remainder.indexOf(':');
  const remote = tagSep > -1 ? remainder.slice(0, tagSep) : remainder;
  if (remote.toLowerCase() !== remote) {
    return { ok: false, reason: `invalid reference format: repository name (${remote}) must be lowercase` };
  }
  // reference.Parse(domain + "/" + remainder)
  const full = `${domain0}/${remainder}`;
  const m = referenceRegexp.exec(full);
  if (!m) {
    const lower = full.toLowerCase();
    if (lower !== full && referenceRegexp.test(lower)) return { ok: false, reason: 'repository name must be lowercase' };
    return { ok: false, reason: 'invalid reference format' };
  }
  const nameMatch = anchoredNameRegexp.exec(m[1]);
  const domain = nameMatch?.[1] ?? '';
  const path = nameMatch ? nameMatch[2] : m[1];
  if (path.length > repositoryNameTotalLengthMax) {
    return { ok: false, reason: `repository name must not be more than ${repositoryNameTotalLengthMax} characters` };
  }
  const tag = m[2] || undefined;
  const digest = m[3] || undefined;
  if (digest) {
    const problem = validateDigest(digest);
    if (problem) return { ok: false, reason: problem };
  }
  const name = domain ? `${domain}/${path}` : path;
  const suffix = (tag ? `:${tag}` : '') + (digest ? `@${digest}` : '');
  const impliedTag = !tag && !digest ? `:${defaultTag}` : '';
  return {
    ok: true,
    reference: {
      domain,
      path,
      ...(tag ? { tag } : {}),
      ...(digest ? { digest } : {}),
      name,
      normalized: name + (suffix || impliedTag),
      familiar: familiarizeName(domain, path) + (suffix || impliedTag),
    },
  };
}
