/** Editor settings (`secctx.*`) → explicit analysis options. */
import { RUNTIMES, type Runtime } from '../engine/capabilities';
import type { AnalysisOptions } from '../engine/options';
import type { Profile, SeverityOverride } from '../engine/types';

/** `secctx.images.*`: where image facts are looked up (`registry` | `local` | `off`), for which platform, how many layer bytes. */
export interface ImageSettings {
  readonly lookup: 'registry' | 'local' | 'off';
  readonly platform?: string;
  readonly layerBudget?: number;
}

export interface EditorSettings {
  readonly explicit: Partial<AnalysisOptions>;
  readonly inlayHints: boolean;
  readonly maxFileSize: number;
  readonly images: ImageSettings;
  /** `secctx.kustomize.path`: the kustomize or kubectl binary for builds. */
  readonly kustomizePath?: string;
}

function readImageSettings(raw: unknown): ImageSettings {
  const s = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const lookup = s.lookup === 'local' || s.lookup === 'off' ? s.lookup : 'registry';
  return {
    lookup,
    ...(typeof s.platform === 'string' && s.platform ? { platform: s.platform } : {}),
    ...(typeof s.layerBudget === 'number' && s.layerBudget > 0 ? { layerBudget: s.layerBudget } : {}),
  };
}

export function readSettings(raw: unknown): EditorSettings {
  const s = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const runtime = typeof s.runtime === 'string' && (RUNTIMES as readonly string[]).includes(s.runtime) ? (s.runtime as Runtime) : undefined;
  const profile = s.profile === 'restricted' || s.profile === 'baseline' || s.profile === 'privileged' ? (s.profile as Profile) : undefined;
  const rules: Record<string, SeverityOverride> = {};
  if (s.rules && typeof s.rules === 'object') {
    for (const [k, v] of Object.entries(s.rules as Record<string, unknown>)) {
      if (v === 'off' || v === 'info' || v === 'warning' || v === 'error' || v === 'hint') rules[k] = v;
    }
  }
  const inlay = s.inlayHints && typeof s.inlayHints === 'object' ? (s.inlayHints as Record<string, unknown>).enabled : undefined;
  const kustomize = s.kustomize && typeof s.kustomize === 'object' ? (s.kustomize as Record<string, unknown>).path : undefined;
  const kustomizePath = typeof kustomize === 'string' && kustomize ? kustomize : undefined;
  const max = typeof s.maxFileSize === 'number' && s.maxFileSize > 0 ? s.maxFileSize : 5 * 1024 * 1024;
  return {
    explicit: {
      runtime,
      profile,
      kubernetesVersion: typeof s.kubernetesVersion === 'string' && s.kubernetesVersion ? s.kubernetesVersion : undefined,
      defaultNonRootUid: typeof s.defaultNonRootUid === 'number' ? s.defaultNonRootUid : undefined,
      seccompDefault: typeof s.seccompDefault === 'boolean' ? s.seccompDefault : undefined,
      rules,
    },
    inlayHints: inlay !== false,
    maxFileSize: max,
    images: readImageSettings(s.images),
    ...(kustomizePath ? { kustomizePath } : {}),
  };
}
