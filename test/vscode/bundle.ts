/**
 * Bundles the extension-host suite with esbuild: mocha, the test files and the engine code they
 * import go into one CommonJS file; `vscode` stays external (the extension host provides it).
 */
import { readdir } from 'node:fs/promises';
import * as path from 'node:path';
import * as esbuild from 'esbuild';

export const SUITE_DIR = path.join(__dirname, 'suite');

/** Resolves `secctx-suite-files` (see suite/suite-files.d.ts) to a module requiring every suite/*.test.ts. */
const suiteFilesPlugin: esbuild.Plugin = {
  name: 'secctx-suite-files',
  setup(build) {
    build.onResolve({ filter: /^secctx-suite-files$/ }, () => ({ path: 'secctx-suite-files', namespace: 'secctx-suite-files' }));
    build.onLoad({ filter: /.*/, namespace: 'secctx-suite-files' }, async () => {
      const files = (await readdir(SUITE_DIR)).filter((name) => name.endsWith('.test.ts')).sort();
      if (files.length === 0) throw new Error(`no *.test.ts files in ${SUITE_DIR}`);
      const requires = files.map((name) => `  require(${JSON.stringify(`./${name}`)});`).join('\n');
      return { contents: `export function loadSuiteFiles() {\n${requires}\n}\n`, resolveDir: SUITE_DIR, loader: 'js' };
    });
  },
};

/** Bundles `entry` (suite/electron.ts or the runner extension's main) into `outfile`; throws on any error. */
export async function bundleSuite(entry: string, outfile: string): Promise<void> {
  await esbuild.build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['vscode'],
    logLevel: 'error',
    // mocha's file unloader (never called here) reads import.meta.url.
    logOverride: { 'empty-import-meta': 'silent' },
    plugins: [suiteFilesPlugin],
  });
}
