// `npm run package`: secctx-<version>.vsix for the VS Code Marketplace and Open VSX (the same file:
// a universal .vsix whose metadata passes Open VSX's ExtensionValidator, see test/unit/packaging.test.ts).
//
// package.json's `files` is the npm package's allowlist (CLI + server), and vsce refuses a `files`
// property next to a .vscodeignore, so the .vsix is packed from a staging folder holding exactly
// what the extension runs: the client and server bundles (not the CLI), grammars, the config
// schema, the rule docs (docs/rules/*.md: *secctx: Open rule documentation* shows them offline, in
// VS Code's Markdown preview), README (its images rewritten to URLs), CHANGELOG, LICENSE, icon and a package.json
// without the npm-only fields. Any failure exits non-zero.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const staging = join(root, 'out', 'vsix', String(process.pid));
const VSIX_FILES = [
  'dist/client.js',
  'dist/server.js',
  'syntaxes/secctx.injection.tmLanguage.json',
  'syntaxes/secctx.yaml.injection.tmLanguage.json',
  'schemas/secctx-config.schema.json',
  'README.md',
  'CHANGELOG.md',
  'LICENSE',
  'icon.png',
  ...readdirSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'rules')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/rules/${f}`),
];
/** Where the README's relative links and images point once it is shown by a gallery. */
const BASE_CONTENT_URL = 'https://github.com/secctx/secctx/blob/HEAD/';
const BASE_IMAGES_URL = 'https://github.com/secctx/secctx/raw/HEAD/';

const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const { files: _files, bin: _bin, scripts: _scripts, devDependencies: _dev, dependencies: _deps, ...extension } = manifest;

rmSync(staging, { recursive: true, force: true });
for (const file of VSIX_FILES) {
  mkdirSync(dirname(join(staging, file)), { recursive: true });
  cpSync(join(root, file), join(staging, file));
}
writeFileSync(join(staging, 'package.json'), `${JSON.stringify(extension, null, 2)}\n`);
// Nothing to leave out: the staging folder is the allowlist.
writeFileSync(join(staging, '.vscodeignore'), '.vscodeignore\n');

const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
const outFlag = process.argv.indexOf('--out');
const out = outFlag > 0 ? process.argv[outFlag + 1] : join(root, `secctx-${manifest.version}.vsix`);
const run = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--baseContentUrl', BASE_CONTENT_URL, '--baseImagesUrl', BASE_IMAGES_URL, '--out', out], { cwd: staging, stdio: 'inherit' });
rmSync(staging, { recursive: true, force: true });
if (run.status !== 0) {
  console.error(`package-vsix: vsce package failed (exit ${run.status ?? run.signal})`);
  process.exit(1);
}
