/** `secctx-language-server --stdio` (or IPC when started by the VS Code client). */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { lifecycleGuard } from './lifecycle';
import { startServer } from './server';
import { serverCommand } from './usage';

const command = serverCommand(process.argv.slice(2));
if (command.kind === 'print') {
  (command.stream === 'stdout' ? process.stdout : process.stderr).write(command.text, () => process.exit(command.exitCode));
} else {
  const guard = lifecycleGuard();
  const connection = createConnection(ProposedFeatures.all, guard.options);
  guard.install(connection);
  startServer(connection);
}
