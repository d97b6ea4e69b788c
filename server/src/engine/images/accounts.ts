/**
 * /etc/passwd and /etc/group parsed as the runtimes parse them (moby/sys/user `ParsePasswdFilter`,
 * `ParseGroupFilter`, `parseLine`): lines trimmed, blank lines skipped, `#` comments skipped in
 * group files only, missing trailing fields left empty, numbers that do not parse read as 0
 * ("conversion errors ignored because of some misbehaving configuration files"). Pure.
 */
import type { GroupEntry, PasswdEntry } from './facts';

/** Go's `strconv.Atoi` with the error ignored: 0 unless the whole field is a decimal integer. */
function atoi(field: string | undefined): number {
  if (field === undefined || !/^[+-]?[0-9]+$/.test(field)) return 0;
  const n = Number(field);
  return Number.isSafeInteger(n) ? n : 0;
}

function lines(text: string): string[] {
  // bufio.Scanner's ScanLines drops a trailing \r; TrimSpace then drops the rest of the blanks.
  return text.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
}

export function parsePasswd(text: string): PasswdEntry[] {
  return lines(text).map((line) => {
    const parts = line.split(':');
    return { name: parts[0], uid: atoi(parts[2]), gid: atoi(parts[3]) };
  });
}

export function parseGroup(text: string): GroupEntry[] {
  return lines(text)
    .filter((line) => !line.startsWith('#'))
    .map((line) => {
      const parts = line.split(':');
      const list = parts[3];
      return { name: parts[0], gid: atoi(parts[2]), members: list ? list.split(',') : [] };
    });
}
