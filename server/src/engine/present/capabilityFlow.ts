/** The capability set step by step (runtime default → +add → −drop → bounding → effective), for the report and hovers. */
import { RUNTIME_DEFAULTS, interpretCapabilityName, sortCapabilities, type Runtime } from '../capabilities';
import type { EffectiveContext } from '../effective';

/** What happens to the capability set, step by step. */
export interface CapabilityFlow {
  readonly runtime: Runtime;
  readonly runtimeDefault: readonly string[];
  /** Names as the runtime applies them (containerd ignores `CAP_`-prefixed ones: they are listed in `ignored`). */
  readonly added: readonly string[];
  readonly dropped: readonly string[];
  readonly ignored: readonly string[];
  readonly addAll: boolean;
  readonly dropAll: boolean;
  readonly privileged: boolean;
  readonly bounding: readonly string[];
  readonly effective: readonly string[];
  /** Why the effective set is what it is: `uid 0 keeps the bounding set`, `a non-root uid starts with none`. */
  readonly effectiveWhy: string;
}

export function capabilityFlow(c: EffectiveContext, runtime: Runtime): CapabilityFlow | undefined {
  if (!c.capabilities) return undefined;
  const { added, dropped, bounding, effective } = c.capabilities;
  const applied = (raw: string): string | undefined => {
    const read = interpretCapabilityName(runtime, raw);
    return read.all ? 'ALL' : read.problem ? undefined : read.capability;
  };
  const ignored = [...added, ...dropped].filter((raw) => applied(raw) === undefined);
  const adds = sortCapabilities(new Set(added.map(applied).filter((n): n is string => n !== undefined && n !== 'ALL')));
  const drops = sortCapabilities(new Set(dropped.map(applied).filter((n): n is string => n !== undefined && n !== 'ALL')));
  return {
    runtime,
    runtimeDefault: sortCapabilities(RUNTIME_DEFAULTS[runtime]),
    added: adds,
    dropped: drops,
    ignored,
    addAll: added.some((a) => applied(a) === 'ALL'),
    dropAll: dropped.some((d) => applied(d) === 'ALL'),
    privileged: c.privileged.value,
    bounding,
    effective,
    effectiveWhy: c.privileged.value ? 'privileged: every capability'
      : c.user.value === 0 ? 'uid 0 keeps the bounding set'
      : c.user.value === undefined ? 'the bounding set if the image runs as root, none otherwise'
      : 'a non-root uid starts with none (file capabilities and setuid binaries aside)',
  };
}
