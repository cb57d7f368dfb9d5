import { create } from '@bufbuild/protobuf';
import {
  CONSUMERS,
  DeliveryTargetSchema,
  JOBS_STREAM_NAME,
  type JobEvent,
  JobRequestedSchema,
  JobStep,
  jobEventContext,
  jobEventSubject,
} from '@lacquer/contracts';
import { LacquerError } from '@lacquer/errors';
import { type NatsServer, startNatsServer, waitFor } from '@lacquer/testing';
import { type JetStreamClient, type JetStreamManager, jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connectNats } from './connect-nats.ts';
import { createJobEventFeed } from './jetstream-job-event-feed.ts';
import { type JobEventDelivery, type JobEventHandler, startJobEventConsumer } from './job-event-consumer.ts';
import { createJobEventPublisher } from './job-event-publisher.ts';
import { provisionConsumer, provisionJobsStream } from './provision-jobs-stream.ts';
import type { RunningConsumer } from './pull-loop.ts';

const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
const POLICY = { ackWaitMs: 1000, maxDeliver: 3, maxAckPending: 100 };

let nats: NatsServer;
let nc: NatsConnection;
let js: JetStreamClient;
let jsm: JetStreamManager;
let running: RunningConsumer | null = null;
let jobCounter = 0;

beforeAll(async () => {
  nats = await startNatsServer();
  nc = await connectNats(nats.url, 'consumer-test');
  js = jetstream(nc);
  jsm = await jetstreamManager(nc);
});
afterAll(async () => {
  await nc.close();
  await nats.close();
});
beforeEach(async () => {
  await provisionJobsStream(jsm);
  await provisionConsumer(jsm, 'analyzer', POLICY);
});
afterEach(async () => {
  await running?.stop();
  running = null;
  await jsm.streams.delete(JOBS_STREAM_NAME);
});

function requested(jobId: string): JobEvent {
  return {
    type: 'JobRequested',
    data: create(JobRequestedSchema, {
      context: jobEventContext(jobId, 'tenant-a', new Date('2026-11-21T12:00:00Z')),
      inputObjectKey: `tenants/tenant-a/uploads/${jobId}`,
      target: create(DeliveryTargetSchema, {
        preset: 'spotify',
        integratedLoudnessLufs: -14,
        truePeakCeilingDbtp: -1,
      }),
    }),
  };
}

const newJobId = (): string => `job-${++jobCounter}-${Date.now()}`;

/** Every event of one job in the stream, as `type` or `type:attempt`. */
async function history(jobId: string): Promise<string[]> {
  const controller = new AbortController();
  const seen: string[] = [];
  const info = await jsm.streams.info(JOBS_STREAM_NAME);
  for await (const { event, sequence } of createJobEventFeed(js).follow(jobId, controller.signal)) {
    seen.push(event.type === 'JobStepStarted' ? `${event.type}:${event.data.attempt}` : event.type);
    if (sequence >= info.state.last_seq) break;
    const pending = await jsm.streams.info(JOBS_STREAM_NAME);
    if (sequence >= pending.state.last_seq) break;
  }
  controller.abort();
  return seen;
}

function consume(handler: JobEventHandler, options: { heartbeatMs?: number } = {}): void {
  running = startJobEventConsumer({
    js,
    consumer: 'analyzer',
    step: JobStep.ANALYZE,
    publisher: createJobEventPublisher(js),
    handler,
    maxDeliver: POLICY.maxDeliver,
    retryDelayMs: () => 50,
    pullExpiresMs: 1000,
    log,
    ...options,
  });
}

async function consumerIdle(): Promise<void> {
  await waitFor(
    async () => {
      const info = await jsm.consumers.info(JOBS_STREAM_NAME, CONSUMERS.analyzer.durableName);
      return info.num_pending === 0 && info.num_ack_pending === 0 ? true : undefined;
    },
    { what: 'the consumer to have nothing pending' },
  );
}

describe('startJobEventConsumer', () => {
  it('hands the typed event to the handler, records the step start, and acks', async () => {
    const jobId = newJobId();
    const deliveries: JobEventDelivery[] = [];
    consume(async (delivery) => {
      deliveries.push(delivery);
    });
    await createJobEventPublisher(js).publish(requested(jobId));
    await waitFor(() => (deliveries.length === 1 ? true : undefined), { what: 'one delivery' });
    await consumerIdle();
    expect(deliveries[0]?.event.type).toBe('JobRequested');
    expect([deliveries[0]?.jobId, deliveries[0]?.tenantId, deliveries[0]?.attempt]).toEqual([
      jobId,
      'tenant-a',
      1,
    ]);
    expect(await history(jobId)).toEqual(['JobRequested', 'JobStepStarted:1']);
  });

  it('retries a retryable failure with nak(delay), then succeeds', async () => {
    const jobId = newJobId();
    const attempts: number[] = [];
    consume(async ({ attempt }) => {
      attempts.push(attempt);
      if (attempt === 1) throw new LacquerError('BLOB_UNAVAILABLE', 'disk hiccup');
    });
    await createJobEventPublisher(js).publish(requested(jobId));
    await waitFor(() => (attempts.length === 2 ? true : undefined), { what: 'a redelivery' });
    await consumerIdle();
    expect(attempts).toEqual([1, 2]);
    expect(await history(jobId)).toEqual(['JobRequested', 'JobStepStarted:1', 'JobStepStarted:2']);
  });

  it('fails the job with the code of a non-retryable error and terminates the message', async () => {
    const jobId = newJobId();
    let calls = 0;
    consume(async () => {
      calls++;
      throw new LacquerError('MEDIA_DECODE_FAILED', 'truncated');
    });
    await createJobEventPublisher(js).publish(requested(jobId));
    await consumerIdle();
    const events = await history(jobId);
    expect(events).toEqual(['JobRequested', 'JobStepStarted:1', 'JobFailed']);
    expect(calls).toBe(1);
  });

  it('fails the job after max_deliver attempts of a retryable error, with the attempts counted', async () => {
    const jobId = newJobId();
    const failures: JobEvent[] = [];
    consume(async () => {
      throw new Error('a defect');
    });
    await createJobEventPublisher(js).publish(requested(jobId));
    await consumerIdle();
    const controller = new AbortController();
    for await (const { event } of createJobEventFeed(js).follow(jobId, controller.signal)) {
      if (event.type === 'JobFailed') {
        failures.push(event);
        break;
      }
    }
    controller.abort();
    const failed = failures[0];
    expect(
      failed?.type === 'JobFailed' && [failed.data.errorCode, failed.data.attempts, failed.data.step],
    ).toEqual(['INTERNAL_ERROR', POLICY.maxDeliver, JobStep.ANALYZE]);
  });

  it('keeps a long delivery with working() past ack_wait, so it is not redelivered', async () => {
    const jobId = newJobId();
    const attempts: number[] = [];
    consume(
      async ({ attempt }) => {
        attempts.push(attempt);
        await new Promise((resolve) => setTimeout(resolve, POLICY.ackWaitMs * 2.5));
      },
      { heartbeatMs: 300 },
    );
    await createJobEventPublisher(js).publish(requested(jobId));
    await waitFor(() => (attempts.length > 0 ? true : undefined));
    await consumerIdle();
    expect(attempts).toEqual([1]);
  });

  it('terminates a message that is not a job event and goes on with the next', async () => {
    const jobId = newJobId();
    const handled: string[] = [];
    consume(async ({ jobId: id }) => {
      handled.push(id);
    });
    await js.publish(jobEventSubject('JobRequested', 'garbage'), new TextEncoder().encode('not protobuf'));
    await createJobEventPublisher(js).publish(requested(jobId));
    await waitFor(() => (handled.length === 1 ? true : undefined), { what: 'the good event' });
    await consumerIdle();
    expect(handled).toEqual([jobId]);
  });
});

describe('createJobEventPublisher', () => {
  it('drops a second publish of the same fact as a duplicate (Nats-Msg-Id)', async () => {
    const jobId = newJobId();
    const publisher = createJobEventPublisher(js);
    const first = await publisher.publish(requested(jobId));
    const second = await publisher.publish(requested(jobId));
    expect([first.duplicate, second.duplicate, second.sequence]).toEqual([false, true, first.sequence]);
    const info = await jsm.streams.info(JOBS_STREAM_NAME);
    expect(info.state.messages).toBe(1);
  });
});
