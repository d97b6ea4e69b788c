/**
 * Command-line options the way getopt_long reads them (glibc and musl both permute): `-u 1000`,
 * `-u1000`, clustered flags `-rm`, `--uid 1000`, `--uid=1000`, `--` ending options.
 */
import type { ShellWord } from './shell';

/** Space-separated `s,long:` entries: short letter (or empty), long name, `:` when it takes a value. */
export type OptionSpec = ReadonlyMap<string, { readonly key: string; readonly takesValue: boolean }>;

export function optionSpec(spec: string): OptionSpec {
  const map = new Map<string, { key: string; takesValue: boolean }>();
  for (const entry of spec.trim().split(/\s+/)) {
    const takesValue = entry.endsWith(':');
    const [short, long] = entry.replace(/:$/, '').split(',');
    const key = long || short;
    if (short) map.set(`-${short}`, { key, takesValue });
    if (long) map.set(`--${long}`, { key, takesValue });
  }
  return map;
}

export interface ParsedOptions {
  /** Option key → its value (undefined when it depends on something unknown), or true for a flag. */
  readonly options: ReadonlyMap<string, string | true | undefined>;
  readonly positional: readonly ShellWord[];
  /** Every option word was understood (no unknown option that might have taken a value). */
  readonly clean: boolean;
}

export function getopt(args: readonly ShellWord[], spec: OptionSpec): ParsedOptions {
  const options = new Map<string, string | true | undefined>();
  const positional: ShellWord[] = [];
  let clean = true;
  for (let k = 0; k < args.length; k++) {
    const v = args[k].value;
    if (v === undefined || v === '-' || !v.startsWith('-')) {
      positional.push(args[k]);
    } else if (v === '--') {
      positional.push(...args.slice(k + 1));
      break;
    } else if (v.startsWith('--')) {
      const eq = v.indexOf('=');
      const name = eq < 0 ? v : v.slice(0, eq);
      const opt = spec.get(name);
      if (!opt) clean = false;
      else if (!opt.takesValue) options.set(opt.key, true);
      else if (eq >= 0) options.set(opt.key, v.slice(eq + 1));
      else options.set(opt.key, args[++k]?.value);
    } else {
      for (let c = 1; c < v.length; c++) {
        const opt = spec.get(`-${v[c]}`);
        if (!opt) { clean = false; continue; }
        if (!opt.takesValue) { options.set(opt.key, true); continue; }
        options.set(opt.key, c + 1 < v.length ? v.slice(c + 1) : args[++k]?.value);
        break;
      }
    }
  }
  return { options, positional, clean };
}

/** A numeric id option: undefined when absent, dynamic or not a number. */
export function idValue(value: string | true | undefined): number | undefined {
  return typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : undefined;
}
