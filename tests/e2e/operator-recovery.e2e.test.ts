import { fileURLToPath } from 'node:url';
import { fixturePath, waitFor } from '@lacquer/testing';
import { type JetStreamManager, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNode } from '../../packages/cli/src/test-support/run-node.ts';
import { type LacquerClient, lacquerClient } from '../../scripts/local-stack/lacquer-client.ts';
import { countJobEvents } from '../support/job-events.ts';
import { type Platform, startPlatform } from '../support/platform.ts';
import { stepsInHand } from '../support/steps-in-hand.ts';

// What an operator lives through: a deploy (SIGTERM) while a worker holds a job, and a job
// whose workers died on both of its deliveries, found with `lacquer admin` and retried.

const ADMIN_KEY = 'operator-key-for-the-e2e-test-0123456789';
/** Long enough that a job finishing sooner was handed back, not timed out. */
const ACK_WAIT_SECONDS = 10;
const LAUNCHER = fileURLToPath(new URL('../../packages/cli/bin/lacquer.mjs', import.meta.url));

let platform: Platform;
let client: LacquerClient;
let nc: NatsConnection;
let jsm: JetStreamManager;
const inHand = stepsInHand();
const logs: string[] = [];

beforeAll(async () => {
  platform = await startPlatform({
    masteringWorkers: 2,
    env: {
      LACQUER_ADMIN_API_KEY: ADMIN_KEY,
      LACQUER_ACK_WAIT_SECONDS: String(ACK_WAIT_SECONDS),
      LACQUER_SHUTDOWN_GRACE_SECONDS: '0',
      LACQUER_MAX_DELIVER: '2',
    },
    output: (name, line) => {
      inHand.observe(name, line);
      logs.push(`[${name}] ${line}`);
    },
  });
  client = lacquerClient(platform.gatewayUrl, platform.apiKey);
  nc = await connect({ servers: platform.nats.url });
  jsm = await jetstreamManager(nc);
});
afterAll(async () => {
  await nc?.close();
  await platform?.close();
});

/** Submits a job and resolves with the mastering worker that takes it, once it has. */
async function jobInMasteringHands(): Promise<{ jobId: string; worker: string }> {
  const uploadId = await client.upload(fixturePath('audio/chaos-god-mix-15s.flac'), 'audio/flac');
  const { jobId } = await client.createJob({
    input: { uploadId },
    target: { integratedLufs: -14, truePeakDbtp: -1 },
  });
  return { jobId, worker: await masteringWorkerOf(jobId) };
}

/** The mastering worker that holds `jobId`, once one does. */
function masteringWorkerOf(jobId: string, timeoutMs = 60_000): Promise<string> {
  return waitFor(
    () => ['mastering', 'mastering-2'].find((name) => inHand.of(name).some((step) => step.jobId === jobId)),
    { what: `a mastering worker to take ${jobId}`, timeoutMs, intervalMs: 20 },
  );
}

const lacquerAdmin = (...args: string[]) =>
  runNode(LAUNCHER, 'admin', ...args, '--url', platform.gatewayUrl, '--admin-key', ADMIN_KEY);

describe('operators', () => {
  it('deploy: SIGTERM hands the job back at once and the other worker finishes it', async () => {
    const { jobId, worker } = await jobInMasteringHands();
    const service = platform.services.get(worker);
    const stopping = performance.now();
    await service?.stop('SIGTERM');
    const exitSeconds = (performance.now() - stopping) / 1000;
    const handedBackAt = performance.now();
    await client.events(jobId);
    const doneSeconds = (performance.now() - handedBackAt) / 1000;
    const job = await client.job(jobId);
    console.log(
      `SIGTERM: ${worker} exited in ${exitSeconds.toFixed(2)} s; the job completed ${doneSeconds.toFixed(1)} s later`,
    );
    expect(job.status).toBe('completed');
    expect(exitSeconds).toBeLessThan(5);
    // Well inside the ack wait: the message was handed back (nak), not left to time out.
    expect(doneSeconds).toBeLessThan(ACK_WAIT_SECONDS - 5);
    expect(logs.some((line) => line.startsWith(`[${worker}]`) && line.includes('handed back'))).toBe(true);
    expect((await countJobEvents(jsm, 'MasterRendered')).get(jobId)).toBe(1);
    await service?.start();
  });

  it('dead letter: workers killed on every delivery fail the job; lacquer admin lists and retries it', async () => {
    const { jobId, worker } = await jobInMasteringHands();
    await platform.services.get(worker)?.stop('SIGKILL');
    inHand.forget(worker);
    // After the ack wait, the other worker gets the second (last) delivery, and dies too.
    const second = await masteringWorkerOf(jobId, (ACK_WAIT_SECONDS + 20) * 1000);
    await platform.services.get(second)?.stop('SIGKILL');
    inHand.forget(second);
    // The workers come back (as Kubernetes restarts them); after the ack wait, their next pull
    // finds the event out of deliveries and JetStream's MAX_DELIVERIES advisory reaches the reaper.
    await Promise.all([platform.services.get(worker)?.start(), platform.services.get(second)?.start()]);
    const failed = await waitFor(
      async () => {
        const job = await client.job(jobId);
        return job.status === 'failed' ? job : undefined;
      },
      { what: 'the dead letter to fail the job', timeoutMs: (ACK_WAIT_SECONDS + 30) * 1000 },
    );
    expect(failed.error?.code).toBe('STEP_ATTEMPTS_EXHAUSTED');

    const listed = await lacquerAdmin('failed-jobs');
    expect(listed.exitCode).toBe(0);
    expect(listed.stdout).toContain(`${jobId}  local`);
    expect(listed.stdout).toContain('STEP_ATTEMPTS_EXHAUSTED');
    const refused = await runNode(
      LAUNCHER,
      'admin',
      'failed-jobs',
      '--url',
      platform.gatewayUrl,
      '--admin-key',
      platform.apiKey,
    );
    expect([refused.exitCode, refused.stderr]).toEqual([1, expect.stringContaining('ADMIN_REQUIRED')]);

    const retried = await lacquerAdmin('retry', jobId);
    expect([retried.exitCode, retried.stdout.trim()]).toEqual([0, `${jobId}: retry 1 from master`]);
    await client.events(jobId);
    const job = await client.job(jobId);
    expect([job.status, job.retries, job.lastError?.code]).toEqual([
      'completed',
      1,
      'STEP_ATTEMPTS_EXHAUSTED',
    ]);
    expect((await countJobEvents(jsm, 'MasterRendered')).get(jobId)).toBe(1);
    const again = await lacquerAdmin('retry', jobId);
    expect([again.exitCode, again.stderr]).toEqual([1, expect.stringContaining('JOB_NOT_FAILED')]);
  });
});
