import { LacquerError } from '@lacquer/errors';
import { connect, type NatsConnection } from '@nats-io/transport-node';

/**
 * Connects to NATS and keeps reconnecting for as long as the process lives (a NATS restart
 * must not take the services down with it).
 *
 * @param servers e.g. `nats://127.0.0.1:4222` (comma-separated for a cluster).
 * @param name the connection's name in NATS monitoring (the service name).
 * @throws LacquerError `NATS_UNAVAILABLE` when the first connection fails.
 */
export async function connectNats(servers: string, name: string): Promise<NatsConnection> {
  try {
    return await connect({
      servers: servers.split(',').map((server) => server.trim()),
      name,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
    });
  } catch (cause) {
    throw new LacquerError('NATS_UNAVAILABLE', `cannot connect to NATS at ${servers}`, { cause });
  }
}

/**
 * Follows the connection's status: the returned function says whether it is connected now
 * (false between a disconnect and the reconnect, and once closed). For `/readyz`.
 */
export function trackConnection(nc: NatsConnection): () => boolean {
  let connected = true;
  void (async () => {
    for await (const status of nc.status()) {
      if (status.type === 'disconnect') connected = false;
      if (status.type === 'reconnect') connected = true;
    }
  })();
  return () => connected && !nc.isClosed();
}
