import { CONSUMERS, type ConsumerName } from '@lacquer/contracts';
import type { ConsumerInfo, JetStreamManager } from '@nats-io/jetstream';
import { Gauge, type Registry } from 'prom-client';
import { metricPrefix } from './service-metrics.ts';

/**
 * Queue lag of the durable consumers a service reads, read from JetStream at each scrape:
 * - `lacquer_<service>_consumer_pending_messages{consumer}`: events in the stream that no
 *   replica has been handed yet (JetStream's `num_pending`; what KEDA scales on);
 * - `lacquer_<service>_consumer_ack_pending_messages{consumer}`: events handed out and not
 *   yet acknowledged (`num_ack_pending`: in work, or held by a worker that died).
 * A consumer JetStream cannot describe at that moment is left out of the scrape, not zeroed.
 */
export function registerConsumerLagMetrics(
  registry: Registry,
  service: string,
  jsm: JetStreamManager,
  consumers: readonly ConsumerName[],
): void {
  const prefix = metricPrefix(service);
  const gauge = (name: string, help: string, read: (info: ConsumerInfo) => number): void => {
    new Gauge({
      name: `${prefix}${name}`,
      help,
      labelNames: ['consumer'],
      registers: [registry],
      async collect() {
        this.reset();
        await Promise.all(
          consumers.map(async (consumer) => {
            const { stream, durableName } = CONSUMERS[consumer];
            const info = await jsm.consumers.info(stream, durableName).catch(() => null);
            if (info) this.set({ consumer: durableName }, read(info));
          }),
        );
      },
    });
  };
  gauge(
    'consumer_pending_messages',
    'Events in the stream not yet handed to any replica of the consumer (JetStream num_pending).',
    (info) => info.num_pending,
  );
  gauge(
    'consumer_ack_pending_messages',
    'Events handed to a replica and not yet acknowledged (JetStream num_ack_pending).',
    (info) => info.num_ack_pending,
  );
}
