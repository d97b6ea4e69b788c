/**
 * A real CNCF Distribution registry (Debian's `docker-registry`, /usr/bin/docker-registry) for
 * the image-facts tests: started on 127.0.0.1 at a free port with a temporary storage directory
 * and config, stopped (and its directory removed) after. Readiness is its own "listening on"
 * log line, not a clock. Optional: TLS with a certificate made here, htpasswd basic auth, or the
 * `token` auth scheme against a realm the test serves.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const REGISTRY_BINARY = process.env.SECCTX_DOCKER_REGISTRY ?? '/usr/bin/docker-registry';

export function registryAvailable(): boolean {
  return existsSync(REGISTRY_BINARY);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

export interface RegistryOptions {
  readonly tls?: { readonly certificate: string; readonly key: string };
  readonly htpasswd?: { readonly realm: string; readonly path: string };
  readonly token?: { readonly realm: string; readonly service: string; readonly issuer: string; readonly rootcertbundle: string };
  /** Reuse this storage directory (to restart a registry over the same content). */
  readonly storage?: string;
  /** Fixed port (to restart at the same address). */
  readonly port?: number;
}

export interface RegistryProcess {
  /** `127.0.0.1:<port>` — the registry part of image references. */
  readonly host: string;
  readonly port: number;
  readonly url: string;
  readonly storage: string;
  readonly log: () => string;
  stop(options?: { keepStorage?: boolean }): Promise<void>;
}

export async function startRegistry(options: RegistryOptions = {}): Promise<RegistryProcess> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'secctx-registry-'));
  const storage = options.storage ?? path.join(dir, 'storage');
  const port = options.port ?? (await freePort());
  const lines = [
    'version: 0.1',
    'log:',
    '  level: info',
    '  formatter: text',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${JSON.stringify(storage)}`,
    '  delete:',
    '    enabled: true',
    '  maintenance:',
    '    uploadpurging:',
    '      enabled: false',
    'http:',
    `  addr: 127.0.0.1:${port}`,
    ...(options.tls ? ['  tls:', `    certificate: ${JSON.stringify(options.tls.certificate)}`, `    key: ${JSON.stringify(options.tls.key)}`] : []),
    ...(options.htpasswd ? ['auth:', '  htpasswd:', `    realm: ${JSON.stringify(options.htpasswd.realm)}`, `    path: ${JSON.stringify(options.htpasswd.path)}`] : []),
    ...(options.token
      ? ['auth:', '  token:', `    realm: ${JSON.stringify(options.token.realm)}`, `    service: ${JSON.stringify(options.token.service)}`, `    issuer: ${JSON.stringify(options.token.issuer)}`, `    rootcertbundle: ${JSON.stringify(options.token.rootcertbundle)}`]
      : []),
  ];
  const config = path.join(dir, 'config.yml');
  writeFileSync(config, lines.join('\n') + '\n');
  const child: ChildProcess = spawn(REGISTRY_BINARY, ['serve', config], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, OTEL_TRACES_EXPORTER: 'none' } });
  let log = '';
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`registry did not start within 20 s:\n${log}`)), 20_000);
    let listening = false;
    const onData = (d: Buffer) => {
      // Distribution logs every request at info level: keep the tail only, test once.
      log = (log + d.toString('utf8')).slice(-65536);
      if (!listening && /listening on /.test(log)) {
        listening = true;
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`registry exited (${code}) before listening:\n${log}`));
    });
  });
  try {
    await ready;
  } catch (e) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const scheme = options.tls ? 'https' : 'http';
  return {
    host: `127.0.0.1:${port}`,
    port,
    url: `${scheme}://127.0.0.1:${port}`,
    storage,
    log: () => log,
    stop: async (o = {}) => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      if (!o.keepStorage || options.storage === undefined) {
        if (o.keepStorage) rmSync(config, { force: true });
        else rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
