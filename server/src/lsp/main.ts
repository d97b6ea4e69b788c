/** `secctx-language-server --stdio` (or IPC when started by the VS Code client). */
import { createConnection, Message, ProposedFeatures, StreamMessageReader, StreamMessageWriter, type ConnectionOptions } from 'vscode-languageserver/node';
import { lifecycleGuard } from './lifecycle';
import { startServer } from './server';
import { consoleToClient, JSON_ENCODER } from './transport';
import { serverCommand } from './usage';

const command = serverCommand(process.argv.slice(2));
if (command.kind === 'print') {
  (command.stream === 'stdout' ? process.stdout : process.stderr).write(command.text, () => process.exit(command.exitCode));
} else if (process.argv.slice(2).includes('--stdio')) {
  // On stdio, messages are written through secctx's encoder (transport.ts); the rest is what the library does when it
  // opens stdio itself: console output to the client's log, and an exit when stdin ends (0 after a shutdown request).
  const guard = lifecycleGuard();
  let shutdown = false;
  const options: ConnectionOptions = {
    ...guard.options,
    messageStrategy: {
      handleMessage(message, next) {
        if (Message.isRequest(message) && message.method === 'shutdown') shutdown = true;
        guard.options.messageStrategy ? guard.options.messageStrategy.handleMessage(message, next) : next(message);
      },
    },
  };
  const connection = createConnection(ProposedFeatures.all, new StreamMessageReader(process.stdin), new StreamMessageWriter(process.stdout, { charset: 'utf-8', contentTypeEncoder: JSON_ENCODER }), options);
  for (const event of ['end', 'close']) process.stdin.on(event, () => process.exit(shutdown ? 0 : 1));
  consoleToClient(connection);
  guard.install(connection);
  startServer(connection);
} else {
  const guard = lifecycleGuard();
  const connection = createConnection(ProposedFeatures.all, guard.options);
  guard.install(connection);
  startServer(connection);
}
