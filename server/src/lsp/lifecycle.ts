/**
 * The LSP lifecycle rule the library leaves to servers: a request before `initialize` is answered with
 * ServerNotInitialized (-32002). Every request passes through the connection's message strategy; one that
 * arrives too early is renamed to NOT_INITIALIZED, whose handler answers with the error (the id is kept, so
 * the client gets its answer).
 */
import { ErrorCodes, Message, ResponseError, type Connection, type ConnectionOptions } from 'vscode-languageserver/node';

const NOT_INITIALIZED = 'secctx/$notInitialized';

export function lifecycleGuard(): { readonly options: ConnectionOptions; install(connection: Connection): void } {
  let initialized = false;
  return {
    options: {
      messageStrategy: {
        handleMessage(message, next) {
          if (!initialized && Message.isRequest(message)) {
            if (message.method === 'initialize') {
              initialized = true;
              // The library reads `capabilities.workspace` itself: a client that sends none gets `{}`.
              const params = message.params as { capabilities?: unknown } | undefined;
              if (!params || typeof params !== 'object' || Array.isArray(params)) return next({ ...message, params: { processId: null, rootUri: null, capabilities: {} } } as Message);
              if (!params.capabilities || typeof params.capabilities !== 'object') return next({ ...message, params: { ...params, capabilities: {} } } as Message);
            } else return next({ ...message, method: NOT_INITIALIZED, params: { method: message.method } } as Message);
          }
          return next(message);
        },
      },
    },
    install(connection) {
      connection.onRequest(NOT_INITIALIZED, (params: { method?: string }) => {
        throw new ResponseError(ErrorCodes.ServerNotInitialized, `secctx: ${params.method ?? 'a request'} before initialize`);
      });
    },
  };
}
