/**
 * Project configuration `.secctx.yaml`: profile, kubernetesVersion, runtime, rules, ignore, images,
 * kustomize, imageLookup, imagePlatform, imageLayerBudget.
 * Parsing is pure; finding the file (walking up from a document) belongs to the CLI and the server.
 */
import picomatch from 'picomatch';
import { parseDocument } from 'yaml';
import { RUNTIMES, type Runtime } from './capabilities';
import { ruleById } from './rules/index';
import type { Profile, SeverityOverride, Span } from './types';
import { asMap, asScalar, asSeq, entries, spanOf } from './yaml/nodes';

export interface ProjectConfig {
  readonly profile?: Profile;
  readonly kubernetesVersion?: string;
  readonly runtime?: Runtime;
  readonly rules: Readonly<Record<string, SeverityOverride>>;
  readonly ignore: readonly string[];
  /** image reference → Dockerfile path, relative to the config file. */
  readonly images: Readonly<Record<string, { readonly path: string; readonly span: Span }>>;
  /** Helm: values files merged over every chart's values.yaml, relative to the config file. */
  readonly helm?: { readonly valuesFiles: readonly string[] };
  /** `kustomize: {path, timeoutSeconds}`: the kustomize or kubectl binary to build with, and how long a build may take. */
  readonly kustomize?: { readonly path?: string; readonly timeoutSeconds?: number };
  /** Where image facts are looked up (`secctx.images.lookup`, `--image-lookup`); a key of its own because `images` maps image references. */
  readonly imageLookup?: ImageLookupMode;
  /** `os/arch[/variant]` of multi-platform images (`secctx.images.platform`). */
  readonly imagePlatform?: string;
  /** Compressed layer bytes read per image for /etc/passwd and /etc/group (`secctx.images.layerBudget`). */
  readonly imageLayerBudget?: number;
}

export type ImageLookupMode = 'registry' | 'local' | 'off';
export const IMAGE_LOOKUP_MODES: readonly ImageLookupMode[] = ['registry', 'local', 'off'];
/** The stricter of two modes: `registry` sends image names over the network, `local` reads the cache and the Docker socket, `off` nothing. */
export function stricterLookup(a: ImageLookupMode, b: ImageLookupMode | undefined): ImageLookupMode {
  return b === undefined ? a : IMAGE_LOOKUP_MODES[Math.max(IMAGE_LOOKUP_MODES.indexOf(a), IMAGE_LOOKUP_MODES.indexOf(b))];
}

export interface ConfigProblem {
  readonly span: Span;
  readonly message: string;
}

export const CONFIG_FILE_NAMES = ['.secctx.yaml', '.secctx.yml'];
const PROFILES: readonly Profile[] = ['restricted', 'baseline', 'privileged'];
const SEVERITIES: readonly SeverityOverride[] = ['off', 'info', 'warning', 'error', 'hint'];

export function parseConfig(text: string): { config: ProjectConfig; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const rules: Record<string, SeverityOverride> = {};
  const ignore: string[] = [];
  const images: Record<string, { path: string; span: Span }> = {};
  const config: { -readonly [K in keyof ProjectConfig]: ProjectConfig[K] } = { rules, ignore, images };
  const doc = parseDocument(text, { prettyErrors: false });
  const zero = { start: 0, end: Math.min(text.length, 1) };
  if (doc.errors.length) {
    const e = doc.errors[0];
    problems.push({ span: { start: e.pos[0], end: Math.max(e.pos[1], e.pos[0] + 1) }, message: `Invalid YAML: ${e.message.split('\n')[0]}; the defaults apply.` });
    return { config, problems };
  }
  if (doc.contents === null) return { config, problems };
  const root = asMap(doc.contents);
  if (!root) return { config, problems: [{ span: spanOf(doc.contents) ?? zero, message: '.secctx.yaml must be a map of settings; the defaults apply.' }] };
  for (const { key, keySpan, value } of entries(root)) {
    const scalar = asScalar(value);
    const valueSpan = spanOf(value) ?? keySpan;
    const str = scalar && (typeof scalar.value === 'string' || typeof scalar.value === 'number') ? String(scalar.value) : undefined;
    switch (key) {
      case 'profile':
        if (str && (PROFILES as string[]).includes(str)) config.profile = str as Profile;
        else problems.push({ span: valueSpan, message: `profile must be one of ${PROFILES.join(', ')}.` });
        break;
      case 'runtime':
        if (str && (RUNTIMES as readonly string[]).includes(str)) config.runtime = str as Runtime;
        else problems.push({ span: valueSpan, message: `runtime must be one of ${RUNTIMES.join(', ')}.` });
        break;
      case 'kubernetesVersion':
        // Only a string: unquoted, 1.30 is the number 1.3.
        if (typeof scalar?.value === 'string' && /^v?1\.\d+$/.test(scalar.value)) config.kubernetesVersion = scalar.value;
        else problems.push({ span: valueSpan, message: 'kubernetesVersion must look like "1.30" (quote it: 1.30 unquoted is the number 1.3).' });
        break;
      case 'rules':
        for (const r of entries(asMap(value))) {
          const sev = asScalar(r.value)?.value;
          if (!ruleById(r.key)) problems.push({ span: r.keySpan, message: `Unknown rule id ${r.key}.` });
          else if (typeof sev !== 'string' || !(SEVERITIES as string[]).includes(sev)) problems.push({ span: spanOf(r.value) ?? r.keySpan, message: `Severity must be one of off, info, warning, error.` });
          else rules[r.key] = sev as SeverityOverride;
        }
        if (!asMap(value)) problems.push({ span: valueSpan, message: 'rules must be a map of rule id to off|info|warning|error.' });
        break;
      case 'ignore':
        for (const item of asSeq(value)?.items ?? []) {
          const s = asScalar(item)?.value;
          if (typeof s === 'string') ignore.push(s);
          else problems.push({ span: spanOf(item as never) ?? valueSpan, message: 'ignore entries must be glob strings.' });
        }
        if (!asSeq(value)) problems.push({ span: valueSpan, message: 'ignore must be a list of globs.' });
        break;
      case 'images':
        for (const i of entries(asMap(value))) {
          const p = asScalar(i.value)?.value;
          if (typeof p === 'string') images[i.key] = { path: p, span: spanOf(i.value) ?? i.keySpan };
          else problems.push({ span: i.keySpan, message: 'images maps an image to the path of its Dockerfile.' });
        }
        if (!asMap(value)) problems.push({ span: valueSpan, message: 'images must be a map of image → Dockerfile path.' });
        break;
      case 'helm': {
        const helm = parseHelmConfig(value, valueSpan, problems);
        if (helm) config.helm = helm;
        break;
      }
      case 'kustomize': {
        const map = asMap(value);
        const kustomize: { path?: string; timeoutSeconds?: number } = {};
        for (const k of entries(map)) {
          const v = asScalar(k.value)?.value;
          if (k.key === 'path' && typeof v === 'string' && v) kustomize.path = v;
          else if (k.key === 'timeoutSeconds' && typeof v === 'number' && v > 0) kustomize.timeoutSeconds = v;
          else problems.push({ span: k.keySpan, message: 'kustomize takes path (the kustomize or kubectl binary) and timeoutSeconds (a positive number).' });
        }
        if (!map) problems.push({ span: valueSpan, message: 'kustomize must be a map: {path: /usr/local/bin/kustomize, timeoutSeconds: 30}.' });
        config.kustomize = kustomize;
        break;
      }
      case 'imageLookup':
        if (str && (IMAGE_LOOKUP_MODES as readonly string[]).includes(str)) config.imageLookup = str as ImageLookupMode;
        else problems.push({ span: valueSpan, message: `imageLookup must be one of ${IMAGE_LOOKUP_MODES.join(', ')}.` });
        break;
      case 'imagePlatform':
        if (typeof scalar?.value === 'string' && /^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?$/.test(scalar.value)) config.imagePlatform = scalar.value;
        else problems.push({ span: valueSpan, message: 'imagePlatform must look like linux/amd64 or linux/arm64/v8.' });
        break;
      case 'imageLayerBudget':
        if (typeof scalar?.value === 'number' && Number.isInteger(scalar.value) && scalar.value > 0) config.imageLayerBudget = scalar.value;
        else problems.push({ span: valueSpan, message: 'imageLayerBudget must be a positive whole number of bytes.' });
        break;
      default:
        problems.push({ span: keySpan, message: `Unknown setting ${key}: expected profile, kubernetesVersion, runtime, rules, ignore, images, kustomize, helm, imageLookup, imagePlatform or imageLayerBudget.` });
    }
  }
  return { config, problems };
}

/** `helm: { valuesFiles: [values-prod.yaml] }`. */
function parseHelmConfig(value: unknown, valueSpan: Span, problems: ConfigProblem[]): { valuesFiles: string[] } | undefined {
  const map = asMap(value);
  if (!map) { problems.push({ span: valueSpan, message: 'helm must be a map: helm: { valuesFiles: [values-prod.yaml] }.' }); return undefined; }
  const valuesFiles: string[] = [];
  for (const e of entries(map)) {
    if (e.key !== 'valuesFiles') { problems.push({ span: e.keySpan, message: `Unknown helm setting ${e.key}: expected valuesFiles.` }); continue; }
    const seq = asSeq(e.value);
    if (!seq) { problems.push({ span: spanOf(e.value) ?? e.keySpan, message: 'helm.valuesFiles must be a list of values file paths.' }); continue; }
    for (const item of seq.items) {
      const s = asScalar(item)?.value;
      if (typeof s === 'string' && s) valuesFiles.push(s);
      else problems.push({ span: spanOf(item as never) ?? e.keySpan, message: 'helm.valuesFiles entries must be paths.' });
    }
  }
  return { valuesFiles };
}

/**
 * Whether `.secctx.yaml`'s `ignore` globs leave a file out. Semantics are .gitignore's, relative to
 * the directory of the config file (as eslint's and git's are):
 * - a pattern with a `/` (other than a trailing one) is anchored there: `test/**` is `<config dir>/test/**`,
 *   never `src/test/x.yaml`; a leading `/` only anchors;
 * - a pattern without one matches a name at any depth: `*.{yml,json}` matches `k8s/pod.yml`,
 *   `templates` matches every directory called `templates`;
 * - a pattern that matches a directory leaves out everything below it; a trailing `/` matches directories only;
 * - `**` spans whole path segments (`**` + `/templates/**` does not match `helm-templates/pod.yaml`);
 * - `!pattern` puts back what an earlier pattern left out (the last matching pattern decides).
 * Matching is picomatch's (globstar, braces, extglobs, dotfiles).
 */
export function isIgnored(relativePath: string, globs: readonly string[]): boolean {
  const p = relativePath.replace(/\\/g, '/');
  if (!p || p.startsWith('../')) return false;
  const segments = p.split('/');
  // The file, then each directory above it (a matched directory leaves out its contents).
  const candidates = segments.map((_, i) => ({ path: segments.slice(0, segments.length - i).join('/'), dir: i > 0 }));
  let ignored = false;
  for (const glob of globs) {
    const negated = glob.startsWith('!');
    let pattern = negated ? glob.slice(1) : glob;
    if (pattern.startsWith('./')) pattern = pattern.slice(2);
    const dirOnly = pattern.endsWith('/');
    while (pattern.endsWith('/')) pattern = pattern.slice(0, -1); // (`/\/+$/` is quadratic on a run of slashes)
    const anchored = pattern.includes('/');
    if (pattern.startsWith('/')) pattern = pattern.slice(1);
    if (!pattern) continue;
    const matches = picomatch(anchored ? pattern : `**/${pattern}`, { dot: true });
    if (candidates.some((c) => (!dirOnly || c.dir) && matches(c.path))) ignored = !negated;
  }
  return ignored;
}
