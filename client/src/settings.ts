/**
 * The `secctx.*` settings the user set, for the server's workspace/configuration requests.
 * VS Code's getConfiguration() fills in package.json defaults, which the server would take as
 * explicit choices overriding `.secctx.yaml`; so only values set somewhere (user, workspace, folder,
 * language) are sent, and the server's defaults (the same as package.json's) apply to the rest.
 */
import * as vscode from 'vscode';

export function explicitSettings(section: string, scope: vscode.Uri | undefined, keys: readonly string[]): Record<string, unknown> {
  const config = vscode.workspace.getConfiguration(section, scope);
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const i = config.inspect(key);
    const value = i?.workspaceFolderLanguageValue ?? i?.workspaceLanguageValue ?? i?.globalLanguageValue ?? i?.workspaceFolderValue ?? i?.workspaceValue ?? i?.globalValue;
    if (value === undefined) continue;
    const parts = key.split('.');
    let target = out;
    for (const part of parts.slice(0, -1)) target = (target[part] ??= {}) as Record<string, unknown>;
    target[parts[parts.length - 1]] = value;
  }
  return out;
}

/** The keys under `section.` that package.json contributes. */
export function contributedKeys(packageJSON: unknown, section: string): string[] {
  const properties = (packageJSON as { contributes?: { configuration?: { properties?: Record<string, unknown> } } }).contributes?.configuration?.properties ?? {};
  return Object.keys(properties).filter((k) => k.startsWith(`${section}.`)).map((k) => k.slice(section.length + 1));
}
