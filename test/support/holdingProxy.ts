/**
 * A stand-in in front of the real registry that forwards every request unchanged, but holds the ones `hold`
 * picks until `release()`: so that several lookups reach their last request, then all answer together.
 * Loopback only. Waiting for held requests is event-driven (with a timeout), never a clock.
 */
import { EventEmitter } from 'node:events';
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { withTimeout } from './lsp-client';

export interface HoldingProxy {
  /** `127.0.0.1:<port>` — the registry part of image references. */
  readonly host: string;
  /** Resolves when `count` requests are held (already held ones count). */
  waitForHeld(count: number, timeoutMs: number): Promise<void>;
  /** Forwards every held request, and every later one at once. */
  release(): void;
  close(): Promise<void>;
}

export async function startHoldingProxy(upstream: string, hold: (path: string) => boolean): Promise<HoldingProxy> {
  const sockets = new Set<Socket>();
  const events = new EventEmitter();
  let held: (() => void)[] = [];
  let released = false;
  const forward = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const up = http.request(`${upstream}${req.url ?? '/'}`, { method: req.method, headers: { ...req.headers, host: new URL(upstream).host } }, (upRes) => {
      res.writeHead(upRes.statusCode ?? 502, upRes.headers);
      upRes.pipe(res);
    });
    up.on('error', () => { res.writeHead(502); res.end(); });
    req.pipe(up);
  };
  const server = http.createServer((req, res) => {
    if (released || !hold(req.url ?? '')) { forward(req, res); return; }
    req.pause();
    held.push(() => { req.resume(); forward(req, res); });
    events.emit('held');
  });
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    host: `127.0.0.1:${port}`,
    waitForHeld(count, timeoutMs) {
      const reached = new Promise<void>((resolve) => {
        const check = () => { if (held.length >= count) { events.off('held', check); resolve(); } };
        events.on('held', check);
        check();
      });
      return withTimeout(reached, timeoutMs, `${count} held registry requests`);
    },
    release() {
      released = true;
      const waiting = held;
      held = [];
      for (const go of waiting) go();
    },
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}
