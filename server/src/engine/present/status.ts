/**
 * The language status of a document: which profile, runtime and Kubernetes version judge it, and
 * from where (an editor setting, the `.secctx.yaml` in force, or the default). Pure: the server
 * gives the options and the config file it found, the client only renders `text` and `detail`.
 */
import type { ProjectConfig } from '../config';
import type { AnalysisOptions } from '../options';

export type StatusSource = 'setting' | 'config' | 'default';

export interface LanguageStatus {
  /** Short: `restricted · containerd`. */
  readonly text: string;
  /** One line: where each value comes from and the config file in force. */
  readonly detail: string;
  readonly profile: { readonly value: string; readonly source: StatusSource };
  readonly runtime: { readonly value: string; readonly source: StatusSource };
  readonly kubernetesVersion: { readonly value?: string; readonly source: StatusSource };
  /** The `.secctx.yaml` in force (absent: none found, or not applied in an untrusted workspace). */
  readonly configFile?: string;
}

export interface StatusInput {
  readonly options: AnalysisOptions;
  readonly explicit: Partial<AnalysisOptions>;
  readonly config?: ProjectConfig;
  /** The config file found for the document, as the client should show it (workspace-relative). */
  readonly configFile?: string;
  /** False: the workspace is untrusted, so a found config file is not applied. */
  readonly trusted: boolean;
}

function sourceOf(key: 'profile' | 'runtime' | 'kubernetesVersion', input: StatusInput): StatusSource {
  if (input.explicit[key] !== undefined && input.explicit[key] !== '') return 'setting';
  if (input.trusted && input.config?.[key] !== undefined) return 'config';
  return 'default';
}

const FROM: Readonly<Record<StatusSource, string>> = { setting: 'from settings', config: 'from .secctx.yaml', default: 'default' };

export function languageStatus(input: StatusInput): LanguageStatus {
  const profile = { value: input.options.profile, source: sourceOf('profile', input) };
  const runtime = { value: input.options.runtime, source: sourceOf('runtime', input) };
  const kubernetesVersion = { value: input.options.kubernetesVersion, source: sourceOf('kubernetesVersion', input) };
  const version = kubernetesVersion.value ? `Kubernetes ${kubernetesVersion.value} (${FROM[kubernetesVersion.source]})` : 'newest Kubernetes';
  const config = input.configFile
    ? input.trusted ? `config ${input.configFile}` : `${input.configFile} not applied (untrusted workspace)`
    : 'no .secctx.yaml';
  return {
    text: `${profile.value} · ${runtime.value}`,
    detail: `${profile.value} profile (${FROM[profile.source]}), ${runtime.value} (${FROM[runtime.source]}), ${version}; ${config}`,
    profile,
    runtime,
    kubernetesVersion,
    ...(input.configFile && input.trusted ? { configFile: input.configFile } : {}),
  };
}
