/**
 * Where the shared, read-only test material lives (the Pod Security Admission fixtures and the
 * real-world corpus): `$SECCTX_SHARED`, else `../shared` beside the repository, else `/work/shared`.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';

const candidates = [process.env.SECCTX_SHARED, path.resolve(__dirname, '../../../shared'), '/work/shared'].filter((p): p is string => !!p);

export const SHARED_DIR: string = candidates.find((p) => existsSync(path.join(p, 'conformance'))) ?? candidates[0];

export function sharedPath(...parts: string[]): string {
  return path.join(SHARED_DIR, ...parts);
}
