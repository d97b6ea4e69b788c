/** `secctx-language-server --stdio` (or IPC when started by the VS Code client). */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

if (process.argv.includes('--version')) {
  console.log('secctx-language-server 0.1.0');
  process.exit(0);
}
startServer(createConnection(ProposedFeatures.all));
