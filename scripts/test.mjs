// Runs the Node test files under the given folders (default: unit, conformance, protocol) in one
// `node --test` process. Node 20's runner takes no globs, so the files are listed here. Builds the
// bundles first when the protocol tests are among them.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const dirs = process.argv.slice(2).length ? process.argv.slice(2) : ['test/unit', 'test/conformance', 'test/protocol'];
const files = [];
const walk = (dir) => {
  if (!existsSync(dir)) return;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (e.name.endsWith('.test.ts')) files.push(p);
  }
};
dirs.forEach(walk);
if (!files.length) {
  console.error(`no test files under ${dirs.join(', ')}`);
  process.exit(1);
}
// The protocol tests speak to the built dist/server.js: build it first, so they never run a stale
// or missing bundle (esbuild: a few seconds).
if (files.some((f) => f.startsWith(join('test', 'protocol')))) {
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
// Every test gets at most TEST_TIMEOUT_MS: a test that hangs (a lookup that never ends, say) fails with its name
// instead of holding the whole run until CI's own limit. No test comes near it; it is not a timing goal.
const TEST_TIMEOUT_MS = 300_000;
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', `--test-timeout=${TEST_TIMEOUT_MS}`, ...files.sort()], { stdio: 'inherit' });
process.exit(r.status ?? 1);
