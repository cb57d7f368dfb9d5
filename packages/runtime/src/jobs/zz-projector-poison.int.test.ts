import { randomUUID } from 'node:crypto';
import { create } from '@bufbuild/protobuf';
import { JOBS_STREAM_NAME, JobRequestedSchema, jobEventContext } from '@lacquer/contracts';
import { type NatsServer, startNatsServer, waitFor } from '@lacquer/testing';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connectNats } from '../messaging/connect-nats.ts';
import { createJobEventPublisher } from '../messaging/job-event-publisher.ts';
import { PROJECTOR_CONSUMER_POLICY, provisionConsumer, provisionJobsStream } from '../messaging/provision-jobs-stream.ts';
import type { RunningConsumer } from '../messaging/pull-loop.ts';
import { createKvJobReadModel } from '../read-model/kv-job-read-model.ts';
import { provisionKvJobReadModel } from '../read-model/kv-job-read-model-bucket.ts';
import { startJobViewProjector } from './job-view-projector.ts';

let nats: NatsServer;
let nc: NatsConnection;
let projector: RunningConsumer | undefined;
beforeAll(async () => {
  nats = await startNatsServer();
  nc = await connectNats(nats.url, 'poison-test');
});
afterAll(async () => {
  await projector?.stop();
  await nc?.close();
  await nats?.close();
});

const requested = (tenantId: string, jobId: string) => ({
  type: 'JobRequested' as const,
  data: create(JobRequestedSchema, {
    context: jobEventContext(jobId, tenantId, new Date('2026-03-01T12:00:00Z')),
    inputObjectKey: 'in.wav',
  }),
});

it('terminates an event whose tenant id can have no view, instead of blocking the projection', async () => {
  const js = jetstream(nc);
  const jsm = await jetstreamManager(nc);
  await provisionJobsStream(jsm);
  await provisionConsumer(jsm, 'projector', PROJECTOR_CONSUMER_POLICY);
  const bucket = `jobs-${randomUUID()}`;
  await provisionKvJobReadModel(nc, { bucket });
  const readModel = createKvJobReadModel(nc, { bucket });
  projector = startJobViewProjector({ js, readModel, log: pino({ level: 'silent' }) });
  const terminated: number[] = [];
  nc.subscribe(`$JS.EVENT.ADVISORY.CONSUMER.MSG_TERMINATED.${JOBS_STREAM_NAME}.projector`, {
    callback: (_error, message) => {
      terminated.push(message.json<{ stream_seq: number }>().stream_seq);
    },
  });
  await nc.flush();
  const publisher = createJobEventPublisher(js);

  const poison = await publisher.publish(requested('acme.eu', 'job-poison'));
  await publisher.publish(requested('tenant-a', 'job-good'));
  const started = Date.now();
  const view = await waitFor(() => readModel.get('tenant-a', 'job-good').then((v) => v ?? undefined), {
    timeoutMs: 30_000,
  });
  const delayMs = Date.now() - started;

  expect(view.jobId).toBe('job-good');
  expect(terminated).toEqual([poison.sequence]);
  expect(delayMs).toBeLessThan(5_000);
});
