import { create } from '@bufbuild/protobuf';
import { CONSUMERS, JOBS_STREAM_NAME, JobRequestedSchema, jobEventContext } from '@lacquer/contracts';
import { type NatsServer, startNatsServer } from '@lacquer/testing';
import { type JetStreamManager, jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectNats } from '../messaging/connect-nats.ts';
import { createJobEventPublisher } from '../messaging/job-event-publisher.ts';
import {
  provisionConsumer,
  provisionJobsStream,
  WORKER_CONSUMER_POLICY,
} from '../messaging/provision-streams.ts';
import { registerConsumerLagMetrics } from './consumer-lag-metrics.ts';

let nats: NatsServer;
let nc: NatsConnection;
let jsm: JetStreamManager;

beforeAll(async () => {
  nats = await startNatsServer();
  nc = await connectNats(nats.url, 'lag-metrics-test');
  jsm = await jetstreamManager(nc);
  await provisionJobsStream(jsm);
  await provisionConsumer(jsm, 'analyzer', WORKER_CONSUMER_POLICY);
  const publisher = createJobEventPublisher(jetstream(nc));
  for (const jobId of ['job-1', 'job-2', 'job-3']) {
    await publisher.publish({
      type: 'JobRequested',
      data: create(JobRequestedSchema, { context: jobEventContext(jobId, 'tenant-a', new Date()) }),
    });
  }
});
afterAll(async () => {
  await nc.close();
  await nats.close();
});

/** The sample of `name` labelled `consumer="<consumer>"` in a text exposition. */
const sample = (page: string, name: string, consumer: string) =>
  Number(new RegExp(`^${name}\\{consumer="${consumer}"\\} (\\d+)$`, 'm').exec(page)?.[1] ?? Number.NaN);

describe('registerConsumerLagMetrics', () => {
  it('reports the events waiting on a consumer, as JetStream counts them for KEDA', async () => {
    const registry = new Registry();
    registerConsumerLagMetrics(registry, 'analyzer', jsm, ['analyzer']);

    const page = await registry.metrics();

    expect(sample(page, 'lacquer_analyzer_consumer_pending_messages', 'analyzer')).toBe(3);
    expect(sample(page, 'lacquer_analyzer_consumer_ack_pending_messages', 'analyzer')).toBe(0);
    // The same count where KEDA's nats-jetstream scaler reads it: the monitoring endpoint's
    // /jsz of account "$G", stream JOBS, consumer analyzer (the chart's trigger metadata).
    const jsz = (await (
      await fetch(`http://127.0.0.1:${nats.monitorPort}/jsz?acc=$G&consumers=true&config=true`)
    ).json()) as {
      account_details: {
        name: string;
        stream_detail: { name: string; consumer_detail: { name: string; num_pending: number }[] }[];
      }[];
    };
    const account = jsz.account_details.find((detail) => detail.name === '$G');
    const stream = account?.stream_detail.find((detail) => detail.name === JOBS_STREAM_NAME);
    const consumer = stream?.consumer_detail.find((detail) => detail.name === CONSUMERS.analyzer.durableName);
    expect(consumer?.num_pending).toBe(3);
  });

  it('leaves out a consumer JetStream cannot describe, instead of reporting 0', async () => {
    const registry = new Registry();
    registerConsumerLagMetrics(registry, 'decision', jsm, ['decision', 'analyzer']);

    const page = await registry.metrics();

    expect(page).not.toContain('consumer="decision"');
    expect(sample(page, 'lacquer_decision_consumer_pending_messages', 'analyzer')).toBe(3);
  });
});
