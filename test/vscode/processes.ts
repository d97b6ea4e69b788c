/** Child processes of the runner: run to completion, or keep running and be killed on exit. */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

export class StepError extends Error {}

/** Runs a command with inherited output; throws a StepError naming `step` when it exits non-zero. */
export function runStep(step: string, command: string, args: readonly string[], options: SpawnOptions = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit', ...options });
    child.on('error', (error) => reject(new StepError(`${step}: could not start ${command}: ${error.message}`)));
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new StepError(`${step} failed (${command} ${args.join(' ')} exited with ${signal ?? code})`));
    });
  });
}

/** Runs a command and returns its combined output; throws a StepError with that output when it exits non-zero. */
export function captureStep(step: string, command: string, args: readonly string[], options: SpawnOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', (error) => reject(new StepError(`${step}: could not start ${command}: ${error.message}`)));
    child.on('exit', (code, signal) => {
      if (code === 0) resolve(output);
      else reject(new StepError(`${step} failed (exit ${signal ?? code}):\n${output}`));
    });
  });
}

const running = new Set<ChildProcess>();

/** Starts a long-running process in its own process group, killed (with its children) by killAll(). */
export function spawnService(command: string, args: readonly string[], options: SpawnOptions): ChildProcess {
  const child = spawn(command, args, { ...options, detached: true });
  running.add(child);
  child.on('exit', () => running.delete(child));
  return child;
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** SIGTERM to every service's process group, SIGKILL to what is left after `graceMs`. */
export async function killAll(graceMs = 5_000): Promise<void> {
  const children = [...running];
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const timer = setTimeout(() => {
            signalGroup(child, 'SIGKILL');
            resolve();
          }, graceMs);
          child.once('exit', () => {
            clearTimeout(timer);
            signalGroup(child, 'SIGKILL'); // grandchildren (extension host, language server) too
            resolve();
          });
          signalGroup(child, 'SIGTERM');
        }),
    ),
  );
}

/** Last resort when the runner exits without cleaning up (synchronous: usable in process.on('exit')). */
export function killAllNow(): void {
  for (const child of running) signalGroup(child, 'SIGKILL');
}
