/**
 * `.gitignore` as git reads it, for every walk secctx makes (the CLI's directory arguments and the
 * language server's workspace scans): the rules of each directory from the repository root down, the
 * deepest rule about a path deciding (negations included). Matching is the `ignore` package's (the
 * implementation eslint and prettier use), not hand-written.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';

/** The `.gitignore` rules of one directory, with the directory they are relative to. */
export interface IgnoreLevel { readonly base: string; readonly rules: Ignore }

/** Files larger than this are not rules anyone wrote by hand: they are skipped, not parsed. */
const MAX_GITIGNORE = 512 * 1024;

function parse(dir: string, text: string): IgnoreLevel {
  return { base: dir, rules: ignore().add(text) };
}

/** The rules in `dir/.gitignore`, when it is a regular file of a sane size. */
export function readGitignore(dir: string): IgnoreLevel | undefined {
  const file = path.join(dir, '.gitignore');
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile() || stat.size > MAX_GITIGNORE) return undefined;
    return parse(dir, fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** The same, without blocking the event loop (the language server's scans). */
export async function readGitignoreAsync(dir: string): Promise<IgnoreLevel | undefined> {
  const file = path.join(dir, '.gitignore');
  try {
    const stat = await fs.promises.stat(file);
    if (!stat.isFile() || stat.size > MAX_GITIGNORE) return undefined;
    return parse(dir, await fs.promises.readFile(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** git's answer for one path: the deepest .gitignore with a rule about it wins. */
export function gitIgnored(levels: readonly IgnoreLevel[], absolute: string, isDir: boolean): boolean {
  let ignored = false;
  for (const level of levels) {
    const rel = path.relative(level.base, absolute).split(path.sep).join('/');
    if (!rel || rel.startsWith('..')) continue;
    const r = level.rules.test(isDir ? `${rel}/` : rel);
    if (r.ignored) ignored = true;
    else if (r.unignored) ignored = false;
  }
  return ignored;
}

/** The nearest directory at or above `dir` holding `.git` (a directory or, in a worktree, a file). */
export function gitRoot(dir: string): string | undefined {
  for (let current = dir; ; current = path.dirname(current)) {
    if (fs.existsSync(path.join(current, '.git'))) return current;
    if (path.dirname(current) === current) return undefined;
  }
}

/** The directories from the repository root (or `dir` itself outside a repository) down to `dir`. */
function chainTo(dir: string): string[] {
  const root = gitRoot(dir) ?? dir;
  const chain: string[] = [];
  for (let current = dir; ; current = path.dirname(current)) {
    chain.unshift(current);
    if (current === root || path.dirname(current) === current) break;
  }
  return chain;
}

/** Every level that applies to the entries of `dir`: the repository root's `.gitignore` down to `dir`'s own. */
export function levelsAt(dir: string): IgnoreLevel[] {
  return chainTo(dir).map(readGitignore).filter((l): l is IgnoreLevel => l !== undefined);
}

export async function levelsAtAsync(dir: string): Promise<IgnoreLevel[]> {
  const levels = await Promise.all(chainTo(dir).map(readGitignoreAsync));
  return levels.filter((l): l is IgnoreLevel => l !== undefined);
}
