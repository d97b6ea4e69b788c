/**
 * The stdio transport's message encoder. vscode-jsonrpc encodes a message as Buffer.from(JSON.stringify(message)):
 * for the publishDiagnostics of a heavy file that is megabytes on every edit, and a single character above U+00FF in
 * any message (`…`, a container's name) makes the whole JSON a two-byte string, several times slower to encode as
 * UTF-8. Here a publication's diagnostics are encoded one by one and each encoding is kept while its diagnostic object
 * lives: the per-document cache (diagnosticCache.ts) hands out the same objects while a YAML document is unchanged, so
 * a publication is mostly a copy of bytes encoded before. Diagnostic objects are never changed once made. Every other
 * message is encoded as the library does.
 */
import type { Connection, ContentTypeEncoder, Message } from 'vscode-languageserver/node';

const encoded = new WeakMap<object, Buffer>();
const COMMA = Buffer.from(',');
/**
 * Encodings are kept for publications of at least this many diagnostics, where most are unchanged from one edit to
 * the next and encoding them is what an edit costs; a small file's are made again (kept, 2,000 open one-Deployment
 * files held megabytes of them for nothing: a one-document file's edit replaces all of its diagnostics).
 */
const KEEP_ENCODINGS_FROM = 100;

interface Publication {
  readonly method: 'textDocument/publishDiagnostics';
  readonly params: { readonly diagnostics: readonly object[] };
}

function isPublication(message: Message): message is Message & Publication {
  const m = message as Partial<Publication>;
  return m.method === 'textDocument/publishDiagnostics' && !!m.params && Array.isArray(m.params.diagnostics);
}

function encodedDiagnostic(diagnostic: object, keep: boolean): Buffer {
  let bytes = encoded.get(diagnostic);
  if (!bytes) {
    bytes = Buffer.from(JSON.stringify(diagnostic), 'utf8');
    if (keep) encoded.set(diagnostic, bytes);
  }
  return bytes;
}

/** The bytes of a message, as JSON in UTF-8. */
export function encodeMessage(message: Message): Buffer {
  if (!isPublication(message)) return Buffer.from(JSON.stringify(message), 'utf8');
  const { diagnostics, ...params } = message.params;
  // `diagnostics` last in params, params last in the message: the JSON ends with `[]}}`, where the list goes.
  const frame = JSON.stringify({ ...message, params: { ...params, diagnostics: [] } });
  if (!frame.endsWith('[]}}')) return Buffer.from(JSON.stringify(message), 'utf8');
  const parts: Buffer[] = [Buffer.from(frame.slice(0, -3), 'utf8')];
  const keep = diagnostics.length >= KEEP_ENCODINGS_FROM;
  diagnostics.forEach((d, i) => {
    if (i) parts.push(COMMA);
    parts.push(encodedDiagnostic(d, keep));
  });
  parts.push(Buffer.from(']}}'));
  return Buffer.concat(parts);
}

export const JSON_ENCODER: ContentTypeEncoder = {
  name: 'application/json',
  encode: (message) => {
    try {
      return Promise.resolve(encodeMessage(message));
    } catch (err) {
      return Promise.reject(err);
    }
  },
};

/**
 * What the library does for a server it starts on stdio itself: console output goes to the client's log, never to
 * stdout, which carries the protocol.
 */
export function consoleToClient(connection: Connection): void {
  console.log = (...args: unknown[]) => connection.console.log(args.map(String).join(' '));
  console.info = (...args: unknown[]) => connection.console.info(args.map(String).join(' '));
  console.warn = (...args: unknown[]) => connection.console.warn(args.map(String).join(' '));
  console.error = (...args: unknown[]) => connection.console.error(args.map(String).join(' '));
  console.debug = (...args: unknown[]) => connection.console.log(args.map(String).join(' '));
}
