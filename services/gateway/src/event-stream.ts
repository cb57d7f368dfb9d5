import type { ServerResponse } from 'node:http';

/** Headers of a server-sent event stream (no caching, no proxy buffering). */
export const EVENT_STREAM_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
} as const;

/** An open server-sent event stream (WHATWG HTML, "Server-sent events"). */
export interface EventStream {
  /** Sends one event: `id:`, `event:` and one `data:` line per line of `data`. */
  send(event: { readonly id?: string; readonly event: string; readonly data: string }): void;
  /** Sends a comment line (ignored by clients; keeps proxies from closing an idle stream). */
  comment(text: string): void;
  /** Ends the stream and stops the heartbeat. */
  end(): void;
}

/**
 * Starts an event stream on `response` (status 200 and {@link EVENT_STREAM_HEADERS}) with a
 * comment heartbeat every `heartbeatIntervalMs`.
 */
export function openEventStream(
  response: ServerResponse,
  options: { readonly heartbeatIntervalMs: number; readonly headers?: Readonly<Record<string, string>> },
): EventStream {
  response.writeHead(200, { ...EVENT_STREAM_HEADERS, ...options.headers });
  response.flushHeaders();
  const write = (text: string): void => {
    if (!response.writableEnded && !response.destroyed) response.write(text);
  };
  const heartbeat = setInterval(() => write(': heartbeat\n\n'), options.heartbeatIntervalMs);
  heartbeat.unref();
  return {
    send({ id, event, data }) {
      const lines = data.split(/\r\n|\r|\n/).map((line) => `data: ${line}\n`);
      write(`${id === undefined ? '' : `id: ${id}\n`}event: ${event}\n${lines.join('')}\n`);
    },
    comment(text) {
      write(`: ${text.replace(/[\r\n]+/g, ' ')}\n\n`);
    },
    end() {
      clearInterval(heartbeat);
      if (!response.writableEnded) response.end();
    },
  };
}
