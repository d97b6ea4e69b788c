/**
 * What the extension-host tests share: opening fixtures of the test workspace, waiting for
 * diagnostics on events (with a timeout), and asking providers through VS Code's own commands.
 */
import * as vscode from 'vscode';

export const EXTENSION_ID = 'secctx.secctx';
/** A Pod with `capabilities: {add: [NET_ADMIN]}` in its pod-level securityContext and containers `app` and `sidecar`. */
export const POD_LEVEL_CAPS = 'pod-level-caps.yaml';
/** The same file after "Move capabilities to all containers". */
export const POD_LEVEL_CAPS_MOVED = 'expected/pod-level-caps.moved-to-containers.yaml';
/** A container whose `capabilities.add` is an empty flow list, for completion. */
export const COMPLETION_CAPS = 'completion-capabilities.yaml';

/** Long enough for a cold language server on a 2-core machine, short enough to fail a missing feature quickly. */
export const FEATURE_TIMEOUT_MS = 15_000;

export function fixtureUri(relativePath: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder is open: the runner opens a copy of test/vscode/fixtures');
  return vscode.Uri.joinPath(folder.uri, ...relativePath.split('/'));
}

export async function readFixture(relativePath: string): Promise<string> {
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(fixtureUri(relativePath)));
}

export async function openFixture(relativePath: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(fixtureUri(relativePath));
  return vscode.window.showTextDocument(document);
}

/** Reverts every edited document (untitled ones too, so no "Save changes?" dialog) and closes all editors, so no test sees another's edits. */
export async function revertAndCloseAll(): Promise<void> {
  for (const document of vscode.workspace.textDocuments.filter((d) => d.isDirty)) {
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** Position of `needle` in the document, `offset` characters into it (throws when absent: a fixture changed). */
export function positionOf(document: vscode.TextDocument, needle: string, offset = 0): vscode.Position {
  const index = document.getText().indexOf(needle);
  if (index < 0) throw new Error(`fixture ${document.uri.path} has no ${JSON.stringify(needle)}`);
  return document.positionAt(index + offset);
}

/** `Diagnostic.code` as a plain value: secctx sends `{value, target}` with a link to the rule's docs. */
export function diagnosticCode(diagnostic: vscode.Diagnostic): string | number | undefined {
  const code = diagnostic.code;
  return typeof code === 'object' ? code.value : code;
}

export function hasCode(id: string): (diagnostics: readonly vscode.Diagnostic[]) => boolean {
  return (diagnostics) => diagnostics.some((d) => diagnosticCode(d) === id);
}

/**
 * Resolves with the document's diagnostics once `accept` holds for them, checked now and on
 * every `onDidChangeDiagnostics` for that document; rejects after `timeoutMs` with what was there.
 */
export function waitForDiagnostics(
  uri: vscode.Uri,
  accept: (diagnostics: readonly vscode.Diagnostic[]) => boolean,
  expectation: string,
  timeoutMs = FEATURE_TIMEOUT_MS,
): Promise<readonly vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const diagnostics = vscode.languages.getDiagnostics(uri);
      if (!accept(diagnostics)) return false;
      finish();
      resolve(diagnostics);
      return true;
    };
    const subscription = vscode.languages.onDidChangeDiagnostics((event) => {
      if (event.uris.some((changed) => changed.toString() === uri.toString())) check();
    });
    const timer = setTimeout(() => {
      finish();
      const present = vscode.languages.getDiagnostics(uri).map((d) => `${String(diagnosticCode(d))} (${d.source ?? 'no source'}) line ${d.range.start.line + 1}`);
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${expectation} in ${uri.path}; diagnostics there: ${JSON.stringify(present)}`));
    }, timeoutMs);
    function finish(): void {
      clearTimeout(timer);
      subscription.dispose();
    }
    check();
  });
}

/**
 * Asks a provider through VS Code until `ready` holds or `timeoutMs` passes, and returns the last
 * answer either way, so the test's assertion shows what the provider really said. Bounded polling:
 * providers register only once the language client has started, and have no event to wait on.
 */
export async function askUntil<T>(ask: () => Thenable<T>, ready: (answer: T) => boolean, timeoutMs = FEATURE_TIMEOUT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await ask();
    if (ready(answer) || Date.now() >= deadline) return answer;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Waits (bounded polling) for the secctx extension to be activated by opening a manifest. */
export async function activeSecctx(timeoutMs = FEATURE_TIMEOUT_MS): Promise<vscode.Extension<unknown>> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  if (!extension) {
    const installed = vscode.extensions.all.filter((e) => !e.id.startsWith('vscode.')).map((e) => e.id);
    throw new Error(`extension ${EXTENSION_ID} is not installed; non-builtin extensions: ${JSON.stringify(installed)}`);
  }
  const active = await askUntil(async () => extension.isActive, (isActive) => isActive, timeoutMs);
  if (!active) throw new Error(`extension ${EXTENSION_ID} did not activate within ${timeoutMs} ms of opening a YAML manifest`);
  return extension;
}

export function hoverText(hovers: readonly vscode.Hover[]): string {
  return hovers
    .flatMap((hover) => hover.contents)
    .map((content) => (typeof content === 'string' ? content : content.value))
    .join('\n');
}

export function inlayHintText(hint: vscode.InlayHint): string {
  return typeof hint.label === 'string' ? hint.label : hint.label.map((part) => part.value).join('');
}

export function completionLabel(item: vscode.CompletionItem): string {
  return typeof item.label === 'string' ? item.label : item.label.label;
}
