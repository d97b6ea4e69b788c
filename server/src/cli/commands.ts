/**
 * The command table: each command's name, summary, output formats and runner. Adding a command is
 * one entry here and one file with its `run`.
 */
import type { CliIo } from './io';
import type { CliOptions } from './options';
import { runCheck } from './check';
import { runExplain } from './explain';
import { runImages } from './imagesCommand';

/** Every output format some command offers (the order is the usage's). */
export const FORMATS = ['text', 'json', 'sarif', 'junit', 'checkstyle', 'codeclimate', 'github', 'html', 'markdown'] as const;
/** The formats of findings (check); explain writes the report formats. */
export const FINDING_FORMATS = ['text', 'json', 'sarif', 'junit', 'checkstyle', 'codeclimate', 'github'] as const satisfies readonly Format[];
export type FindingFormat = (typeof FINDING_FORMATS)[number];
export type Format = (typeof FORMATS)[number];

export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly formats: readonly Format[];
  /** What the positional arguments are, for messages (default files or directories). */
  readonly operands?: string;
  /** Runs the command; the result is the exit status. */
  run(o: CliOptions, io: CliIo): Promise<number>;
}

export const COMMANDS: readonly Command[] = [
  { name: 'check', summary: 'report problems (exit 1 at or above --severity-threshold)', formats: FINDING_FORMATS, run: runCheck },
  { name: 'explain', summary: "show each container's effective security context", formats: ['text', 'json', 'html', 'markdown'], run: runExplain },
  { name: 'images', summary: 'look up image references: digest, platform, user, uid/gid, source', formats: ['text', 'json'], operands: 'image references', run: runImages },
];

export const commandNames = (): string[] => COMMANDS.map((c) => c.name);
