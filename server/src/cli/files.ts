/** Collecting the files to analyse from command-line paths. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { detectFileKind } from '../engine/analyze';

const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', 'out', '.code-server']);

export interface InputFile {
  /** As given on the command line, or joined onto the directory given. */
  readonly display: string;
  readonly absolute: string;
  readonly explicit: boolean;
}

export function collectFiles(args: readonly string[], problems: string[]): InputFile[] {
  const out: InputFile[] = [];
  const walk = (dir: string, display: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      problems.push(`${display}: cannot read directory (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
      return;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      const abs = path.join(dir, e.name);
      const disp = path.join(display, e.name);
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) walk(abs, disp);
      } else if (e.isFile() && detectFileKind(e.name) !== 'unknown' && detectFileKind(e.name) !== 'config') {
        out.push({ display: disp, absolute: abs, explicit: false });
      }
    }
  };
  for (const arg of args) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(arg);
    } catch (err) {
      problems.push(`${arg}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
      continue;
    }
    if (stat.isDirectory()) walk(path.resolve(arg), arg);
    else out.push({ display: arg, absolute: path.resolve(arg), explicit: true });
  }
  return out;
}

/** A file as read: its text without a UTF-8 BOM, whether it had one, and its bytes (`--fix` checks them before writing). */
export interface ReadFile {
  readonly text: string;
  readonly bom: boolean;
  readonly bytes: Buffer;
}

/** Reads a file as text, refusing binary content (a NUL byte in the first 8 KiB). */
export function readText(file: InputFile): ReadFile | { problem: string } {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file.absolute);
  } catch (err) {
    return { problem: `cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` };
  }
  if (buf.subarray(0, 8192).includes(0)) return { problem: 'skipped: binary file' };
  let text = buf.toString('utf8');
  const bom = text.charCodeAt(0) === 0xfeff;
  if (bom) text = text.slice(1);
  return { text, bom, bytes: buf };
}
