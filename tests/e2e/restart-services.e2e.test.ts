import { fixturePath, waitFor } from '@lacquer/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LacquerClient, lacquerClient } from '../../scripts/local-stack/lacquer-client.ts';
import { type Platform, startPlatform } from '../support/platform.ts';

let platform: Platform;
let client: LacquerClient;

beforeAll(async () => {
  platform = await startPlatform();
  client = lacquerClient(platform.gatewayUrl, platform.apiKey);
});
afterAll(async () => {
  await platform?.close();
});

const service = (name: string) => {
  const found = platform.services.get(name);
  if (!found) throw new Error(`no service ${name}`);
  return found;
};

describe('services come and go; the event log keeps every job', () => {
  it("keeps a completed job's full state readable after every service is killed and restarted", async () => {
    const uploadId = await client.upload(fixturePath('audio/chaos-god-mix-15s.flac'), 'audio/flac');
    const { jobId } = await client.createJob({ input: { uploadId }, target: { preset: 'apple-music' } });
    await client.events(jobId);
    const before = await client.job(jobId);
    expect(before.status).toBe('completed');

    const names = ['gateway', 'analyzer', 'decision', 'mastering'];
    await Promise.all(names.map((name) => service(name).stop('SIGKILL')));
    await Promise.all(names.map((name) => service(name).start()));

    expect(await client.job(jobId)).toEqual(before);
  });

  it('completes a job submitted while the mastering worker is down once it is started again', async () => {
    await service('mastering').stop();
    const uploadId = await client.upload(fixturePath('audio/metal-madness-mix-15s.flac'), 'audio/flac');
    const { jobId } = await client.createJob({ input: { uploadId } });

    // Analyzed and decided, then it waits in the stream for a mastering worker.
    const waiting = await waitFor(
      async () => {
        const job = await client.job(jobId);
        return job.progress >= 40 ? job : undefined;
      },
      { timeoutMs: 60_000, what: 'the job to be decided' },
    );
    expect([waiting.status, waiting.currentStep]).toEqual(['processing', 'decide']);

    await service('mastering').start();
    const events = await client.events(jobId);
    expect(JSON.parse(events.at(-1)?.data ?? '{}').status).toBe('completed');
    expect((await client.job(jobId)).status).toBe('completed');
  });
});
