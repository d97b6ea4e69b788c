/**
 * What `.secctx.yaml` may hold, described once: the JSON Schema shipped as
 * schemas/secctx-config.schema.json (written by `npm run docs`, contributed to the YAML extension
 * through package.json `yamlValidation`) and the server's own completion and hover in the config
 * file are both made from these descriptions. test/unit/config-schema.test.ts keeps the schema and
 * the parser (../config.ts) in agreement.
 */
import { RUNTIME_DEFAULTS, RUNTIMES, type Runtime } from '../capabilities';
import { RULES } from '../rules/index';
import type { Profile, SeverityOverride } from '../types';

/** The subset of JSON Schema draft-07 the config schema uses. */
export interface JsonSchema {
  readonly $schema?: string;
  readonly $id?: string;
  readonly title?: string;
  readonly description?: string;
  readonly markdownDescription?: string;
  readonly type?: string | readonly string[];
  readonly enum?: readonly (string | null)[];
  readonly enumDescriptions?: readonly string[];
  readonly markdownEnumDescriptions?: readonly string[];
  readonly pattern?: string;
  readonly minLength?: number;
  readonly exclusiveMinimum?: number;
  readonly minimum?: number;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly additionalProperties?: boolean | JsonSchema;
  readonly items?: JsonSchema;
  readonly default?: unknown;
  readonly examples?: readonly unknown[];
}

export interface ConfigValue {
  readonly value: string;
  readonly description: string;
}

export interface ConfigSetting {
  readonly key: string;
  /** Markdown, one or two sentences. */
  readonly description: string;
  readonly schema: JsonSchema;
  /** The values a scalar setting takes, for completion and hover. */
  readonly values?: readonly ConfigValue[];
  /** What to insert after `key:` when completing the key (a snippet-free text). */
  readonly insertText: string;
}

export const PROFILE_VALUES: readonly (ConfigValue & { readonly value: Profile })[] = [
  { value: 'restricted', description: 'Every Pod Security Standards check, restricted included (the default).' },
  { value: 'baseline', description: 'Hides findings only the restricted profile forbids.' },
  { value: 'privileged', description: 'Keeps only errors: what Kubernetes, the kubelet or the runtime will reject or ignore.' },
];

const withoutCriO = RUNTIME_DEFAULTS.docker.filter((c) => !RUNTIME_DEFAULTS['cri-o'].includes(c));
const RUNTIME_DESCRIPTIONS: Readonly<Record<Runtime, string>> = {
  containerd: `containerd: ${RUNTIME_DEFAULTS.containerd.length} default capabilities; a CAP_-prefixed name in add/drop becomes CAP_CAP_… and is ignored (the default).`,
  'cri-o': `CRI-O: ${RUNTIME_DEFAULTS['cri-o'].length} default capabilities (not ${withoutCriO.join(', ')}).`,
  docker: `Docker Engine: ${RUNTIME_DEFAULTS.docker.length} default capabilities.`,
};
export const RUNTIME_VALUES: readonly (ConfigValue & { readonly value: Runtime })[] = RUNTIMES.map((value) => ({ value, description: RUNTIME_DESCRIPTIONS[value] }));

export const SEVERITY_VALUES: readonly (ConfigValue & { readonly value: SeverityOverride })[] = [
  { value: 'off', description: 'The rule reports nothing.' },
  { value: 'info', description: 'Reported as information.' },
  { value: 'warning', description: 'Reported as a warning.' },
  { value: 'error', description: 'Reported as an error.' },
  { value: 'hint', description: 'Reported as a hint (editors show it faintly; the CLI counts it as information).' },
];

const KUBERNETES_VERSION = '^v?1\\.\\d+$';
const IMAGE_PLATFORM = '^[a-z0-9]+/[a-z0-9_]+(/[a-z0-9]+)?$';

const IMAGE_LOOKUP_VALUES: readonly ConfigValue[] = [
  { value: 'registry', description: 'The image cache, the local Docker Engine, then the image\'s registry (image names and digests are sent).' },
  { value: 'local', description: 'The image cache and the local Docker Engine: no network.' },
  { value: 'off', description: 'No lookups: workspace Dockerfiles and the well-known base-image table only.' },
];

function enumSchema(values: readonly ConfigValue[], description: string): JsonSchema {
  return { type: 'string', markdownDescription: description, description, enum: values.map((v) => v.value), enumDescriptions: values.map((v) => v.description) };
}

/** Every top-level key, in the order completion offers them. */
export function configSettings(): readonly ConfigSetting[] {
  return [
    {
      key: 'profile',
      description: 'Pod Security Standards profile to judge against. Editor settings and `--profile` override it.',
      schema: enumSchema(PROFILE_VALUES, 'Pod Security Standards profile to judge against. Editor settings and `--profile` override it.'),
      values: PROFILE_VALUES,
      insertText: 'profile: ',
    },
    {
      key: 'runtime',
      description: 'Container runtime whose default capability set and add/drop arithmetic decide the effective capabilities.',
      schema: enumSchema(RUNTIME_VALUES, 'Container runtime whose default capability set and add/drop arithmetic decide the effective capabilities.'),
      values: RUNTIME_VALUES,
      insertText: 'runtime: ',
    },
    {
      key: 'kubernetesVersion',
      description: 'Kubernetes version (`"1.N"`, quoted: `1.30` unquoted is the number 1.3) whose Pod Security Standards apply. Absent means the newest.',
      schema: { type: 'string', pattern: KUBERNETES_VERSION, markdownDescription: 'Kubernetes version (`"1.N"`, quoted: `1.30` unquoted is the number 1.3) whose Pod Security Standards apply. Absent means the newest.', description: 'Kubernetes version ("1.N", quoted) whose Pod Security Standards apply.', examples: ['1.33'] },
      insertText: 'kubernetesVersion: "1.',
    },
    {
      key: 'rules',
      description: 'Per-rule severity: a map of rule id to `off`, `info`, `warning` or `error` (`hint` is accepted too).',
      schema: {
        type: 'object',
        markdownDescription: 'Per-rule severity: a map of rule id to `off`, `info`, `warning` or `error` (`hint` is accepted too).',
        description: 'Per-rule severity: a map of rule id to off, info, warning or error.',
        properties: Object.fromEntries(RULES.map((r) => [r.meta.id, { ...enumSchema(SEVERITY_VALUES, `${r.meta.title}. Default: ${r.meta.defaultSeverity}.`) }])),
        additionalProperties: false,
      },
      insertText: 'rules:\n  ',
    },
    {
      key: 'ignore',
      description: 'Globs of files not to analyse, relative to the config file (`**` any directories, `*` any name part).',
      schema: { type: 'array', markdownDescription: 'Globs of files not to analyse, relative to the config file (`**` any directories, `*` any name part).', description: 'Globs of files not to analyse, relative to the config file.', items: { type: 'string' } },
      insertText: 'ignore:\n  - ',
    },
    {
      key: 'images',
      description: 'Links image references to the Dockerfiles that build them (`<image>: <path to Dockerfile>`, relative to the config file), so containers get the image\'s USER.',
      schema: {
        type: 'object',
        markdownDescription: 'Links image references to the Dockerfiles that build them (`<image>: <path to Dockerfile>`, relative to the config file), so containers get the image\'s USER.',
        description: 'Links image references to the Dockerfiles that build them (image: path to Dockerfile).',
        additionalProperties: { type: 'string', description: 'Path of the Dockerfile that builds this image, relative to the config file.' },
      },
      insertText: 'images:\n  ',
    },
    {
      key: 'kustomize',
      description: 'How folders with a kustomization are built: `path` of the `kustomize` or `kubectl` binary (default: `kustomize`, else `kubectl`, on PATH) and `timeoutSeconds` for one build (default 30). Followed only in trusted workspaces.',
      schema: {
        type: 'object',
        markdownDescription: 'How folders with a kustomization are built: `path` of the `kustomize` or `kubectl` binary (default: `kustomize`, else `kubectl`, on PATH) and `timeoutSeconds` for one build (default 30). Followed only in trusted workspaces.',
        description: 'How folders with a kustomization are built: path of the kustomize or kubectl binary, timeoutSeconds for one build.',
        properties: {
          path: { type: 'string', minLength: 1, description: 'The kustomize or kubectl binary.' },
          timeoutSeconds: { type: 'number', exclusiveMinimum: 0, description: 'How long one build may take, in seconds (default 30).' },
        },
        additionalProperties: false,
      },
      insertText: 'kustomize:\n  path: ',
    },
    {
      key: 'helm',
      description: 'Helm charts: `valuesFiles` are merged, in order, over each chart\'s values.yaml before its templates are judged (paths relative to the config file), as `helm -f` does.',
      schema: {
        type: 'object',
        markdownDescription: 'Helm charts: `valuesFiles` are merged, in order, over each chart\'s values.yaml before its templates are judged (paths relative to the config file), as `helm -f` does.',
        description: 'Helm charts: values files merged over each chart\'s values.yaml.',
        properties: { valuesFiles: { type: 'array', items: { type: 'string', minLength: 1 }, description: 'Values files, relative to the config file; later files win.' } },
        additionalProperties: false,
      },
      insertText: 'helm:\n  valuesFiles:\n    - ',
    },
    {
      key: 'imageLookup',
      description: 'Where the facts of images no Dockerfile here builds are looked up (their config `User`, `/etc/passwd`, `/etc/group`). In the editor the stricter of this and `secctx.images.lookup` applies; the CLI\'s `--image-lookup` overrides it.',
      schema: enumSchema(IMAGE_LOOKUP_VALUES, 'Where the facts of images no Dockerfile here builds are looked up. In the editor the stricter of this and `secctx.images.lookup` applies; `--image-lookup` overrides it.'),
      values: IMAGE_LOOKUP_VALUES,
      insertText: 'imageLookup: ',
    },
    {
      key: 'imagePlatform',
      description: 'The platform (`os/arch[/variant]`) whose manifest is read from multi-platform images (default `linux/amd64`).',
      schema: { type: 'string', pattern: IMAGE_PLATFORM, markdownDescription: 'The platform (`os/arch[/variant]`) whose manifest is read from multi-platform images (default `linux/amd64`).', description: 'The platform (os/arch[/variant]) read from multi-platform images.', examples: ['linux/arm64'] },
      insertText: 'imagePlatform: linux/',
    },
    {
      key: 'imageLayerBudget',
      description: 'Compressed layer bytes read per image to find `/etc/passwd` and `/etc/group` for a named user (default 67108864, 64 MiB).',
      schema: { type: 'integer', minimum: 1, markdownDescription: 'Compressed layer bytes read per image to find `/etc/passwd` and `/etc/group` for a named user (default 67108864, 64 MiB).', description: 'Compressed layer bytes read per image for /etc/passwd and /etc/group.', examples: [67108864] },
      insertText: 'imageLayerBudget: ',
    },
  ];
}

export const CONFIG_SCHEMA_ID = 'https://github.com/secctx/secctx/blob/main/schemas/secctx-config.schema.json';

/** The JSON Schema of `.secctx.yaml` (draft-07). An empty file is valid: the defaults apply. */
export function configSchema(): JsonSchema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: CONFIG_SCHEMA_ID,
    title: 'secctx project configuration (.secctx.yaml)',
    description: 'Settings for secctx in this directory and below. Editor settings and CLI flags override them.',
    type: ['object', 'null'],
    properties: Object.fromEntries(configSettings().map((s) => [s.key, s.schema])),
    additionalProperties: false,
  };
}
