/**
 * Running kustomize on a copy of a build's inputs. The copy holds the files as the editor has them
 * (unsaved changes included) and a wrapper kustomization that adds `buildMetadata: [originAnnotations]`
 * around the user's, so every built resource names its source file and the user's files stay untouched.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BuildTree } from '../../engine/kustomize/patches';
import type { KustomizeBinary } from './binary';

export type RunOutcome =
  | { readonly ok: true; readonly built: string; readonly originFile: (annotationPath: string) => string | undefined; readonly ms: number }
  | { readonly ok: false; readonly timedOut: boolean; readonly message: string; readonly ms: number };

function commonDir(paths: readonly string[]): string {
  let common = path.dirname(paths[0]);
  for (const p of paths) {
    while (path.relative(common, p).startsWith('..') || path.isAbsolute(path.relative(common, p))) {
      const up = path.dirname(common);
      if (up === common) return common;
      common = up;
    }
  }
  return common;
}

/**
 * An environment in which kustomize and any git it starts cannot reach the network: proxies point at a
 * closed loopback port and git allows no protocol. Remote references are refused before this (tree.ts);
 * this is the second line.
 */
function isolatedEnv(home: string): NodeJS.ProcessEnv {
  const closed = 'http://127.0.0.1:9';
  return {
    PATH: process.env.PATH ?? '',
    HOME: home,
    XDG_CONFIG_HOME: home,
    KUSTOMIZE_PLUGIN_HOME: path.join(home, 'no-plugins'),
    HTTP_PROXY: closed, HTTPS_PROXY: closed, http_proxy: closed, https_proxy: closed, ALL_PROXY: closed, NO_PROXY: '', no_proxy: '',
    GIT_ALLOW_PROTOCOL: 'none', GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: path.join(home, 'gitconfig'),
  };
}

/**
 * kustomize's error as a person reads it: without kubectl's log prefix (`E1206 04:52:36.131123 9966
 * run.go:72] "command failed" err=…`, one line or an `err=<` block), without the layer of secctx's
 * wrapper kustomization, and with paths of the temporary copy made relative again.
 */
export function cleanError(stderr: string): string {
  let text = stderr;
  // The `err=<` block up to its closing `>` line, found without a lazy `[\s\S]*?` and `\s*` spanning lines
  // (recheck: quadratic).
  const open = text.indexOf('err=<\n');
  const rest = open < 0 ? '' : text.slice(open + 'err=<\n'.length);
  const close = open < 0 ? null : /\n[ \t]*>[ \t]*$/m.exec(rest);
  const block = close ? [rest, rest.slice(0, close.index)] : null;
  if (block) text = block[1].split('\n').map((l) => l.replace(/^\t/, '')).join('\n');
  else {
    text = text.split('\n').map((l) => l.trim()).filter(Boolean).map((l) => {
      // The first `err="` to a closing quote at the end (not `/\berr="(.*)"$/`: quadratic on repeated `err="`).
      const at = /\berr="/.exec(l);
      const m = at && l.endsWith('"') && l.length >= at.index + 6 ? [l, l.slice(at.index + 5, -1)] : null;
      return m ? m[1].replace(/\\"/g, '"').replace(/\\n/g, '\n') : l.replace(/^Error:\s*/, '');
    }).join('\n');
  }
  // The wrapper kustomization's layer (`accumulating resources: … '<tmp>/secctx-kustomize-…' must resolve to a
  // file': recursed accumulation of path '<tmp>/secctx-kustomize-…': `), cut by its markers (the regex with
  // `[^']*` on both sides of `secctx-kustomize-` backtracked quadratically).
  const WRAPPER = "accumulating resources: accumulation err='accumulating resources from '";
  const RECURSED = "' must resolve to a file': recursed accumulation of path '";
  if (text.startsWith(WRAPPER)) {
    const at = text.indexOf(RECURSED);
    const end = at < 0 ? -1 : text.indexOf("': ", at + RECURSED.length);
    if (end >= 0 && text.slice(0, end).includes('secctx-kustomize-')) text = text.slice(end + "': ".length);
  }
  return withoutTempPaths(text).trim();
}

/** Drops `<tmpdir>/secctx-kustomize-XXXXXX/src/` prefixes (the temporary copy) in one pass, without a backtracking regex. */
function withoutTempPaths(text: string): string {
  const prefix = path.join(os.tmpdir(), 'secctx-kustomize-');
  let out = '';
  let from = 0;
  for (let at = text.indexOf(prefix); at >= 0; at = text.indexOf(prefix, from)) {
    let end = at + prefix.length;
    while (end < text.length && !'/ \t\n\'"'.includes(text[end])) end++;
    if (!text.startsWith('/src', end)) { out += text.slice(from, end); from = end; continue; }
    end += 4;
    if (text[end] === '/') end++;
    out += text.slice(from, at);
    from = end;
  }
  return out + text.slice(from);
}

export async function runKustomize(binary: KustomizeBinary, tree: BuildTree, timeoutMs: number): Promise<RunOutcome> {
  const started = Date.now();
  const temp = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'secctx-kustomize-'));
  try {
    const inputs = [...tree.files.keys(), ...[...tree.nodes.keys()].map((d) => path.join(d, '.'))];
    const root = commonDir(inputs);
    const src = path.join(temp, 'src');
    for (const [file, text] of tree.files) {
      const target = path.join(src, path.relative(root, file));
      await fs.promises.mkdir(path.dirname(target), { recursive: true });
      await fs.promises.writeFile(target, text);
    }
    for (const dir of tree.nodes.keys()) await fs.promises.mkdir(path.join(src, path.relative(root, dir)), { recursive: true });
    const wrap = path.join(temp, 'wrap');
    await fs.promises.mkdir(wrap);
    const target = path.relative(wrap, path.join(src, path.relative(root, tree.root))).split(path.sep).join('/') || '.';
    await fs.promises.writeFile(path.join(wrap, 'kustomization.yaml'), `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ${JSON.stringify(target)}\nbuildMetadata: [originAnnotations]\n`);
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string; timedOut: boolean }>((resolve) => {
      execFile(binary.command, [...binary.args, wrap], { cwd: temp, env: isolatedEnv(temp), timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 256 * 1024 * 1024, windowsHide: true }, (err, stdout, stderr) => {
        const e = err as (NodeJS.ErrnoException & { killed?: boolean; code?: number | string }) | null;
        resolve({ code: e ? (typeof e.code === 'number' ? e.code : -1) : 0, stdout: String(stdout), stderr: String(stderr) || (e && !e.killed ? e.message : ''), timedOut: !!e?.killed });
      });
    });
    const ms = Date.now() - started;
    if (result.timedOut) return { ok: false, timedOut: true, message: `${binary.label} did not finish within ${Math.round(timeoutMs / 1000)} s and was stopped.`, ms };
    if (result.code !== 0) return { ok: false, timedOut: false, message: cleanError(result.stderr) || `${binary.label} failed (exit ${result.code}).`, ms };
    const originFile = (annotationPath: string): string | undefined => {
      const abs = path.resolve(wrap, annotationPath);
      const rel = path.relative(src, abs);
      return rel.startsWith('..') || path.isAbsolute(rel) ? undefined : path.join(root, rel);
    };
    return { ok: true, built: result.stdout, originFile, ms };
  } finally {
    await fs.promises.rm(temp, { recursive: true, force: true });
  }
}
