/**
 * Reading a file that someone else put in the workspace: only a regular file (never a FIFO, socket or
 * device, even behind a symlink: `/dev/zero` would never end, a FIFO would block), and never more than
 * a size cap. The file is opened non-blocking and checked on the open descriptor, so it cannot be
 * swapped for a FIFO between the check and the read.
 */
import * as fs from 'node:fs';

/** `.secctx.yaml` is a few lines: a megabyte is already absurd. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

export type ReadResult = { readonly text: string } | { readonly problem: string };

export function readRegularFile(file: string, maxBytes: number): ReadResult {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (err) {
    return { problem: `cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` };
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) return { problem: 'not a regular file' };
    if (stat.size > maxBytes) return { problem: `larger than ${maxBytes} bytes` };
    // The size may grow while reading: read at most maxBytes + 1 and refuse if it got there.
    const buf = Buffer.alloc(Math.min(stat.size, maxBytes) + 1);
    let length = 0;
    for (;;) {
      const n = fs.readSync(fd, buf, length, buf.length - length, null);
      if (n === 0) break;
      length += n;
      if (length === buf.length) {
        if (length > maxBytes) return { problem: `larger than ${maxBytes} bytes` };
        break;
      }
    }
    return { text: buf.subarray(0, length).toString('utf8') };
  } catch (err) {
    return { problem: `cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` };
  } finally {
    fs.closeSync(fd);
  }
}

/** The real path of `file` (symlinks followed), or undefined when it cannot be resolved. */
export function realPath(file: string): string | undefined {
  try {
    return fs.realpathSync.native(file);
  } catch {
    return undefined;
  }
}
