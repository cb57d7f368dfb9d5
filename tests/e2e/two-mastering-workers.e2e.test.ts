import { JOBS_STREAM_NAME, jobEventFilter } from '@lacquer/contracts';
import { fixturePath } from '@lacquer/testing';
import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LacquerClient, lacquerClient } from '../../scripts/local-stack/lacquer-client.ts';
import { type Platform, startPlatform } from '../support/platform.ts';

const JOB_COUNT = 6;

let platform: Platform;
let client: LacquerClient;

beforeAll(async () => {
  platform = await startPlatform({ masteringWorkers: 2 });
  client = lacquerClient(platform.gatewayUrl, platform.apiKey);
});
afterAll(async () => {
  await platform?.close();
});

/** `lacquer_mastering_jobs_processed_total{outcome="succeeded"}` of one worker process. */
async function succeededDeliveries(port: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const line = text
    .split('\n')
    .find((row) => row.startsWith('lacquer_mastering_jobs_processed_total{outcome="succeeded"}'));
  return Number(line?.split(' ').at(-1) ?? 0);
}

/** How many MasterRendered events each job has in the stream. */
async function renderedPerJob(): Promise<Map<string, number>> {
  const nc = await connect({ servers: platform.nats.url });
  const js = jetstream(nc);
  const consumer = await js.consumers.get(JOBS_STREAM_NAME, {
    filter_subjects: jobEventFilter('MasterRendered'),
  });
  const counts = new Map<string, number>();
  for (;;) {
    const message = await consumer.next({ expires: 1000 });
    if (!message) break;
    const jobId = message.subject.split('.').at(-1) ?? '';
    counts.set(jobId, (counts.get(jobId) ?? 0) + 1);
  }
  await nc.close();
  return counts;
}

describe('two mastering workers on one durable consumer', () => {
  it('share a batch of jobs, and each job is rendered exactly once', async () => {
    const uploadId = await client.upload(fixturePath('audio/metal-madness-mix-15s.flac'), 'audio/flac');
    const jobs = await Promise.all(
      Array.from({ length: JOB_COUNT }, (_, index) =>
        client.createJob({ input: { uploadId }, target: { integratedLufs: -16 + index, truePeakDbtp: -1 } }),
      ),
    );
    await Promise.all(jobs.map(({ jobId }) => client.events(jobId)));
    for (const { jobId } of jobs) expect((await client.job(jobId)).status).toBe('completed');

    const rendered = await renderedPerJob();
    expect(jobs.map(({ jobId }) => rendered.get(jobId))).toEqual(jobs.map(() => 1));
    expect(rendered.size).toBe(JOB_COUNT);

    const workers = ['mastering', 'mastering-2'].map((name) => platform.services.get(name)?.port ?? 0);
    const shares = await Promise.all(workers.map(succeededDeliveries));
    expect(shares.reduce((a, b) => a + b, 0)).toBe(JOB_COUNT);
    expect(Math.min(...shares)).toBeGreaterThan(0);
  });
});
