/** Finding the kustomize to run: the configured path, else `kustomize` on PATH, else `kubectl kustomize`. */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface KustomizeBinary {
  readonly command: string;
  /** Arguments before the directory: `build` for kustomize, `kustomize` for kubectl. */
  readonly args: readonly string[];
  /** `kustomize`, `kubectl kustomize` or the configured path, for messages. */
  readonly label: string;
}

/**
 * Flags that keep a build local and inert. They are kustomize's defaults, given explicitly so that a
 * wrapper or a future default cannot turn them on: no Helm (`--enable-helm`), no exec/container KRM
 * functions (`--enable-alpha-plugins`), no file outside a kustomization's root (`--load-restrictor`).
 */
export const SAFE_FLAGS = ['--enable-helm=false', '--enable-alpha-plugins=false', '--load-restrictor=LoadRestrictionsRootOnly'] as const;

function onPath(name: string, envPath: string | undefined): string | undefined {
  for (const dir of (envPath ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

function forCommand(command: string, label: string): KustomizeBinary {
  const kubectl = /^kubectl(\.exe)?$/i.test(path.basename(command));
  return { command, args: kubectl ? ['kustomize', ...SAFE_FLAGS] : ['build', ...SAFE_FLAGS], label };
}

/** The binary to run, or undefined when there is none (files are then judged alone). */
export function findKustomize(configured: string | undefined, envPath = process.env.PATH): KustomizeBinary | undefined {
  if (configured) return forCommand(configured, configured);
  const kustomize = onPath('kustomize', envPath);
  if (kustomize) return forCommand(kustomize, 'kustomize');
  const kubectl = onPath('kubectl', envPath);
  return kubectl ? forCommand(kubectl, 'kubectl kustomize') : undefined;
}

export const MISSING_KUSTOMIZE = 'kustomize was not found (neither `kustomize` nor `kubectl` on PATH): the files of this build are judged one by one. Install kustomize or kubectl, or set `secctx.kustomize.path` (`kustomize: {path: …}` in .secctx.yaml), for results on the built overlays.';
