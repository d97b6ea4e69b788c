/**
 * code-server (a real VS Code 1.99 whose workbench runs in a browser) as the editor for the tests
 * where VS Code itself cannot be downloaded. Installed by scripts/install-code-server.sh into
 * .code-server/; each run gets its own temporary user-data, extensions and workspace directories.
 */
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { StepError, captureStep, spawnService } from './processes';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const FIXTURES_DIR = path.join(__dirname, 'fixtures');
export const CODE_SERVER_BIN = path.join(REPO_ROOT, '.code-server', 'node_modules', '.bin', 'code-server');

/** Settings for a quiet, deterministic window (no welcome page, trust prompt, update checks or chat). */
const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.colorTheme': 'Default Light Modern',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'chat.commandCenter.enabled': false,
  'git.enabled': false,
  'files.autoSave': 'off',
  'editor.minimap.enabled': false,
  'editor.cursorBlinking': 'solid', // screenshots stay byte-identical from run to run
  'editor.inlayHints.enabled': 'on',
  'secctx.images.lookup': 'off', // tests talk to loopback only: no registry, no Docker socket
};

export interface Session {
  readonly dir: string;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  readonly configDir: string;
  /** A copy of test/vscode/fixtures, plus ui/pod.yaml, the UI tests' own copy of pod-level-caps.yaml to edit and save. */
  readonly workspaceDir: string;
  readonly resultsFile: string;
}

export async function createSession(): Promise<Session> {
  const dir = await mkdtemp(path.join(tmpdir(), 'secctx-vscode-'));
  const session: Session = {
    dir,
    userDataDir: path.join(dir, 'user-data'),
    extensionsDir: path.join(dir, 'extensions'),
    configDir: path.join(dir, 'config'),
    workspaceDir: path.join(dir, 'workspace'),
    resultsFile: path.join(dir, 'results.json'),
  };
  await cp(FIXTURES_DIR, session.workspaceDir, { recursive: true });
  await mkdir(path.join(session.workspaceDir, 'ui'));
  await cp(path.join(FIXTURES_DIR, 'pod-level-caps.yaml'), path.join(session.workspaceDir, 'ui', 'pod.yaml'));
  await mkdir(path.join(session.userDataDir, 'User'), { recursive: true });
  await writeFile(path.join(session.userDataDir, 'User', 'settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
  await mkdir(session.extensionsDir);
  await mkdir(session.configDir);
  return session;
}

export async function removeSession(session: Session): Promise<void> {
  await rm(session.dir, { recursive: true, force: true });
}

export function codeServerVersion(): string {
  const manifest = path.join(REPO_ROOT, '.code-server', 'node_modules', 'code-server', 'package.json');
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

export function assertCodeServerInstalled(): void {
  if (!existsSync(CODE_SERVER_BIN)) {
    throw new StepError(`code-server is not installed (${CODE_SERVER_BIN} missing): run scripts/install-code-server.sh first`);
  }
}

/**
 * code-server writes a default config.yaml under XDG_CONFIG_HOME on every start, and VS Code its
 * IPC sockets in TMPDIR: keep both in the session, which is removed afterwards.
 */
function codeServerEnv(session: Session, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, XDG_CONFIG_HOME: session.configDir, XDG_DATA_HOME: path.join(session.dir, 'data'), TMPDIR: session.dir, ...extra };
}

function dirArgs(session: Session): string[] {
  return ['--user-data-dir', session.userDataDir, '--extensions-dir', session.extensionsDir];
}

export async function installExtensions(session: Session, vsixFiles: readonly string[]): Promise<void> {
  const args = [...dirArgs(session), ...vsixFiles.flatMap((file) => ['--install-extension', file]), '--force'];
  const output = await captureStep('code-server --install-extension', CODE_SERVER_BIN, args, { env: codeServerEnv(session) });
  const installed = (output.match(/was successfully installed/g) ?? []).length;
  if (installed !== vsixFiles.length) {
    throw new StepError(`code-server installed ${installed} of ${vsixFiles.length} extensions:\n${output}`);
  }
}

export interface RunningCodeServer {
  /** Opens the session's workspace folder. */
  readonly workbenchUrl: string;
  readonly process: ChildProcess;
  /** Everything code-server printed, for failure reports. */
  log(): string;
}

/** Starts code-server on a free localhost port (`:0`; it prints the port it got), without auth. */
export function startCodeServer(session: Session, env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<RunningCodeServer> {
  const args = [
    '--auth', 'none',
    '--bind-addr', '127.0.0.1:0',
    ...dirArgs(session),
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    session.workspaceDir,
  ];
  const child = spawnService(CODE_SERVER_BIN, args, { env: codeServerEnv(session, env), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const log = (): string => output;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new StepError(`code-server did not start listening within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const listening = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)\/?/.exec(output);
      if (listening?.[1]) {
        clearTimeout(timer);
        const workbenchUrl = `${listening[1]}/?folder=${encodeURIComponent(session.workspaceDir)}`;
        resolve({ workbenchUrl, process: child, log });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new StepError(`could not start code-server: ${error.message}`));
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new StepError(`code-server exited (${signal ?? code}) before listening:\n${output}`));
    });
  });
}
