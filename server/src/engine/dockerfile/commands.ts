/**
 * What account commands in a RUN do, following each tool's documented behaviour:
 * shadow-utils `useradd`/`groupadd`/`usermod`/`groupmod`/`userdel`/`groupdel` (Debian, Ubuntu, RHEL),
 * BusyBox `adduser`/`addgroup`/`deluser`/`delgroup` (Alpine, busybox) and Debian's `adduser`/`addgroup`,
 * and lines written to /etc/passwd or /etc/group (`echo`, `printf`, `cat <<EOF`, `tee -a`).
 * An id the command does not state is unknown: never guessed.
 */
import type { AccountFallback, Origin, UserAccount } from './accounts';
import { AccountBook } from './accounts';
import { getopt, idValue, optionSpec, type ParsedOptions } from './getopt';
import type { ShellWord, SimpleCommand } from './shell';
import { Expander, type VariableScope } from './variables';

export interface CommandContext {
  readonly book: AccountBook;
  readonly scope: VariableScope;
  lineOf(offset: number): number;
}

type Handler = (args: readonly ShellWord[], origin: Origin, ctx: CommandContext) => void;

const WRAPPERS = new Set(['sudo', 'exec', 'command', 'nohup', 'env', 'time', 'doas']);

/** Applies a RUN's commands to the stage's accounts, in order. */
export function applyCommands(commands: readonly SimpleCommand[], ctx: CommandContext): void {
  for (const command of commands) {
    let words = command.words;
    while (words.length && WRAPPERS.has(basename(words[0].value))) {
      words = words.slice(1);
      while (words.length && (words[0].value?.startsWith('-') || /^[A-Za-z_]\w*=/.test(words[0].raw))) words = words.slice(1);
    }
    const name = basename(words[0]?.value);
    const origin: Origin = { how: name, line: ctx.lineOf(command.span.start), span: command.span };
    const handler = HANDLERS[name];
    if (handler) handler(words.slice(1), origin, ctx);
    writeAccountFiles(command, name, words.slice(1), ctx);
  }
}

function basename(value: string | undefined): string {
  return value?.split('/').pop() ?? '';
}

function str(v: string | true | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function list(v: string | true | undefined): string[] {
  return typeof v === 'string' ? v.split(',').filter(Boolean) : [];
}

/** `-g 1000` or `-g app`: the group's id (when known) and name. */
function groupRef(book: AccountBook, value: string | true | undefined): { gid?: number; group?: string } {
  const v = str(value);
  if (v === undefined) return {};
  if (/^\d+$/.test(v)) {
    const group = book.findGroupByGid(Number(v))?.name;
    return { gid: Number(v), ...(group ? { group } : {}) };
  }
  const gid = v === 'root' ? 0 : book.findGroup(v)?.gid;
  return { ...(gid !== undefined ? { gid } : {}), group: v };
}

function addUser(book: AccountBook, user: UserAccount): void {
  book.removedUsers.delete(user.name);
  book.users.set(user.name, user);
}

function addGroup(book: AccountBook, name: string, gid: number | undefined, origin: Origin): void {
  book.removedGroups.delete(name);
  book.groups.set(name, { name, ...(gid !== undefined ? { gid } : {}), createdAt: origin });
}

function withGroups(user: UserAccount, groups: readonly string[]): UserAccount {
  const all = [...new Set([...(user.groups ?? []), ...groups])];
  return all.length ? { ...user, groups: all } : user;
}

function addToGroup(book: AccountBook, userName: string | undefined, group: string | undefined, origin: Origin): void {
  if (!userName || !group) return;
  const user = book.findUser(userName);
  if (user) addUser(book, { ...withGroups(user, [group]), changedAt: origin });
}

const USERADD = optionSpec('u,uid: g,gid: G,groups: d,home-dir: s,shell: c,comment: k,skel: K,key: e,expiredate: f,inactive: p,password: R,root: P,prefix: b,base-dir: Z,selinux-user: ,selinux-range: r,system m,create-home M,no-create-home N,no-user-group U,user-group o,non-unique l,no-log-init D,defaults h,help F,add-subids-for-system ,btrfs-subvolume-home');

/**
 * useradd: `-g` names the primary group; `-N` uses GROUP from /etc/default/useradd, 100 by default;
 * otherwise (USERGROUPS_ENAB yes in Debian's, Ubuntu's and RHEL's login.defs, or `-U`) a group named after the
 * user is created. Its id: shadow's useradd.c calls `find_new_gid (rflg, &user_gid, &user_id)`, preferring the
 * user's uid as the gid when no group has it; with the uid unknown (not given), so is the gid.
 */
const useradd: Handler = (args, origin, { book }) => {
  const o = getopt(args, USERADD);
  if (o.options.has('defaults') || o.options.has('help') || o.options.has('root') || o.options.has('prefix')) return;
  const name = o.positional[0]?.value;
  if (!name) return;
  const uid = idValue(o.options.get('uid'));
  let primary: { gid?: number; group?: string };
  if (o.options.has('gid')) primary = groupRef(book, o.options.get('gid'));
  else if (o.options.has('no-user-group')) primary = groupRef(book, '100');
  else {
    const gid = uid !== undefined && !book.findGroupByGid(uid) ? uid : undefined;
    addGroup(book, name, gid, { ...origin, how: `${origin.how} (user group)` });
    primary = { group: name, ...(gid !== undefined ? { gid } : {}) };
  }
  addUser(book, withGroups({ name, ...(uid !== undefined ? { uid } : {}), ...primary, createdAt: origin }, list(o.options.get('groups'))));
};

const GROUPADD = optionSpec('g,gid: K,key: p,password: R,root: P,prefix: U,users: f,force o,non-unique r,system h,help');

const groupadd: Handler = (args, origin, { book }) => {
  const o = getopt(args, GROUPADD);
  const name = o.positional[0]?.value;
  if (!name || o.options.has('help') || o.options.has('root') || o.options.has('prefix')) return;
  if (o.options.has('force') && book.findGroup(name)) return;
  addGroup(book, name, idValue(o.options.get('gid')), origin);
};

const USERMOD = optionSpec('c,comment: d,home: e,expiredate: f,inactive: g,gid: G,groups: l,login: p,password: R,root: P,prefix: s,shell: u,uid: v,add-subuids: V,del-subuids: w,add-subgids: W,del-subgids: Z,selinux-user: a,append r,remove h,help L,lock m,move-home o,non-unique U,unlock');

const usermod: Handler = (args, origin, { book }) => {
  const o = getopt(args, USERMOD);
  const name = o.positional[0]?.value;
  if (!name || o.options.has('root') || o.options.has('prefix')) return;
  const current: UserAccount = book.findUser(name) ?? { name, createdAt: origin };
  let next: UserAccount = { ...current, changedAt: origin };
  if (o.options.has('uid')) {
    const { uid: _old, ...rest } = next;
    const uid = idValue(o.options.get('uid'));
    next = { ...rest, ...(uid !== undefined ? { uid } : {}) };
  }
  if (o.options.has('gid')) {
    const { gid: _g, group: _n, ...rest } = next;
    next = { ...rest, ...groupRef(book, o.options.get('gid')) };
  }
  if (o.options.has('groups')) {
    const groups = list(o.options.get('groups'));
    const { groups: _old, ...rest } = next;
    next = o.options.has('append') ? withGroups(next, groups) : withGroups(rest, groups);
  }
  const login = str(o.options.get('login'));
  if (login) {
    book.removeUser(name);
    next = { ...next, name: login };
  }
  addUser(book, next);
};

const GROUPMOD = optionSpec('g,gid: n,new-name: p,password: R,root: P,prefix: U,users: a,append h,help o,non-unique');

/** groupmod -g also moves the users whose primary group it is (groupmod(8)). */
const groupmod: Handler = (args, origin, { book }) => {
  const o = getopt(args, GROUPMOD);
  const name = o.positional[0]?.value;
  const group = name ? book.findGroup(name) : undefined;
  if (!name || o.options.has('root') || o.options.has('prefix')) return;
  const newName = str(o.options.get('new-name')) ?? name;
  const gid = o.options.has('gid') ? idValue(o.options.get('gid')) : group?.gid;
  if (newName !== name) book.removeGroup(name);
  book.groups.set(newName, { name: newName, ...(gid !== undefined ? { gid } : {}), createdAt: group?.createdAt ?? origin, changedAt: origin });
  for (const u of book.allUsers()) {
    if (u.group !== name && (group?.gid === undefined || u.gid !== group.gid)) continue;
    const { gid: _g, ...rest } = u;
    addUser(book, { ...rest, ...(gid !== undefined ? { gid } : {}), group: newName, changedAt: origin });
  }
};

const userdel: Handler = (args, _origin, { book }) => {
  const name = getopt(args, optionSpec('f,force r,remove h,help R,root: P,prefix: Z,selinux-user')).positional[0]?.value;
  if (name) book.removeUser(name);
};

const groupdel: Handler = (args, _origin, { book }) => {
  const name = getopt(args, optionSpec('f,force h,help R,root: P,prefix:')).positional[0]?.value;
  if (name) book.removeGroup(name);
};

/** deluser USER, or (BusyBox and Debian) deluser USER GROUP: remove from a group. */
const deluser: Handler = (args, origin, { book }) => {
  const o = getopt(args, optionSpec(',remove-home ,remove-all-files ,system ,quiet ,backup ,backup-to: ,conf:'));
  const [user, group] = o.positional.map((w) => w.value);
  if (!user) return;
  if (!group) return book.removeUser(user);
  const account = book.findUser(user);
  if (account?.groups) addUser(book, { ...account, groups: account.groups.filter((g) => g !== group), changedAt: origin });
};

/**
 * BusyBox's CONFIG_FIRST_SYSTEM_ID and CONFIG_LAST_SYSTEM_ID as Alpine (aports main/busybox) and
 * docker-library/busybox build it: the Kconfig defaults, 100 and 999.
 */
const FIRST_SYSTEM_ID = 100;
const LAST_SYSTEM_ID = 999;

/**
 * Every uid and gid in use, when the stage's accounts are all known on a BusyBox base: the base
 * table's (Alpine's alpine-baselayout, busybox's buildroot skeleton) and the Dockerfile's, each with
 * its id, and no package installed since (an `apk add` script may have created accounts).
 */
function idsInUse(book: AccountBook): { readonly uids: ReadonlySet<number>; readonly gids: ReadonlySet<number> } | undefined {
  const family = book.facts?.family;
  if ((family !== 'alpine' && family !== 'busybox') || book.packagesInstalled) return undefined;
  const known = (f: AccountFallback) => f === 'base' || f === 'none';
  if (!known(book.userFallback) || !known(book.groupFallback)) return undefined;
  const users = book.allUsers();
  const groups = book.allGroups();
  if (users.some((u) => u.uid === undefined) || groups.some((g) => g.gid === undefined)) return undefined;
  return { uids: new Set(users.map((u) => u.uid as number)), gids: new Set(groups.map((g) => g.gid as number)) };
}

/**
 * BusyBox passwd_study (loginutils/adduser.c): the first uid from FIRST_SYSTEM_ID (`-S`) or
 * LAST_SYSTEM_ID + 1 with no passwd entry and, when the user gets a group of its own, no group
 * with that id either.
 */
function busyboxFreeUid(book: AccountBook, system: boolean, ownGroup: boolean): number | undefined {
  const ids = idsInUse(book);
  if (!ids) return undefined;
  const max = system ? LAST_SYSTEM_ID : 2147483647;
  for (let uid = system ? FIRST_SYSTEM_ID : LAST_SYSTEM_ID + 1; uid <= max; uid++) {
    if (!ids.uids.has(uid) && !(ownGroup && ids.gids.has(uid))) return uid;
  }
  return undefined;
}

/** BusyBox xgroup_study (loginutils/addgroup.c): the first gid from FIRST_SYSTEM_ID (`-S`) or LAST_SYSTEM_ID + 1 not in /etc/group. */
function busyboxFreeGid(book: AccountBook, system: boolean): number | undefined {
  const ids = idsInUse(book);
  if (!ids) return undefined;
  const max = system ? LAST_SYSTEM_ID : 2147483647;
  for (let gid = system ? FIRST_SYSTEM_ID : LAST_SYSTEM_ID + 1; gid <= max; gid++) if (!ids.gids.has(gid)) return gid;
  return undefined;
}

const BUSYBOX_ADDUSER = optionSpec('h,home: g,gecos: s,shell: G,ingroup: u,uid: k,skel: D,disabled-password ,empty-password S,system H,no-create-home');
const DEBIAN_ADDUSER = optionSpec(',home: ,shell: ,ingroup: ,uid: ,gid: ,gecos: ,comment: ,conf: ,firstuid: ,lastuid: ,firstgid: ,lastgid: ,system ,group ,disabled-password ,disabled-login ,no-create-home q,quiet ,debug ,force-badname ,allow-badname ,allow-bad-names ,allow-all-names ,add-extra-groups ,add_extra_groups ,encrypt-home ,verbose h,help');
const DEBIAN_ONLY = /^--(group|gid|disabled-login|add[-_]extra[-_]groups|firstuid|lastuid|firstgid|lastgid|comment|conf|quiet|debug|verbose|allow-bad-names|allow-all-names|force-badname|encrypt-home)(=|$)/;

/** BusyBox for Alpine and busybox bases or short options; Debian's for Debian bases or its own long options. */
function adduserFlavour(args: readonly ShellWord[], book: AccountBook): 'busybox' | 'debian' {
  const family = book.facts?.family;
  if (family === 'alpine' || family === 'busybox') return 'busybox';
  if (family === 'debian') return 'debian';
  if (args.some((w) => w.value !== undefined && /^-[A-Za-z]/.test(w.value))) return 'busybox';
  return 'debian';
}

/**
 * BusyBox adduser (loginutils/adduser.c): `-G` is the primary group; `-S` without `-G` uses nogroup;
 * otherwise a group named after the user is created with gid = uid. Two operands and no option:
 * add an existing user to a group.
 */
function busyboxAdduser(args: readonly ShellWord[], origin: Origin, book: AccountBook): void {
  const o = getopt(args, BUSYBOX_ADDUSER);
  const [name, second] = o.positional.map((w) => w.value);
  if (!name) return;
  if (o.options.size === 0 && second) return addToGroup(book, name, second, origin);
  const system = o.options.has('system');
  const ownGroup = !o.options.has('ingroup') && !system;
  const uid = o.options.has('uid') ? idValue(o.options.get('uid')) : busyboxFreeUid(book, system, ownGroup);
  let primary: { gid?: number; group?: string };
  if (o.options.has('ingroup')) primary = groupRef(book, o.options.get('ingroup'));
  else if (system) primary = groupRef(book, 'nogroup');
  else {
    addGroup(book, name, uid, { ...origin, how: `${origin.how} (user group)` });
    primary = { ...(uid !== undefined ? { gid: uid } : {}), group: name };
  }
  addUser(book, { name, ...(uid !== undefined ? { uid } : {}), ...primary, createdAt: origin });
}

/**
 * Debian adduser(8): `--gid`/`--ingroup` name the primary group; `--system` alone puts the user in
 * nogroup, `--system --group` creates a group with the user's name and id; a normal user gets a
 * group of their own (USERGROUPS=yes), its id not stated. `--group` without `--system` is addgroup.
 */
function debianAdduser(args: readonly ShellWord[], origin: Origin, book: AccountBook): void {
  const o: ParsedOptions = getopt(args, DEBIAN_ADDUSER);
  const [name, second] = o.positional.map((w) => w.value);
  if (!name || o.options.has('help')) return;
  if (o.options.has('group') && !o.options.has('system')) return addGroup(book, name, idValue(o.options.get('gid')), origin);
  const creating = ['uid', 'gid', 'ingroup', 'system', 'home', 'shell', 'disabled-password', 'disabled-login', 'gecos', 'comment'].some((k) => o.options.has(k));
  if (second && !creating) return addToGroup(book, name, second, origin);
  const uid = idValue(o.options.get('uid'));
  let primary: { gid?: number; group?: string };
  if (o.options.has('gid')) primary = groupRef(book, o.options.get('gid'));
  else if (o.options.has('ingroup')) primary = groupRef(book, o.options.get('ingroup'));
  else if (o.options.has('system') && !o.options.has('group')) primary = groupRef(book, 'nogroup');
  else {
    const gid = o.options.has('system') ? uid : undefined;
    addGroup(book, name, gid, { ...origin, how: `${origin.how} (user group)` });
    primary = { ...(gid !== undefined ? { gid } : {}), group: name };
  }
  addUser(book, { name, ...(uid !== undefined ? { uid } : {}), ...primary, createdAt: origin });
}

const adduser: Handler = (args, origin, { book }) => {
  const debian = args.some((w) => w.value !== undefined && DEBIAN_ONLY.test(w.value));
  if (debian || adduserFlavour(args, book) === 'debian') debianAdduser(args, origin, book);
  else busyboxAdduser(args, origin, book);
};

const ADDGROUP = optionSpec('g,gid: S,system ,conf: ,firstgid: ,lastgid: q,quiet ,debug ,verbose');

/** addgroup [-g GID] [-S] GROUP, or addgroup USER GROUP: add a user to a group (BusyBox and Debian alike). */
const addgroup: Handler = (args, origin, { book }) => {
  const o = getopt(args, ADDGROUP);
  const [first, second] = o.positional.map((w) => w.value);
  if (!first) return;
  if (second) return addToGroup(book, first, second, origin);
  // Debian's addgroup picks its id from adduser.conf ranges: unknown; BusyBox's is computed when every id is known.
  const busybox = book.facts?.family === 'alpine' || book.facts?.family === 'busybox';
  const gid = o.options.has('gid') ? idValue(o.options.get('gid')) : busybox ? busyboxFreeGid(book, o.options.has('system')) : undefined;
  addGroup(book, first, gid, origin);
};

/** `apk add`: packages may create accounts in their install scripts (ids then unknown to this model). */
const apk: Handler = (args, _origin, { book }) => {
  if (args.some((w) => w.value === 'add')) book.packagesInstalled = true;
};

const HANDLERS: Readonly<Record<string, Handler>> = {
  useradd,
  groupadd,
  usermod,
  groupmod,
  userdel,
  groupdel,
  adduser,
  addgroup,
  apk,
  deluser,
  delgroup: groupdel,
};

// ---- lines written to /etc/passwd and /etc/group ----

const ACCOUNT_FILES: Readonly<Record<string, 'passwd' | 'group'>> = { '/etc/passwd': 'passwd', '/etc/group': 'group' };

function writeAccountFiles(command: SimpleCommand, name: string, args: readonly ShellWord[], ctx: CommandContext): void {
  const targets: { file: 'passwd' | 'group'; truncate: boolean }[] = [];
  for (const r of command.redirects) {
    const file = ACCOUNT_FILES[r.target?.value ?? ''];
    if (file && (r.op === '>>' || r.op === '>' || r.op === '>|')) targets.push({ file, truncate: r.op !== '>>' });
  }
  if (name === 'tee') {
    const o = getopt(args, optionSpec('a,append i,ignore-interrupts p'));
    for (const w of o.positional) {
      const file = ACCOUNT_FILES[w.value ?? ''];
      if (file) targets.push({ file, truncate: !o.options.has('append') });
    }
  }
  if (!targets.length) return;
  const content = writtenContent(command, name, args, ctx.scope);
  const origin: Origin = { how: '', line: ctx.lineOf(command.span.start), span: command.span };
  for (const { file, truncate } of targets) {
    if (content === undefined) {
      if (truncate) ctx.book.replaceUnknown(file);
      continue;
    }
    if (truncate) {
      if (file === 'passwd') { ctx.book.users.clear(); ctx.book.userFallback = 'none'; }
      else { ctx.book.groups.clear(); ctx.book.groupFallback = 'none'; }
    }
    for (const line of content.split('\n').map((l) => l.replace(/\r$/, '')).filter(Boolean)) addLine(ctx.book, file, line, { ...origin, how: `/etc/${file}` });
  }
}

function addLine(book: AccountBook, file: 'passwd' | 'group', line: string, origin: Origin): void {
  const f = line.split(':');
  if (file === 'passwd') {
    if (f.length < 4 || !f[0] || !/^\d+$/.test(f[2]) || !/^\d+$/.test(f[3])) return;
    const gid = Number(f[3]);
    const group = book.findGroupByGid(gid)?.name;
    addUser(book, { name: f[0], uid: Number(f[2]), gid, ...(group ? { group } : {}), createdAt: origin });
  } else {
    if (f.length < 3 || !f[0] || !/^\d+$/.test(f[2])) return;
    addGroup(book, f[0], Number(f[2]), origin);
    for (const member of (f[3] ?? '').split(',').filter(Boolean)) addToGroup(book, member, f[0], origin);
  }
}

/** What a command writes: echo/printf arguments, a heredoc, or what is piped into tee/cat. */
function writtenContent(command: SimpleCommand, name: string, args: readonly ShellWord[], scope: VariableScope): string | undefined {
  if (name === 'echo') return echoContent(args);
  if (name === 'printf') return printfContent(args);
  if (name === 'cat' || name === 'tee') {
    const heredoc = command.redirects.find((r) => r.heredoc)?.heredoc;
    if (heredoc) return heredoc.literal ? heredoc.body : expandHeredoc(heredoc.body, scope);
    const from = command.pipedFrom;
    const fromName = basename(from?.words[0]?.value);
    if (from && (fromName === 'echo' || fromName === 'printf')) return writtenContent(from, fromName, from.words.slice(1), scope);
  }
  return undefined;
}

function unescape(s: string): string {
  return s.replace(/\\n/g, '\n').replace(/\\t/g, '\t');
}

function echoContent(args: readonly ShellWord[]): string | undefined {
  let k = 0;
  while (k < args.length && /^-[neE]+$/.test(args[k].value ?? '')) k++;
  const values = args.slice(k).map((w) => w.value);
  if (values.some((v) => v === undefined)) return undefined;
  return unescape(values.join(' ')); // dash and BusyBox echo interpret \n
}

function printfContent(args: readonly ShellWord[]): string | undefined {
  const values = args.map((w) => w.value);
  if (!values.length || values.some((v) => v === undefined)) return undefined;
  const [format, ...rest] = values as string[];
  const slots = (format.match(/%s/g) ?? []).length;
  if (!slots) return unescape(format.replace(/%%/g, '%'));
  let out = '';
  let k = 0;
  do {
    out += format.replace(/%s/g, () => rest[k++] ?? '').replace(/%%/g, '%');
  } while (k < rest.length);
  return unescape(out);
}

/** An unquoted heredoc's parameter expansion; command substitution makes it unknown. */
function expandHeredoc(body: string, scope: VariableScope): string | undefined {
  const ex = new Expander(scope);
  let i = 0;
  while (i < body.length) {
    const ch = body[i];
    if (ch === '\\' && /[$`\\]/.test(body[i + 1] ?? '')) {
      ex.out += body[i + 1];
      i += 2;
    } else if (ch === '`' || (ch === '$' && body[i + 1] === '(')) return undefined;
    else if (ch === '$') i = ex.dollar(body, i, '\\');
    else {
      ex.out += ch;
      i++;
    }
  }
  return ex.result().value;
}
