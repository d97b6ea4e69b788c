/**
 * The accounts a stage knows while it is read: users and groups created or changed by the
 * Dockerfile, over the standard accounts of its base image (./baseImages.ts) when that is known.
 */
import type { Span } from '../types';
import type { BaseImageFacts } from './baseImages';

/** Where an account was created or changed: `useradd` on line 7, `base image node`, … */
export interface Origin {
  readonly how: string;
  readonly line?: number;
  readonly span?: Span;
}

export interface UserAccount {
  readonly name: string;
  /** Undefined: not known (created without an explicit id). */
  readonly uid?: number;
  /** The primary group id, undefined when not known. */
  readonly gid?: number;
  /** The primary group's name, when known. */
  readonly group?: string;
  /** Supplementary groups by name (`-G`). */
  readonly groups?: readonly string[];
  readonly createdAt: Origin;
  readonly changedAt?: Origin;
}

export interface GroupAccount {
  readonly name: string;
  readonly gid?: number;
  /**
   * The entry's member list as /etc/group holds it, when that is known (a base image's image facts, a
   * copied file the Dockerfile shows); the Dockerfile's own memberships are on its users (`groups`).
   */
  readonly members?: readonly string[];
  readonly createdAt: Origin;
  readonly changedAt?: Origin;
}

export interface Accounts {
  readonly users: readonly UserAccount[];
  readonly groups: readonly GroupAccount[];
}

/** What stands behind the Dockerfile's own accounts: the base image's files, nothing, or unknown content. */
export type AccountFallback = 'base' | 'none' | 'unknown';

/**
 * How much of a stage's /etc/passwd is known: `all` (scratch, distroless, a copied known file),
 * `base-table` (the Dockerfile's accounts over the standard accounts of a base image in the table),
 * `dockerfile-only` (the base, or a copied file, is unknown).
 */
export type AccountKnowledge = 'all' | 'base-table' | 'dockerfile-only';

export class AccountBook {
  readonly users = new Map<string, UserAccount>();
  readonly groups = new Map<string, GroupAccount>();
  readonly removedUsers = new Set<string>();
  readonly removedGroups = new Set<string>();
  userFallback: AccountFallback = 'base';
  groupFallback: AccountFallback = 'base';
  /** A package manager ran (`apk add`): its packages' scripts may have created accounts with ids not shown here. */
  packagesInstalled = false;

  /** baseImage: the external image at the root of the stage chain, as written (undefined when unresolved). */
  constructor(readonly facts: BaseImageFacts | undefined, readonly baseImage: string | undefined) {}

  clone(): AccountBook {
    const copy = new AccountBook(this.facts, this.baseImage);
    for (const [k, v] of this.users) copy.users.set(k, v);
    for (const [k, v] of this.groups) copy.groups.set(k, v);
    for (const k of this.removedUsers) copy.removedUsers.add(k);
    for (const k of this.removedGroups) copy.removedGroups.add(k);
    copy.userFallback = this.userFallback;
    copy.groupFallback = this.groupFallback;
    copy.packagesInstalled = this.packagesInstalled;
    return copy;
  }

  private baseOrigin(): Origin {
    return { how: `base image ${this.facts?.repository ?? this.baseImage ?? ''}`.trim() };
  }

  private baseUsers(): readonly UserAccount[] {
    if (this.userFallback !== 'base' || !this.facts) return [];
    const origin = this.baseOrigin();
    return this.facts.users.filter((u) => !this.removedUsers.has(u.name)).map((u) => {
      const group = this.facts?.groups.find((g) => g.gid === u.gid)?.name;
      return { name: u.name, uid: u.uid, gid: u.gid, ...(group ? { group } : {}), createdAt: origin };
    });
  }

  private baseGroups(): readonly GroupAccount[] {
    if (this.groupFallback !== 'base' || !this.facts) return [];
    const origin = this.baseOrigin();
    const members = this.facts.membersKnown === true;
    return this.facts.groups.filter((g) => !this.removedGroups.has(g.name)).map((g) => ({ name: g.name, gid: g.gid, ...(members ? { members: g.members ?? [] } : {}), createdAt: origin }));
  }

  findUser(name: string): UserAccount | undefined {
    return this.users.get(name) ?? this.baseUsers().find((u) => u.name === name);
  }

  findUserByUid(uid: number): UserAccount | undefined {
    for (const u of this.users.values()) if (u.uid === uid) return u;
    return this.baseUsers().find((u) => u.uid === uid && !this.users.has(u.name));
  }

  findGroup(name: string): GroupAccount | undefined {
    return this.groups.get(name) ?? this.baseGroups().find((g) => g.name === name);
  }

  findGroupByGid(gid: number): GroupAccount | undefined {
    for (const g of this.groups.values()) if (g.gid === gid) return g;
    return this.baseGroups().find((g) => g.gid === gid && !this.groups.has(g.name));
  }

  /** How much of /etc/passwd is known. */
  knowledge(): AccountKnowledge {
    if (this.usersComplete()) return 'all';
    return this.userFallback === 'base' && this.facts ? 'base-table' : 'dockerfile-only';
  }

  /** Every /etc/passwd entry is known: a uid with no account has no entry. */
  usersComplete(): boolean {
    return this.userFallback === 'none' || (this.userFallback === 'base' && this.facts?.complete === true);
  }

  groupsComplete(): boolean {
    return this.groupFallback === 'none' || (this.groupFallback === 'base' && this.facts?.complete === true);
  }

  /** The Dockerfile's accounts plus, when the base's files were replaced by a copy, the copied ones. */
  accounts(): Accounts {
    return { users: [...this.users.values()], groups: [...this.groups.values()] };
  }

  /** Everything known, base accounts included: what `COPY --from=<this stage> /etc/passwd` copies. */
  allUsers(): UserAccount[] {
    return [...this.users.values(), ...this.baseUsers().filter((u) => !this.users.has(u.name))];
  }

  allGroups(): GroupAccount[] {
    return [...this.groups.values(), ...this.baseGroups().filter((g) => !this.groups.has(g.name))];
  }

  /** Replaces /etc/passwd with another stage's (COPY --from=stage /etc/passwd). */
  copyUsersFrom(other: AccountBook): void {
    this.users.clear();
    this.removedUsers.clear();
    for (const u of other.allUsers()) this.users.set(u.name, u);
    this.userFallback = other.userFallback === 'unknown' || (other.userFallback === 'base' && !other.facts) ? 'unknown' : 'none';
  }

  copyGroupsFrom(other: AccountBook): void {
    this.groups.clear();
    this.removedGroups.clear();
    for (const g of other.allGroups()) this.groups.set(g.name, g);
    this.groupFallback = other.groupFallback === 'unknown' || (other.groupFallback === 'base' && !other.facts) ? 'unknown' : 'none';
  }

  /** /etc/passwd (or /etc/group) replaced by content the Dockerfile does not show. */
  replaceUnknown(file: 'passwd' | 'group'): void {
    if (file === 'passwd') {
      this.users.clear();
      this.userFallback = 'unknown';
    } else {
      this.groups.clear();
      this.groupFallback = 'unknown';
    }
  }

  removeUser(name: string): void {
    this.users.delete(name);
    this.removedUsers.add(name);
  }

  removeGroup(name: string): void {
    this.groups.delete(name);
    this.removedGroups.add(name);
  }
}
