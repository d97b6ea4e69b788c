/**
 * What well-known base images run as, and the standard accounts in their /etc/passwd and /etc/group.
 * Used only when a Dockerfile does not decide (no USER, or a USER name it does not create).
 * Matched by repository (`docker.io/library/` stripped); the tag decides only where the image
 * documents it (distroless `:nonroot`, the `-alpine` variants of official images, Ubuntu releases).
 * Every row cites where its facts come from; anything not listed is unknown, never guessed.
 */
import type { ImageFactsSource } from '../images/facts';
import { parseImageReference, type ImageReference } from '../images/reference';

export type Family = 'debian' | 'alpine' | 'busybox' | 'distroless' | 'scratch';

export interface BaseAccount {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

export interface BaseGroup {
  readonly name: string;
  readonly gid: number;
  /** The entry's member list (its fourth field), when known: image facts read it, the table does not. */
  readonly members?: readonly string[];
}

export interface BaseImageFacts {
  /** The repository as matched, e.g. `node`, `gcr.io/distroless/static`. */
  readonly repository: string;
  /** Decides which `adduser`/`addgroup` (BusyBox or Debian) a RUN uses. */
  readonly family?: Family;
  /**
   * The image's default user (its config's `User`): spec as set, and the uid/gid it runs with
   * (undefined when the image's account files are not known and the spec is a name).
   */
  readonly user: { readonly spec: string; readonly uid?: number; readonly gid?: number };
  readonly users: readonly BaseAccount[];
  readonly groups: readonly BaseGroup[];
  /** Every account of /etc/passwd is listed: a uid not listed has no entry (and so runs with gid 0). */
  readonly complete: boolean;
  /** Where the facts come from, for hovers. */
  readonly source: string;
  /** Which source answered: this table unless image facts (cache, Docker, registry) did. */
  readonly from?: ImageFactsSource;
  /** The manifest digest and platform the facts were read from (image facts only). */
  readonly digest?: string;
  readonly platform?: string;
  /** Why the image's /etc/passwd and /etc/group are not known (image facts only). */
  readonly accountsUnknown?: string;
  /** Every /etc/group member list is known (image facts): a user's supplementary groups can be computed. */
  readonly membersKnown?: boolean;
}

const ROOT = { spec: '', uid: 0, gid: 0 };
const root: BaseAccount = { name: 'root', uid: 0, gid: 0 };
const rootGroup: BaseGroup = { name: 'root', gid: 0 };

/** `name:uid:gid` lists, as in the files they are copied from. */
function accounts(list: string): BaseAccount[] {
  return list.trim().split(/\s+/).map((e) => {
    const [name, uid, gid] = e.split(':');
    return { name, uid: Number(uid), gid: Number(gid) };
  });
}

function groups(list: string): BaseGroup[] {
  return list.trim().split(/\s+/).map((e) => {
    const [name, gid] = e.split(':');
    return { name, gid: Number(gid) };
  });
}

// Debian base-passwd passwd.master and group.master (as in every debian and ubuntu image; apt's
// _apt and the dropped gnats differ between releases and are left out).
const DEBIAN_USERS = accounts('root:0:0 daemon:1:1 bin:2:2 sys:3:3 sync:4:65534 games:5:60 man:6:12 lp:7:7 mail:8:8 news:9:9 uucp:10:10 proxy:13:13 www-data:33:33 backup:34:34 list:38:38 irc:39:39 nobody:65534:65534');
const DEBIAN_GROUPS = groups('root:0 daemon:1 bin:2 sys:3 adm:4 tty:5 disk:6 lp:7 mail:8 news:9 uucp:10 man:12 proxy:13 kmem:15 dialout:20 fax:21 voice:22 cdrom:24 floppy:25 tape:26 sudo:27 audio:29 dip:30 www-data:33 backup:34 operator:37 list:38 irc:39 src:40 shadow:42 utmp:43 video:44 sasl:45 plugdev:46 staff:50 games:60 users:100 nogroup:65534');
const DEBIAN_SOURCE = 'Debian base-passwd (passwd.master, group.master)';

// alpine-baselayout (aports main/alpine-baselayout/passwd and group); www-data is a group only.
const ALPINE_USERS = accounts('root:0:0 bin:1:1 daemon:2:2 adm:3:4 lp:4:7 sync:5:0 shutdown:6:0 halt:7:0 mail:8:12 news:9:13 uucp:10:14 operator:11:0 postmaster:14:12 cron:16:16 ftp:21:21 sshd:22:22 squid:31:31 xfs:33:33 games:35:35 cyrus:85:12 vpopmail:89:89 ntp:123:123 smmsp:209:209 guest:405:100 nobody:65534:65534');
const ALPINE_GROUPS = groups('root:0 bin:1 daemon:2 sys:3 adm:4 tty:5 disk:6 lp:7 mem:8 kmem:9 wheel:10 floppy:11 mail:12 news:13 uucp:14 cron:16 console:17 audio:18 cdrom:19 dialout:20 ftp:21 sshd:22 input:23 tape:26 video:27 netdev:28 squid:31 xfs:33 kvm:34 games:35 shadow:42 cdrw:80 www-data:82 usb:85 vpopmail:89 users:100 ntp:123 nofiles:200 smmsp:209 locate:245 abuild:300 utmp:406 ping:999 nogroup:65533 nobody:65534');
const ALPINE_SOURCE = 'alpine-baselayout (aports main/alpine-baselayout/passwd, group)';

interface Row {
  readonly match: (ref: ImageReference, repository: string) => boolean;
  readonly facts: (ref: ImageReference, repository: string) => Omit<BaseImageFacts, 'repository'>;
}

const isAlpineTag = (ref: ImageReference): boolean => /(^|-)alpine/.test(ref.tag ?? '');
const hub = (ref: ImageReference, ...paths: string[]): boolean => !ref.registry && paths.includes(ref.path);

/** An official image built on Debian, or on Alpine for its `-alpine` tags, adding its own accounts. */
function official(extra: { debian: readonly BaseAccount[]; alpine: readonly BaseAccount[]; debianGroups?: readonly BaseGroup[]; alpineGroups?: readonly BaseGroup[] }, source: string): Row['facts'] {
  return (ref) => {
    const alpine = isAlpineTag(ref);
    const own = alpine ? extra.alpine : extra.debian;
    const ownGroups = (alpine ? extra.alpineGroups : extra.debianGroups) ?? own.map((a) => ({ name: a.name, gid: a.gid }));
    return {
      family: alpine ? 'alpine' : 'debian',
      user: ROOT,
      users: [...(alpine ? ALPINE_USERS : DEBIAN_USERS), ...own],
      groups: [...(alpine ? ALPINE_GROUPS : DEBIAN_GROUPS), ...ownGroups],
      complete: false,
      source: `${source}; ${alpine ? ALPINE_SOURCE : DEBIAN_SOURCE}`,
    };
  };
}

const UBUNTU_WITH_USER = /^(2[3-9]|[3-9]\d)\.\d\d|^(lunar|mantic|noble|oracular|plucky|questing|resolute)/;

const ROWS: readonly Row[] = [
  {
    // An empty image: no /etc/passwd, and a config without User, so the runtime default (root).
    match: (ref) => hub(ref, 'scratch'),
    facts: () => ({ family: 'scratch', user: ROOT, users: [], groups: [], complete: true, source: 'scratch is the empty image: no /etc/passwd, no USER (Dockerfile reference, "Create a base image")' }),
  },
  {
    // GoogleContainerTools/distroless common/BUILD.bazel (passwd, group) and common/variables.bzl
    // (NONROOT = 65532); base/base.bzl sets user NONROOT for the nonroot and debug-nonroot tags.
    match: (ref) => ref.registry === 'gcr.io' && ref.path.startsWith('distroless/'),
    facts: (ref) => ({
      family: 'distroless',
      user: /^(debug-)?nonroot(-[a-z0-9]+)?$/.test(ref.tag ?? '') ? { spec: '65532', uid: 65532, gid: 65532 } : ROOT,
      users: [root, { name: 'nobody', uid: 65534, gid: 65534 }, { name: 'nonroot', uid: 65532, gid: 65532 }],
      groups: [rootGroup, { name: 'tty', gid: 5 }, { name: 'staff', gid: 50 }, { name: 'nobody', gid: 65534 }, { name: 'nonroot', gid: 65532 }],
      complete: true,
      source: 'GoogleContainerTools/distroless common/BUILD.bazel and base/base.bzl (nonroot = 65532)',
    }),
  },
  {
    // nginxinc/docker-nginx-unprivileged Dockerfiles: ARG UID=101 GID=101, nginx created with them, USER $UID.
    match: (ref) => hub(ref, 'nginxinc/nginx-unprivileged'),
    facts: (ref) => ({ ...official({ debian: [{ name: 'nginx', uid: 101, gid: 101 }], alpine: [{ name: 'nginx', uid: 101, gid: 101 }] }, 'nginxinc/docker-nginx-unprivileged Dockerfile (USER $UID, UID=101)')(ref, ref.path), user: { spec: '101', uid: 101, gid: 101 } }),
  },
  {
    // Bitnami's minimal Debian base: its images run apt (install_packages) as root, then set USER 1001.
    match: (ref) => hub(ref, 'bitnami/minideb'),
    facts: () => ({ family: 'debian', user: ROOT, users: DEBIAN_USERS, groups: DEBIAN_GROUPS, complete: false, source: `bitnami/minideb (Bitnami Dockerfiles run install_packages as root before USER 1001); ${DEBIAN_SOURCE}` }),
  },
  {
    // Bitnami Dockerfiles (bitnami-docker-nginx, -postgresql, -redis): numeric USER 1001 with no
    // account created, so no /etc/passwd entry and the root group (Dockerfile reference, USER).
    match: (ref) => !ref.registry && ref.path.startsWith('bitnami/'),
    facts: () => ({ family: 'debian', user: { spec: '1001', uid: 1001, gid: 0 }, users: DEBIAN_USERS, groups: DEBIAN_GROUPS, complete: false, source: 'Bitnami Dockerfiles (USER 1001, no account: gid 0)' }),
  },
  {
    // docker-library/nodejs (docker-node) Dockerfiles: groupadd/addgroup 1000 node, useradd/adduser 1000 node, no USER.
    match: (ref) => hub(ref, 'node'),
    facts: official({ debian: [{ name: 'node', uid: 1000, gid: 1000 }], alpine: [{ name: 'node', uid: 1000, gid: 1000 }] }, 'nodejs/docker-node Dockerfiles (node 1000:1000, no USER)'),
  },
  {
    // nginxinc/docker-nginx Dockerfiles: nginx 101:101 (groupadd/addgroup --gid 101), no USER.
    match: (ref) => hub(ref, 'nginx'),
    facts: official({ debian: [{ name: 'nginx', uid: 101, gid: 101 }], alpine: [{ name: 'nginx', uid: 101, gid: 101 }] }, 'nginxinc/docker-nginx Dockerfiles (nginx 101:101, no USER)'),
  },
  {
    // docker-library/postgres Dockerfiles: postgres 999:999 on Debian, 70:70 on Alpine, no USER.
    match: (ref) => hub(ref, 'postgres'),
    facts: official({ debian: [{ name: 'postgres', uid: 999, gid: 999 }], alpine: [{ name: 'postgres', uid: 70, gid: 70 }] }, 'docker-library/postgres Dockerfiles (no USER)'),
  },
  {
    // docker-library/redis Dockerfiles: redis 999:999 on Debian; on Alpine uid 999 in group redis 1000. No USER.
    match: (ref) => hub(ref, 'redis'),
    facts: official({ debian: [{ name: 'redis', uid: 999, gid: 999 }], alpine: [{ name: 'redis', uid: 999, gid: 1000 }] }, 'docker-library/redis Dockerfiles (no USER)'),
  },
  {
    // docker-library/httpd Dockerfiles: Debian's www-data; on Alpine www-data 82 created in the group 82. No USER.
    match: (ref) => hub(ref, 'httpd'),
    facts: official({ debian: [], alpine: [{ name: 'www-data', uid: 82, gid: 82 }], debianGroups: [], alpineGroups: [] }, 'docker-library/httpd Dockerfiles (no USER)'),
  },
  {
    match: (ref) => hub(ref, 'debian'),
    facts: () => ({ family: 'debian', user: ROOT, users: DEBIAN_USERS, groups: DEBIAN_GROUPS, complete: false, source: DEBIAN_SOURCE }),
  },
  {
    // Ubuntu 23.04 and later add ubuntu 1000:1000 (Launchpad cloud-images bug 2005129).
    match: (ref) => hub(ref, 'ubuntu'),
    facts: (ref) => {
      const withUser = UBUNTU_WITH_USER.test(ref.tag ?? '');
      return {
        family: 'debian',
        user: ROOT,
        users: withUser ? [...DEBIAN_USERS, { name: 'ubuntu', uid: 1000, gid: 1000 }] : DEBIAN_USERS,
        groups: withUser ? [...DEBIAN_GROUPS, { name: 'ubuntu', gid: 1000 }] : DEBIAN_GROUPS,
        complete: false,
        source: withUser ? `${DEBIAN_SOURCE}; ubuntu 1000:1000 since 23.04 (Launchpad bug 2005129)` : DEBIAN_SOURCE,
      };
    },
  },
  {
    match: (ref) => hub(ref, 'alpine'),
    facts: () => ({ family: 'alpine', user: ROOT, users: ALPINE_USERS, groups: ALPINE_GROUPS, complete: false, source: ALPINE_SOURCE }),
  },
  {
    // docker-library/busybox installs buildroot's system/skeleton/etc/passwd and group.
    match: (ref) => hub(ref, 'busybox'),
    facts: () => ({
      family: 'busybox',
      user: ROOT,
      users: [root, { name: 'www-data', uid: 33, gid: 33 }, { name: 'nobody', uid: 65534, gid: 65534 }],
      groups: [rootGroup, { name: 'www-data', gid: 33 }, { name: 'users', gid: 100 }],
      complete: false,
      source: 'docker-library/busybox (buildroot system/skeleton/etc/passwd, group)',
    }),
  },
];

/** The facts for an image reference, or undefined when the table does not know the image. */
export function baseImageFacts(reference: string): BaseImageFacts | undefined {
  const ref = parseImageReference(reference);
  if (!ref) return undefined;
  const repository = ref.registry ? `${ref.registry}/${ref.path}` : ref.path;
  const row = ROWS.find((r) => r.match(ref, repository));
  return row ? { repository, ...row.facts(ref, repository) } : undefined;
}
