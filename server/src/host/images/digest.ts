/** Content digests (`sha256:<hex>`) computed and checked as go-digest's Verifier does. */
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { validateDigest } from '../../engine/images/normalize';

export class DigestMismatch extends Error {}
export class BudgetExceeded extends Error {}

export function hashFor(digest: string): Hash {
  const problem = validateDigest(digest);
  if (problem) throw new DigestMismatch(`cannot verify ${digest}: ${problem}`);
  return createHash(digest.slice(0, digest.indexOf(':')));
}

export function digestOf(bytes: Buffer, algorithm = 'sha256'): string {
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
}

/** Throws unless `bytes` hash to `expected` (and are `size` long when a size is declared). */
export function verifyBytes(what: string, bytes: Buffer, expected: string, size?: number): void {
  const actual = `${expected.slice(0, expected.indexOf(':'))}:${hashFor(expected).update(bytes).digest('hex')}`;
  if (actual !== expected) throw new DigestMismatch(`${what} does not match its digest: expected ${expected}, got ${actual}`);
  if (size !== undefined && bytes.length !== size) throw new DigestMismatch(`${what} is ${bytes.length} bytes, its descriptor says ${size}`);
}

/**
 * Passes bytes through while hashing and counting them; fails the stream past `budget` bytes or
 * past the declared size, and at the end unless the digest and the size match.
 */
export class VerifyingStream extends Transform {
  private readonly hash: Hash;
  bytes = 0;
  constructor(
    private readonly what: string,
    private readonly expected: string,
    private readonly size: number | undefined,
    private readonly budget: number,
  ) {
    super();
    this.hash = hashFor(expected);
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.budget) return done(new BudgetExceeded(`${this.what} passes the byte budget`));
    if (this.size !== undefined && this.bytes > this.size) return done(new DigestMismatch(`${this.what} is longer than its descriptor's ${this.size} bytes`));
    this.hash.update(chunk);
    done(null, chunk);
  }
  override _flush(done: TransformCallback): void {
    const actual = `${this.expected.slice(0, this.expected.indexOf(':'))}:${this.hash.digest('hex')}`;
    if (this.size !== undefined && this.bytes !== this.size) return done(new DigestMismatch(`${this.what} ended after ${this.bytes} of ${this.size} bytes (truncated)`));
    if (actual !== this.expected) return done(new DigestMismatch(`${this.what} does not match its digest: expected ${this.expected}, got ${actual}`));
    done();
  }
}
