/** `.secctx.yaml` `helm.valuesFiles`, resolved against the config file's folder. */
import * as path from 'node:path';
import type { LoadedConfig } from '../config';

export function configuredValuesFiles(config: LoadedConfig | undefined): string[] {
  const files = config?.config.helm?.valuesFiles ?? [];
  return files.map((f) => path.resolve(path.dirname(config?.file ?? '.'), f));
}
