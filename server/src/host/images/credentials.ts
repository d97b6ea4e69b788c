/**
 * Registry credentials as the Docker CLI keeps them (docker/cli `config/configfile`):
 * `<DOCKER_CONFIG or ~/.docker>/config.json` with `auths` (base64 `auth` = user:password,
 * `username`/`password`, `identitytoken`, `registrytoken`), `credHelpers` per registry and a
 * default `credsStore`. A helper is a program (`docker-credential-<name> get`, the server on
 * stdin, `{Username, Secret}` JSON on stdout); it runs only when the caller says the workspace
 * is trusted, never otherwise.
 */
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface RegistryCredential {
  readonly username?: string;
  readonly password?: string;
  /** An OAuth refresh token (`identitytoken`, or a helper's `<token>` user). */
  readonly identityToken?: string;
  /** A bearer token sent as is (`registrytoken`). */
  readonly registryToken?: string;
  /** Where it came from, for the log (never the secret). */
  readonly origin: string;
}

interface AuthEntry {
  auth?: unknown;
  username?: unknown;
  password?: unknown;
  identitytoken?: unknown;
  registrytoken?: unknown;
}

interface DockerConfigFile {
  auths?: Record<string, AuthEntry>;
  credsStore?: unknown;
  credHelpers?: Record<string, unknown>;
}

/** Docker Hub's key in `auths` and for helpers (docker/cli `registry.IndexServer`). */
export const DOCKER_HUB_SERVER = 'https://index.docker.io/v1/';
const HUB_HOSTS = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

/** docker/cli `credentials.ConvertToHostname`: strips the scheme and any path. */
export function convertToHostname(key: string): string {
  let s = key;
  if (s.startsWith('http://')) s = s.slice(7);
  else if (s.startsWith('https://')) s = s.slice(8);
  const slash = s.indexOf('/');
  return slash >= 0 ? s.slice(0, slash) : s;
}

export function dockerConfigPath(dockerConfig: string | undefined): string {
  const base = dockerConfig ?? process.env.DOCKER_CONFIG ?? path.join(os.homedir(), '.docker');
  return base.endsWith('.json') ? base : path.join(base, 'config.json');
}

export interface CredentialOptions {
  readonly dockerConfig?: string;
  /** Run credential helpers (trusted workspace, CLI). */
  readonly trusted: boolean;
  readonly timeoutMs: number;
  readonly log?: (line: string) => void;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** The registry's `auths` entry: exact key, then keys whose hostname matches (Hub: its three names). */
function findAuth(config: DockerConfigFile, registryHost: string): [string, AuthEntry] | undefined {
  const auths = config.auths && typeof config.auths === 'object' ? config.auths : {};
  const hub = HUB_HOSTS.has(registryHost);
  const exact = hub ? DOCKER_HUB_SERVER : registryHost;
  if (auths[exact] && typeof auths[exact] === 'object') return [exact, auths[exact]];
  for (const [key, entry] of Object.entries(auths)) {
    if (!entry || typeof entry !== 'object') continue;
    const h = convertToHostname(key);
    if (hub ? HUB_HOSTS.has(h) : h === registryHost) return [key, entry];
  }
  return undefined;
}

function fromAuthEntry(key: string, entry: AuthEntry, origin: string): RegistryCredential | undefined {
  let username = str(entry.username);
  let password = str(entry.password);
  const auth = str(entry.auth);
  if (auth) {
    const decoded = Buffer.from(auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) {
      username = decoded.slice(0, colon);
      password = decoded.slice(colon + 1);
    }
  }
  const identityToken = str(entry.identitytoken);
  const registryToken = str(entry.registrytoken);
  if (!username && !password && !identityToken && !registryToken) return undefined;
  return { ...(username ? { username } : {}), ...(password ? { password } : {}), ...(identityToken ? { identityToken } : {}), ...(registryToken ? { registryToken } : {}), origin: `${origin} auths["${key}"]` };
}

/** Runs `docker-credential-<helper> get` (docker-credential-helpers' client protocol). */
export function runCredentialHelper(helper: string, serverUrl: string, timeoutMs: number): Promise<{ username: string; secret: string } | undefined> {
  return new Promise((resolve, reject) => {
    if (!/^[A-Za-z0-9._-]+$/.test(helper)) {
      reject(new Error(`credential helper name "${helper}" is not a plain program name`));
      return;
    }
    const child = spawn(`docker-credential-${helper}`, ['get'], { stdio: ['pipe', 'pipe', 'pipe'], timeout: timeoutMs });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { if (out.length < 1 << 20) out += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { if (err.length < 4096) err += d; });
    child.on('error', (e) => reject(new Error(`docker-credential-${helper}: ${e.message}`)));
    child.on('close', (code, signal) => {
      if (signal) return reject(new Error(`docker-credential-${helper} ended by ${signal}`));
      if (code !== 0) {
        // "credentials not found in native keychain" is the protocol's not-found answer.
        if (/credentials not found/i.test(out + err)) return resolve(undefined);
        return reject(new Error(`docker-credential-${helper} exited ${code}: ${(out + err).trim().slice(0, 200)}`));
      }
      try {
        const parsed = JSON.parse(out) as { Username?: unknown; Secret?: unknown };
        const username = typeof parsed.Username === 'string' ? parsed.Username : '';
        const secret = typeof parsed.Secret === 'string' ? parsed.Secret : '';
        resolve(secret ? { username, secret } : undefined);
      } catch {
        reject(new Error(`docker-credential-${helper} printed no JSON`));
      }
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(serverUrl);
  });
}

/** The credential for a registry host (`docker.io` for Hub), or undefined for anonymous access. */
export async function credentialFor(registryHost: string, options: CredentialOptions): Promise<RegistryCredential | undefined> {
  const file = dockerConfigPath(options.dockerConfig);
  let config: DockerConfigFile;
  try {
    const parsed: unknown = JSON.parse(await fs.readFile(file, 'utf8'));
    if (!parsed || typeof parsed !== 'object') return undefined;
    config = parsed as DockerConfigFile;
  } catch {
    return undefined;
  }
  const hub = HUB_HOSTS.has(registryHost);
  const serverUrl = hub ? DOCKER_HUB_SERVER : registryHost;
  const helpers = config.credHelpers && typeof config.credHelpers === 'object' ? config.credHelpers : {};
  const helper = str(helpers[serverUrl]) ?? str(helpers[registryHost]) ?? str(config.credsStore);
  if (helper) {
    if (!options.trusted) {
      options.log?.(`images: credential helper "${helper}" for ${registryHost} not run (untrusted); using ${file} auths only`);
    } else {
      const got = await runCredentialHelper(helper, serverUrl, options.timeoutMs);
      if (got) {
        // docker-credential-helpers: the user "<token>" marks an identity (refresh) token.
        if (got.username === '<token>') return { identityToken: got.secret, origin: `docker-credential-${helper}` };
        return { username: got.username, password: got.secret, origin: `docker-credential-${helper}` };
      }
    }
  }
  const found = findAuth(config, registryHost);
  return found ? fromAuthEntry(found[0], found[1], file) : undefined;
}
