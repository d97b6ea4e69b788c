/**
 * One file's findings across the builds that use it. A base file's own findings stay, except that one
 * every build using the file fixes is downgraded to a hint that says so; a finding a build introduces
 * into the file (a patch's value, an overlay's replacement) is added, naming the builds it appears in.
 */
import type { Finding } from '../types';
import type { MappedFinding } from './judge';

export interface BuildFindings {
  /** How the build is named to a person: `prod`, `overlays/prod`. */
  readonly name: string;
  /** The build's findings that landed in this file. */
  readonly findings: readonly MappedFinding[];
}

const key = (f: Finding) => `${f.rule}\0${f.span.start}\0${f.span.end}`;

function list(names: readonly string[]): string {
  return names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/**
 * `alone`: the file judged by itself (undefined for a patch or kustomization file, which means nothing
 * alone); `builds`: every build that reads the file, with its findings in it.
 */
export function combineFindings(alone: readonly Finding[] | undefined, builds: readonly BuildFindings[]): Finding[] {
  if (!builds.length) return [...(alone ?? [])];
  const byKey = new Map<string, { finding: Finding; resources: Set<string>; builds: string[] }>();
  for (const b of builds) {
    for (const m of b.findings) {
      const k = key(m.finding);
      const entry = byKey.get(k) ?? { finding: m.finding, resources: new Set<string>(), builds: [] };
      entry.resources.add(m.resource);
      if (!entry.builds.includes(b.name)) entry.builds.push(b.name);
      byKey.set(k, entry);
    }
  }
  const out: Finding[] = [];
  const names = builds.map((b) => b.name);
  for (const f of alone ?? []) {
    const seen = byKey.get(key(f));
    byKey.delete(key(f));
    if (!seen) {
      out.push({ ...f, severity: 'hint', message: `${f.message} (fixed in ${names.length === 1 ? 'overlay' : 'overlays'} ${list(names)})`, fixes: f.fixes });
    } else if (seen.builds.length < names.length) {
      const fixedIn = names.filter((n) => !seen.builds.includes(n));
      out.push({ ...f, message: `${f.message} (still in ${list(seen.builds)}; fixed in ${list(fixedIn)})` });
    } else out.push(f);
  }
  for (const { finding, resources, builds: where } of byKey.values()) {
    out.push({ ...finding, message: `${finding.message} (in ${where.length === 1 ? 'overlay' : 'overlays'} ${list(where)}: ${[...resources].join(', ')})` });
  }
  return out.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
}
