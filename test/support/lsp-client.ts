/**
 * A small LSP client for protocol tests and benchmarks: spawns a server over stdio, speaks JSON-RPC
 * as an editor does, and waits on the server's messages with timeouts (never on a clock).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type {
  ClientCapabilities,
  InitializeResult,
  PublishDiagnosticsParams,
  Registration,
  TextDocumentContentChangeEvent,
} from 'vscode-languageserver';

export interface LspServerCommand {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
}

export interface StartOptions {
  /** `rootUri` and the single workspace folder; null for none. */
  readonly rootUri?: string | null;
  /** Several workspace folders (a multi-root workspace); default: the one rootUri. */
  readonly workspaceFolders?: readonly { readonly uri: string; readonly name: string }[];
  readonly initializationOptions?: unknown;
  /** Merged over a capability set like VS Code's (publishDiagnostics with versions, hover, inlay hints...). */
  readonly capabilities?: ClientCapabilities;
  /** Answers `workspace/configuration` per requested section (and scopeUri, for resource settings; null: server defaults); absent: `NO_IMAGE_LOOKUP` for `secctx`. */
  readonly configuration?: (section: string | undefined, scopeUri?: string) => unknown;
  readonly timeoutMs?: number;
}

/** A publishDiagnostics notification and when it arrived (performance.now()). */
export interface ReceivedDiagnostics {
  readonly params: PublishDiagnosticsParams;
  readonly receivedAt: number;
}

interface DiagnosticsWaiter {
  readonly uri: string;
  readonly version?: number;
  readonly after: number;
  readonly matches?: (d: PublishDiagnosticsParams) => boolean;
  readonly resolve: (d: ReceivedDiagnostics) => void;
}

const DEFAULT_CAPABILITIES: ClientCapabilities = {
  workspace: { configuration: true, workspaceFolders: true, didChangeConfiguration: { dynamicRegistration: true } },
  textDocument: {
    synchronization: { dynamicRegistration: false, didSave: true },
    publishDiagnostics: { versionSupport: true, relatedInformation: true, codeDescriptionSupport: true, dataSupport: true },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    inlayHint: {},
    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } },
    completion: { completionItem: { snippetSupport: true } },
  },
};

/** Rejects after `ms` with a message naming what was awaited; the timer never keeps the process alive. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The `secctx` settings a client without its own `configuration` answers: image lookups off, so that
 * tests and benchmarks never reach a registry or a Docker socket unless they ask for it.
 */
export const NO_IMAGE_LOOKUP = { images: { lookup: 'off' } };

export class LspClient {
  private readonly latest = new Map<string, ReceivedDiagnostics>();
  /** Every publication with its sequence number (bounded). */
  private readonly history: { readonly seq: number; readonly diagnostics: ReceivedDiagnostics }[] = [];
  private waiters: DiagnosticsWaiter[] = [];
  private readonly exited: Promise<number | null>;
  private stderrText = '';
  private sequence = 0;
  initializeResult: InitializeResult | undefined;
  /** Capabilities the server registered dynamically (`client/registerCapability`), in order. */
  readonly registrations: Registration[] = [];
  private readonly registrationWaiters = new Map<string, (r: Registration) => void>();
  private readonly refreshWaiters: (() => void)[] = [];

  private constructor(private readonly child: ChildProcess, private readonly connection: MessageConnection, options: StartOptions) {
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (s: string) => { this.stderrText = (this.stderrText + s).slice(-20_000); });
    connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => this.received(params));
    connection.onRequest('workspace/configuration', (params: { items: { section?: string; scopeUri?: string }[] }) =>
      params.items.map((item) => (options.configuration ? options.configuration(item.section, item.scopeUri) ?? null : item.section === 'secctx' ? NO_IMAGE_LOOKUP : null)));
    connection.onRequest('client/registerCapability', (params: { registrations: Registration[] }) => {
      this.registrations.push(...params.registrations);
      for (const r of params.registrations) this.registrationWaiters.get(r.method)?.(r);
      return null;
    });
    connection.onRequest('client/unregisterCapability', () => null);
    connection.onRequest('window/workDoneProgress/create', () => null);
    // Refresh requests an editor answers at once (it then pulls diagnostics / asks for hints again).
    connection.onRequest('workspace/diagnostic/refresh', () => {
      for (const resolve of this.refreshWaiters.splice(0)) resolve();
      return null;
    });
    connection.onRequest('workspace/inlayHint/refresh', () => null);
    connection.onRequest('workspace/workspaceFolders', () => (options.rootUri ? [{ uri: options.rootUri, name: 'workspace' }] : null));
    connection.onNotification(() => undefined);
    connection.listen();
  }

  /** Spawns the server, sends initialize and initialized. */
  static async start(server: LspServerCommand, options: StartOptions = {}): Promise<LspClient> {
    const child = spawn(server.command, [...server.args], { cwd: server.cwd, env: server.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    if (!child.stdout || !child.stdin) throw new Error('server has no stdio');
    const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    const client = new LspClient(child, connection, options);
    const rootUri = options.rootUri ?? null;
    client.initializeResult = await client.request<InitializeResult>('initialize', {
      processId: process.pid,
      rootUri,
      workspaceFolders: options.workspaceFolders ?? (rootUri ? [{ uri: rootUri, name: 'workspace' }] : null),
      capabilities: { ...DEFAULT_CAPABILITIES, ...options.capabilities },
      initializationOptions: options.initializationOptions,
    }, options.timeoutMs ?? 20_000);
    await client.notify('initialized', {});
    return client;
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error('server did not start');
    return this.child.pid;
  }

  /** True until the server process exits. */
  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The tail of what the server wrote to stderr (for failure messages). */
  get stderr(): string {
    return this.stderrText;
  }

  /** Listens to a server notification other than diagnostics (custom `secctx/…` ones). */
  onNotification<P>(method: string, handler: (params: P) => void): void {
    this.connection.onNotification(method, handler);
  }

  notify(method: string, params: unknown): Promise<void> {
    return this.connection.sendNotification(method, params);
  }

  request<R>(method: string, params: unknown, timeoutMs = 10_000): Promise<R> {
    return withTimeout(this.connection.sendRequest<R>(method, params), timeoutMs, `${method} response`);
  }

  open(uri: string, text: string, version = 1, languageId = 'yaml'): Promise<void> {
    return this.notify('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
  }

  change(uri: string, version: number, changes: readonly TextDocumentContentChangeEvent[]): Promise<void> {
    return this.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
  }

  close(uri: string): Promise<void> {
    return this.notify('textDocument/didClose', { textDocument: { uri } });
  }

  /** Resolves with the server's registration of `method`, already received or the next one. */
  waitForRegistration(method: string, timeoutMs = 10_000): Promise<Registration> {
    const seen = this.registrations.find((r) => r.method === method);
    if (seen) return Promise.resolve(seen);
    return withTimeout(new Promise<Registration>((resolve) => this.registrationWaiters.set(method, resolve)), timeoutMs, `registration of ${method}`);
  }

  /** Resolves at the server's next `workspace/diagnostic/refresh` request (a pulling client pulls again then). */
  waitForDiagnosticRefresh(timeoutMs = 10_000): Promise<void> {
    return withTimeout(new Promise<void>((resolve) => this.refreshWaiters.push(resolve)), timeoutMs, 'workspace/diagnostic/refresh');
  }

  /** The last diagnostics published for a URI, if any. */
  diagnostics(uri: string): ReceivedDiagnostics | undefined {
    return this.latest.get(uri);
  }

  /** A mark to pass to waitForDiagnostics: only diagnostics published after it count. */
  mark(): number {
    return this.sequence;
  }

  /**
   * Resolves with diagnostics for `uri`: with a version, the first publication of that version (already
   * received ones count); without, the first publication after `after` (default: now).
   */
  waitForDiagnostics(uri: string, version?: number, timeoutMs = 10_000, after = this.sequence): Promise<ReceivedDiagnostics> {
    const seen = this.history.find(({ seq, diagnostics: d }) => d.params.uri === uri && (version === undefined ? seq >= after : d.params.version === version));
    if (seen) return Promise.resolve(seen.diagnostics);
    const waited = new Promise<ReceivedDiagnostics>((resolve) => this.waiters.push({ uri, version, after, resolve }));
    return withTimeout(waited, timeoutMs, `diagnostics for ${uri}${version === undefined ? '' : ` version ${version}`}`);
  }

  /** Every publication for `uri` from the mark `after` on, in order (as far as the bounded history reaches). */
  publishedSince(uri: string, after: number): ReceivedDiagnostics[] {
    return this.history.filter(({ seq, diagnostics: d }) => seq >= after && d.params.uri === uri).map(({ diagnostics }) => diagnostics);
  }

  /**
   * Resolves with the first publication for `uri` after `after` (already received ones count) that
   * `matches` (a background result arriving after the first answer, say).
   */
  waitForDiagnosticsMatching(uri: string, matches: (d: PublishDiagnosticsParams) => boolean, timeoutMs = 10_000, after = this.sequence): Promise<ReceivedDiagnostics> {
    const seen = this.history.find(({ seq, diagnostics: d }) => d.params.uri === uri && seq >= after && matches(d.params));
    if (seen) return Promise.resolve(seen.diagnostics);
    const waited = new Promise<ReceivedDiagnostics>((resolve) => this.waiters.push({ uri, after, matches, resolve }));
    return withTimeout(waited, timeoutMs, `matching diagnostics for ${uri}`);
  }

  /** Sends shutdown and exit; kills the process if it does not exit in time. Resolves with the exit code. */
  async shutdown(timeoutMs = 5_000): Promise<number | null> {
    if (!this.alive) return this.exited;
    try {
      await this.request('shutdown', null, timeoutMs);
      await this.notify('exit', null);
      return await withTimeout(this.exited, timeoutMs, 'server exit');
    } catch {
      this.child.kill('SIGKILL');
      return this.exited;
    } finally {
      this.connection.dispose();
    }
  }

  private received(params: PublishDiagnosticsParams): void {
    const d: ReceivedDiagnostics = { params, receivedAt: performance.now() };
    const index = this.sequence++;
    this.latest.set(params.uri, d);
    this.history.push({ seq: index, diagnostics: d });
    if (this.history.length > 20_000) this.history.splice(0, 10_000);
    this.waiters = this.waiters.filter((w) => {
      const match = w.uri === params.uri && (w.matches ? index >= w.after && w.matches(params) : w.version === undefined ? index >= w.after : params.version === w.version);
      if (match) w.resolve(d);
      return !match;
    });
  }
}
