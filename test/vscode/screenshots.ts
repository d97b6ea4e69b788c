/**
 * Where the UI tests' screenshots go. A test run never modifies tracked files: screenshots land in
 * .test-results/screenshots/ (git-ignored) unless SECCTX_UPDATE_SCREENSHOTS=1 asks to refresh the
 * committed ones in docs/images/ (the README shows them).
 */
import * as path from 'node:path';

export const UPDATE_SCREENSHOTS_ENV = 'SECCTX_UPDATE_SCREENSHOTS';

export function screenshotsDir(repoRoot: string, env: NodeJS.ProcessEnv = process.env): string {
  return env[UPDATE_SCREENSHOTS_ENV] === '1' ? path.join(repoRoot, 'docs', 'images') : path.join(repoRoot, '.test-results', 'screenshots');
}
