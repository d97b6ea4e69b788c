/**
 * The CLI run in process, as the tests run it: output captured, optionally from another working
 * directory, with environment variables set for the run only and a standard input. Every SARIF log
 * any test makes the CLI write is checked against the official 2.1.0 schema on the way.
 */
import { runCli } from '../../server/src/cli/main';
import { assertValidSarif } from '../unit/sarif-schema';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliRunOptions {
  /** The working directory for the run (restored after). */
  readonly cwd?: string;
  /** Variables set (or, when undefined, removed) for the run only. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Standard input; without it reading it fails as a closed descriptor does. */
  readonly stdin?: string;
}

function setEnv(vars: Readonly<Record<string, string | undefined>>): void {
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
}

/** Sets variables until the returned function puts the old values back (for a suite's before/after). */
export function withEnv(vars: Readonly<Record<string, string | undefined>>): () => void {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  setEnv(vars);
  return () => setEnv(saved);
}

export async function runCliCaptured(argv: readonly string[], options: CliRunOptions = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const cwd = process.cwd();
  const restore = withEnv(options.env ?? {});
  if (options.cwd) process.chdir(options.cwd);
  try {
    const stdin = options.stdin;
    const code = await runCli([...argv], {
      stdout: (s) => { stdout += s; },
      stderr: (s) => { stderr += s; },
      readStdin: () => { if (stdin === undefined) throw Object.assign(new Error('no stdin'), { code: 'EBADF' }); return stdin; },
    });
    if (/"version": "2\.1\.0"/.test(stdout) && stdout.includes('sarif')) assertValidSarif(stdout);
    return { code, stdout, stderr };
  } finally {
    process.chdir(cwd);
    restore();
  }
}
