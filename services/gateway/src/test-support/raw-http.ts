import { type IncomingHttpHeaders, request } from 'node:http';
import { connect } from 'node:net';

/** An answer read off the wire. */
export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** What {@link sendRequest} sends. */
export interface RawRequest {
  readonly method: string;
  /** Sent exactly as given: no URL normalisation of `..`, `%2e` or `//`, as `fetch` would do. */
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * The body: one buffer (sent with `Content-Length` unless the headers say otherwise), or
   * chunks written one by one with `Transfer-Encoding: chunked` (the answer may arrive, and the
   * connection close, before all are written).
   */
  readonly body?: Uint8Array | readonly Uint8Array[];
}

/** One HTTP/1.1 request with node:http, answered with status, headers and body text. */
export function sendRequest(baseUrl: string, options: RawRequest): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const chunked = Array.isArray(options.body);
    const outgoing = request(
      {
        host: hostname,
        port,
        method: options.method,
        path: options.path,
        headers: { ...(chunked ? { 'transfer-encoding': 'chunked' } : {}), ...options.headers },
        agent: false,
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (text: string) => {
          body += text;
        });
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
        );
        response.on('error', reject);
      },
    );
    // The server may answer and close while the body is still being written (a 413, a 409).
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    const { body } = options;
    if (body === undefined) {
      outgoing.end();
    } else if (body instanceof Uint8Array) {
      outgoing.end(body);
    } else {
      writeChunks(outgoing, body as readonly Uint8Array[]);
    }
  });
}

async function writeChunks(
  outgoing: ReturnType<typeof request>,
  chunks: readonly Uint8Array[],
): Promise<void> {
  for (const chunk of chunks) {
    if (outgoing.destroyed) return;
    if (!outgoing.write(chunk)) {
      await new Promise<void>((resolve) => {
        outgoing.once('drain', resolve);
        outgoing.once('close', resolve);
      });
    }
  }
  if (!outgoing.destroyed) outgoing.end();
}

/** What came back on a raw connection. */
export interface RawExchange {
  /** The status of the first answer, or `null` when none came. */
  readonly status: number | null;
  /** Everything the server sent. */
  readonly text: string;
}

/**
 * Writes `bytes` as they are to a new TCP connection (for requests node:http will not send:
 * a `Content-Length` that lies), then half-closes it when `end` (default true), and reads
 * until the server closes the connection or `timeoutMs` (default 5000) passes.
 */
export function exchangeRaw(
  baseUrl: string,
  bytes: Uint8Array | string,
  options: { readonly end?: boolean; readonly timeoutMs?: number } = {},
): Promise<RawExchange> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    let text = '';
    const finish = (): void => {
      clearTimeout(timer);
      socket.destroy();
      const match = /^HTTP\/1\.1 (\d{3})/.exec(text);
      resolve({ status: match ? Number(match[1]) : null, text });
    };
    const timer = setTimeout(finish, options.timeoutMs ?? 5000);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
    });
    socket.on('close', finish);
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE' || error.code === 'ECONNRESET') finish();
      else reject(error);
    });
    socket.on('connect', () => {
      socket.write(bytes);
      if (options.end ?? true) socket.end();
    });
  });
}
