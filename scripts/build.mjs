// Bundles the client, the language server and the CLI with esbuild.
// Any build error makes the process exit non-zero (no swallowed failures).
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  minify: !watch,
  logLevel: 'warning',
  legalComments: 'none',
};
const entries = [
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] },
  { entryPoints: ['server/src/lsp/main.ts'], outfile: 'dist/server.js', banner: { js: '#!/usr/bin/env node' } },
  // tinyglobby's fdir is ESM that calls createRequire(import.meta.url): give the CommonJS bundle a real URL.
  { entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node\nconst __importMetaUrl = require("node:url").pathToFileURL(__filename).href;' }, define: { 'import.meta.url': '__importMetaUrl' } },
];
try {
  if (watch) {
    for (const e of entries) await (await esbuild.context({ ...common, ...e })).watch();
  } else {
    await Promise.all(entries.map((e) => esbuild.build({ ...common, ...e })));
  }
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
