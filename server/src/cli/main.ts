/**
 * `secctx <command> [options] <files|dirs...>`: the CLI adapter over the engine.
 * Options live in ./options.ts (one table), commands in ./commands.ts (one table).
 */
import { UsageError, type CliIo } from './io';
import { parseCliArgs, usage, type CliOptions } from './options';

export { VERSION } from './version';
export type { CliIo } from './io';
import { VERSION } from './version';

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let o: CliOptions | 'help' | 'version';
  try {
    o = parseCliArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.stderr(`secctx: ${err.message}\n\n${usage()}\n`);
    return 2;
  }
  if (o === 'help') { io.stdout(usage() + '\n'); return 0; }
  if (o === 'version') { io.stdout(`secctx ${VERSION}\n`); return 0; }
  return o.command.run(o, io);
}

if (require.main === module) {
  // `secctx check … | head`: the reader went away; end quietly, as cat and grep do.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
      throw err;
    });
  }
  runCli(process.argv.slice(2), { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s) }).then(
    (code) => { process.exitCode = code; },
    (err: unknown) => { process.stderr.write(`secctx: internal error: ${(err as Error).message}\n`); process.exitCode = 2; },
  );
}
