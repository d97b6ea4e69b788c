/**
 * "secctx: Check workspace" and the `secctx` task type: the server analyses every file of the
 * workspace (secctx/checkWorkspace) and this task prints its problem lines, which the `$secctx`
 * problem matcher turns into Problems, for files that are not open too.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

export const TASK_TYPE = 'secctx';

interface CheckWorkspaceResult {
  readonly lines: readonly string[];
  readonly errors: number;
  readonly summary: string;
}

/** The last run's answer, for the command's result. */
let lastResult: CheckWorkspaceResult | undefined;

class CheckTerminal implements vscode.Pseudoterminal {
  private readonly written = new vscode.EventEmitter<string>();
  private readonly closed = new vscode.EventEmitter<number>();
  private readonly cancel = new vscode.CancellationTokenSource();
  readonly onDidWrite = this.written.event;
  readonly onDidClose = this.closed.event;
  constructor(private readonly client: () => LanguageClient | undefined) {}

  open(): void {
    void this.run();
  }

  close(): void {
    this.cancel.cancel();
  }

  private async run(): Promise<void> {
    const client = this.client();
    try {
      if (!client) throw new Error('the secctx language server is not running');
      const result = await client.sendRequest<CheckWorkspaceResult>('secctx/checkWorkspace', {}, this.cancel.token);
      lastResult = result;
      for (const line of result.lines) this.written.fire(`${line}\r\n`);
      this.written.fire(`${result.summary}\r\n`);
      this.closed.fire(result.errors > 0 ? 1 : 0);
    } catch (error) {
      this.written.fire(`secctx: ${error instanceof Error ? error.message : String(error)}\r\n`);
      this.closed.fire(2);
    }
  }
}

export function checkWorkspaceTask(client: () => LanguageClient | undefined, definition: vscode.TaskDefinition = { type: TASK_TYPE }): vscode.Task {
  const task = new vscode.Task(definition, vscode.TaskScope.Workspace, 'Check workspace', 'secctx', new vscode.CustomExecution(async () => new CheckTerminal(client)), '$secctx');
  task.presentationOptions = { reveal: vscode.TaskRevealKind.Silent };
  return task;
}

export function registerWorkspaceCheck(client: () => LanguageClient | undefined): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.tasks.registerTaskProvider(TASK_TYPE, {
      provideTasks: () => [checkWorkspaceTask(client)],
      resolveTask: (task) => (task.definition.type === TASK_TYPE ? checkWorkspaceTask(client, task.definition) : undefined),
    }),
    vscode.commands.registerCommand('secctx.checkWorkspace', async () => {
      const execution = await vscode.tasks.executeTask(checkWorkspaceTask(client));
      // Resolves once the task ended: its exit code, how many problem lines it printed and its summary.
      lastResult = undefined;
      return new Promise<{ exitCode: number | undefined; problems?: number; summary?: string }>((resolve) => {
        const done = vscode.tasks.onDidEndTaskProcess((e) => {
          if (e.execution === execution) { done.dispose(); resolve({ exitCode: e.exitCode, problems: lastResult?.lines.length, summary: lastResult?.summary }); }
        });
      });
    }),
  );
}
