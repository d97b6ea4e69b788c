/** Where the CLI writes: injected so tests run it in-process and compare whole outputs. */
export interface CliIo {
  stdout(s: string): void;
  stderr(s: string): void;
  /** Standard input, for `-` (default: fd 0). */
  readStdin?(): string;
}

/** A mistake in the command line: printed with the usage, exit 2. */
export class UsageError extends Error {}
