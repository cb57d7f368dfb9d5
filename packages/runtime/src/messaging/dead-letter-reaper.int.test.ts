import { create } from '@bufbuild/protobuf';
import {
  DEAD_LETTERS_STREAM_NAME,
  DeliveryTargetSchema,
  decodeJobEvent,
  JOBS_STREAM_NAME,
  type JobEvent,
  JobFailedSchema,
  JobRequestedSchema,
  JobStep,
  JobStepAttemptFailedSchema,
  jobEventContext,
  jobEventMessageId,
  jobEventSubject,
} from '@lacquer/contracts';
import { type NatsServer, startNatsServer, waitFor } from '@lacquer/testing';
import { type JetStreamClient, type JetStreamManager, jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connectNats } from './connect-nats.ts';
import { startDeadLetterReaper } from './dead-letter-reaper.ts';
import { createJobEventPublisher } from './job-event-publisher.ts';
import {
  provisionConsumer,
  provisionDeadLetterStream,
  provisionJobsStream,
  REAPER_CONSUMER_POLICY,
} from './provision-streams.ts';
import type { RunningConsumer } from './pull-loop.ts';

const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
/** The analyzer's consumer, quick to give up: 2 deliveries, 1 s each. */
const POLICY = { ackWaitMs: 1000, maxDeliver: 2, maxAckPending: 100 };

let nats: NatsServer;
let nc: NatsConnection;
let js: JetStreamClient;
let jsm: JetStreamManager;
let reaper: RunningConsumer;
let jobCounter = 0;

beforeAll(async () => {
  nats = await startNatsServer();
  nc = await connectNats(nats.url, 'reaper-test');
  js = jetstream(nc);
  jsm = await jetstreamManager(nc);
});
afterAll(async () => {
  await nc.close();
  await nats.close();
});
beforeEach(async () => {
  await provisionJobsStream(jsm);
  await provisionDeadLetterStream(jsm);
  await provisionConsumer(jsm, 'analyzer', POLICY);
  await provisionConsumer(jsm, 'reaper', REAPER_CONSUMER_POLICY);
  reaper = startDeadLetterReaper({ js, jsm, publisher: createJobEventPublisher(js), log });
});
afterEach(async () => {
  await reaper.stop();
  await jsm.streams.delete(JOBS_STREAM_NAME);
  await jsm.streams.delete(DEAD_LETTERS_STREAM_NAME);
});

const newJobId = (): string => `job-${++jobCounter}-${Date.now()}`;
const context = (jobId: string) => jobEventContext(jobId, 'tenant-a', new Date('2026-11-21T12:00:00Z'));

function requested(jobId: string): JobEvent {
  return {
    type: 'JobRequested',
    data: create(JobRequestedSchema, {
      context: context(jobId),
      inputObjectKey: `tenants/tenant-a/uploads/${jobId}`,
      target: create(DeliveryTargetSchema, { integratedLoudnessLufs: -14, truePeakCeilingDbtp: -1 }),
    }),
  };
}

/** Takes the analyzer's next message as a worker that dies with it would: no ack, no nak. */
async function takeAndDie(): Promise<number> {
  const consumer = await js.consumers.get(JOBS_STREAM_NAME, 'analyzer');
  const message = await consumer.next({ expires: 5000 });
  if (!message) throw new Error('no message to take');
  return message.info.deliveryCount;
}

/** Every JobFailed of the job in the stream (each test's stream is small). */
async function failuresOf(jobId: string): Promise<JobEvent[]> {
  const subject = jobEventSubject('JobFailed', jobId);
  const { state } = await jsm.streams.info(JOBS_STREAM_NAME);
  const failures: JobEvent[] = [];
  for (let seq = 1; seq <= state.last_seq; seq++) {
    const stored = await jsm.streams.getMessage(JOBS_STREAM_NAME, { seq });
    if (stored?.subject === subject) failures.push(decodeJobEvent('JobFailed', stored.data));
  }
  return failures;
}

async function awaitFailure(jobId: string): Promise<JobEvent> {
  return waitFor(async () => (await failuresOf(jobId))[0], {
    what: `JobFailed of ${jobId}`,
    timeoutMs: 15_000,
  });
}

describe('startDeadLetterReaper', () => {
  it('fails a job whose worker died on every delivery with STEP_ATTEMPTS_EXHAUSTED', async () => {
    const jobId = newJobId();
    await createJobEventPublisher(js).publish(requested(jobId));
    expect([await takeAndDie(), await takeAndDie()]).toEqual([1, 2]);
    // The next pull finds the message over max_deliver: JetStream sends MAX_DELIVERIES.
    const consumer = await js.consumers.get(JOBS_STREAM_NAME, 'analyzer');
    await consumer.next({ expires: 2500 });
    const failed = await awaitFailure(jobId);
    expect(
      failed.type === 'JobFailed' && [failed.data.errorCode, failed.data.attempts, failed.data.step],
    ).toEqual(['STEP_ATTEMPTS_EXHAUSTED', 2, JobStep.ANALYZE]);
  });

  it('names the last recorded error when the final attempt recorded one', async () => {
    const jobId = newJobId();
    const publisher = createJobEventPublisher(js);
    await publisher.publish(requested(jobId));
    await takeAndDie();
    await takeAndDie();
    await publisher.publish(
      {
        type: 'JobStepAttemptFailed',
        data: create(JobStepAttemptFailedSchema, {
          context: context(jobId),
          step: JobStep.ANALYZE,
          attempt: 2,
          errorCode: 'NATS_UNAVAILABLE',
          errorMessage: 'could not publish JobFailed',
        }),
      },
      { messageId: jobEventMessageId('JobStepAttemptFailed', jobId, '2') },
    );
    const consumer = await js.consumers.get(JOBS_STREAM_NAME, 'analyzer');
    await consumer.next({ expires: 2500 });
    const failed = await awaitFailure(jobId);
    expect(failed.type === 'JobFailed' && [failed.data.errorCode, failed.data.attempts]).toEqual([
      'NATS_UNAVAILABLE',
      2,
    ]);
  });

  it('fails a job terminated without a recorded failure with STEP_TERMINATED, and leaves a recorded one alone', async () => {
    const [silent, recorded] = [newJobId(), newJobId()];
    const publisher = createJobEventPublisher(js);
    const { sequence: recordedSequence } = await publisher.publish(requested(recorded));
    await publisher.publish(requested(silent));
    const consumer = await js.consumers.get(JOBS_STREAM_NAME, 'analyzer');
    const first = await consumer.next({ expires: 5000 });
    // The worker's usual path: JobFailed with the error's code, then term().
    await publisher.publish(
      {
        type: 'JobFailed',
        data: create(JobFailedSchema, {
          context: context(recorded),
          step: JobStep.ANALYZE,
          errorCode: 'MEDIA_DECODE_FAILED',
          attempts: 1,
        }),
      },
      { messageId: jobEventMessageId('JobFailed', recorded, String(recordedSequence)) },
    );
    first?.term();
    (await consumer.next({ expires: 5000 }))?.term();
    const failed = await awaitFailure(silent);
    expect(failed.type === 'JobFailed' && failed.data.errorCode).toBe('STEP_TERMINATED');
    await waitFor(
      async () => {
        const info = await jsm.consumers.info(DEAD_LETTERS_STREAM_NAME, 'reaper');
        return info.num_pending === 0 && info.num_ack_pending === 0 ? true : undefined;
      },
      { what: 'the reaper to take both advisories' },
    );
    const recordedFailures = await failuresOf(recorded);
    expect(recordedFailures.map((event) => event.type === 'JobFailed' && event.data.errorCode)).toEqual([
      'MEDIA_DECODE_FAILED',
    ]);
  });
});
