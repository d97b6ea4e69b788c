/** What Docker rules share: how findings name a container, and each setting visited once where it is written. */
import type { DockerContainer, DockerFileModel, DockerSettings, Setting } from './model';
import { parseSecurityOpt } from './values';

/** `Service "api"`, `` `docker run nginx` ``: how findings name a container. */
export function containerLabel(c: DockerContainer): string {
  return c.kind === 'compose-service' ? `Service "${c.name}"` : `\`${c.command} ${c.name}\``;
}

/** `user: root`, `--user 0`: a setting as its finding quotes it. */
export function quoted(c: DockerContainer, s: Setting<unknown>): string {
  return c.kind === 'compose-service' ? `\`${s.field}: ${s.raw}\`` : `\`${s.field} ${s.raw}\``;
}

export interface Located<T> {
  readonly container: DockerContainer;
  readonly setting: Setting<T>;
}

/**
 * The settings `pick` selects, each once where it is written: not again in services that inherit it
 * through `extends`, nor again for every service that merges the same YAML anchor.
 */
export function settingsOnce<T>(model: DockerFileModel, pick: (s: DockerSettings) => Setting<T> | readonly Setting<T>[] | undefined): Located<T>[] {
  const seen = new Set<number>();
  const out: Located<T>[] = [];
  for (const container of model.containers) {
    const picked = pick(container.settings);
    const list: readonly Setting<T>[] = picked === undefined ? [] : Array.isArray(picked) ? picked : [picked as Setting<T>];
    for (const setting of list) {
      if (setting.inheritedFrom !== undefined || seen.has(setting.span.start)) continue;
      seen.add(setting.span.start);
      out.push({ container, setting });
    }
  }
  return out;
}

/** `--security-opt`/`security_opt` entries that turn one confinement off: `seccomp=unconfined`, `apparmor:unconfined`, `systempaths=unconfined`. */
export function unconfinedOpts(model: DockerFileModel, kind: 'seccomp' | 'apparmor' | 'systempaths'): Located<string>[] {
  return settingsOnce(model, (s) => s.securityOpt).filter(({ setting }) => {
    if (setting.value === undefined) return false;
    const opt = parseSecurityOpt(setting.value);
    return opt.kind === kind && (opt.kind === 'seccomp' || opt.kind === 'apparmor' ? opt.profile : opt.kind === 'systempaths' ? opt.value : '') === 'unconfined';
  });
}
