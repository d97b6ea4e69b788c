/**
 * Settings per workspace folder: `secctx.*` settings have `resource` scope, so in a multi-root
 * workspace each folder may set its own profile, runtime, rules… The server asks
 * `workspace/configuration` with a document's URI as `scopeUri` and keeps the answer for the folder
 * holding it. Until the answer arrives the window-level settings apply; when it differs from what was
 * used, `changed` reanalyses. Nothing on the typing path waits for the client.
 */
import * as path from 'node:path';
import { readSettings, type EditorSettings } from './settings';

export class FolderSettings {
  private readonly byFolder = new Map<string, EditorSettings>();
  /** A URI in each folder asked about, to ask again when the settings change. */
  private readonly scopes = new Map<string, string>();
  private readonly asking = new Set<string>();
  private roots: readonly string[] = [];

  constructor(
    private readonly ask: (scopeUri: string) => Promise<unknown>,
    private readonly changed: () => void,
  ) {}

  setRoots(roots: readonly string[]): void {
    this.roots = [...roots].sort((a, b) => b.length - a.length);
  }

  /** The workspace folder holding `file` (the innermost), or the file itself outside every folder. */
  folderOf(file: string): string {
    return this.roots.find((root) => { const r = path.relative(root, file); return !r.startsWith('..') && !path.isAbsolute(r); }) ?? file;
  }

  /** The settings in force for this document: its folder's, or `fallback` while they are asked for. */
  get(file: string, uri: string, fallback: EditorSettings): EditorSettings {
    const folder = this.folderOf(file);
    const known = this.byFolder.get(folder);
    if (known) return known;
    if (!this.scopes.has(folder)) this.scopes.set(folder, uri);
    this.fetch(folder, fallback);
    return fallback;
  }

  /** Settings changed: ask again for every folder asked about before. */
  refresh(fallback: EditorSettings): void {
    for (const folder of this.scopes.keys()) this.fetch(folder, fallback);
  }

  private fetch(folder: string, fallback: EditorSettings): void {
    const scopeUri = this.scopes.get(folder);
    if (scopeUri === undefined || this.asking.has(folder)) return;
    this.asking.add(folder);
    this.ask(scopeUri).then(
      (raw) => {
        this.asking.delete(folder);
        const before = this.byFolder.get(folder) ?? fallback;
        const next = readSettings(raw);
        this.byFolder.set(folder, next);
        if (JSON.stringify(before) !== JSON.stringify(next)) this.changed();
      },
      () => this.asking.delete(folder),
    );
  }
}
