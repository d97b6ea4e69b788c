/** `secctx/status`: the language status of a document (profile, runtime, config file in force), computed by engine/present/status. */
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import type { ProjectConfig } from '../engine/config';
import type { AnalysisOptions } from '../engine/options';
import { languageStatus, type LanguageStatus } from '../engine/present/status';

export const STATUS_REQUEST = 'secctx/status';
/** Sent when settings, config files or the workspace index change: clients ask for the status again. */
export const STATUS_CHANGED_NOTIFICATION = 'secctx/statusChanged';

export interface StatusResponse extends LanguageStatus {
  /** The config file in force, to open it. */
  readonly configUri?: string;
}

export function statusOf(input: { options: AnalysisOptions; explicit: Partial<AnalysisOptions>; folder: string; configFile?: string; config?: ProjectConfig; trusted: boolean }): StatusResponse {
  const shown = input.configFile ? (path.relative(input.folder, input.configFile).startsWith('..') ? input.configFile : path.relative(input.folder, input.configFile) || path.basename(input.configFile)) : undefined;
  const status = languageStatus({ options: input.options, explicit: input.explicit, config: input.config, configFile: shown, trusted: input.trusted });
  return { ...status, ...(status.configFile && input.configFile ? { configUri: URI.file(input.configFile).toString() } : {}) };
}
