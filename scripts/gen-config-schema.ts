/**
 * Writes schemas/secctx-config.schema.json from the engine's description of `.secctx.yaml`
 * (server/src/engine/configFile/schema.ts). Part of `npm run docs`; with --check, exits 1 when the
 * committed file differs (test/unit/config-schema.test.ts checks the same).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configSchema } from '../server/src/engine/configFile/schema';

export const CONFIG_SCHEMA_FILE = join(dirname(fileURLToPath(import.meta.url)), '..', 'schemas', 'secctx-config.schema.json');
const text = `${JSON.stringify(configSchema(), null, 2)}\n`;
if (process.argv.includes('--check')) {
  let committed = '';
  try { committed = readFileSync(CONFIG_SCHEMA_FILE, 'utf8'); } catch { /* missing */ }
  if (committed !== text) {
    console.error(`out of date: ${CONFIG_SCHEMA_FILE} (run npm run docs)`);
    process.exit(1);
  }
} else {
  writeFileSync(CONFIG_SCHEMA_FILE, text);
  console.log(`wrote ${CONFIG_SCHEMA_FILE}`);
}
