/**
 * The command line of `secctx-language-server`: a transport flag starts the server; `--help` and
 * `--version` print and exit; no transport prints the usage instead of vscode-languageserver's
 * "Connection input stream is not set" stack trace.
 */
export const SERVER_VERSION = '0.1.0';

export const SERVER_USAGE = `Usage: secctx-language-server --stdio | --node-ipc | --socket=<port> | --pipe=<name>

The secctx language server (Language Server Protocol): effective container security context for
Kubernetes manifests, Compose files, Dockerfiles and docker run lines. Start it from your editor's
LSP client with one of the transports above (most editors: --stdio).

Options:
  --stdio               speak LSP over stdin/stdout
  --node-ipc            speak LSP over Node IPC (the VS Code extension does)
  --socket=<port>       connect to a TCP socket on 127.0.0.1:<port>
  --pipe=<name>         connect to a named pipe / Unix socket
  --clientProcessId=<pid>  exit when that process exits
  --version             print the version and exit
  --help                print this help and exit
`;

export type ServerCommand = { readonly kind: 'serve' } | { readonly kind: 'print'; readonly text: string; readonly exitCode: number; readonly stream: 'stdout' | 'stderr' };

const TRANSPORT = /^--(stdio|node-ipc|socket=.+|pipe=.+)$/;

/** What to do for these arguments (process.argv without node and the script). */
export function serverCommand(args: readonly string[]): ServerCommand {
  if (args.includes('--help') || args.includes('-h')) return { kind: 'print', text: SERVER_USAGE, exitCode: 0, stream: 'stdout' };
  if (args.includes('--version') || args.includes('-v')) return { kind: 'print', text: `secctx-language-server ${SERVER_VERSION}\n`, exitCode: 0, stream: 'stdout' };
  if (args.some((a) => TRANSPORT.test(a))) return { kind: 'serve' };
  const unknown = args.filter((a) => !/^--clientProcessId=\d+$/.test(a));
  const reason = unknown.length ? `unknown argument ${unknown[0]}` : 'no transport given';
  return { kind: 'print', text: `secctx-language-server: ${reason}.\n\n${SERVER_USAGE}`, exitCode: 2, stream: 'stderr' };
}
