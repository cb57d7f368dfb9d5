import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CONSUMERS, JOBS_STREAM_NAME } from '@lacquer/contracts';
import { ERROR_CODES } from '@lacquer/errors';
import { fixturePath } from '@lacquer/testing';
import { type JetStreamClient, type JetStreamManager, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type JobResource,
  type LacquerClient,
  lacquerClient,
} from '../../scripts/local-stack/lacquer-client.ts';
import { type Chaos, startChaos } from '../support/chaos.ts';
import { countJobEvents, jobHistory } from '../support/job-events.ts';
import { type Platform, startPlatform } from '../support/platform.ts';
import { stepsInHand } from '../support/steps-in-hand.ts';

// Issue 5: a batch of jobs while workers are SIGKILLed and restarted every few seconds and
// nats-server restarts once (file storage). Every job must end completed with exactly one
// MasterRendered event, or failed with a documented code; every master must be the bytes of a
// clean run's. Replay a run's kill schedule with LACQUER_CHAOS_SEED=<seed> (printed).

/** Jobs in the batch: each of {@link INPUTS} this many times. */
const JOBS_PER_INPUT = 7;
/** Excerpt length: short enough that 21 jobs and the chaos fit the deadline on two cores. */
const EXCERPT_SECONDS = 4;
/** From the chaos's start until every job must be completed or failed. */
const BATCH_DEADLINE_MS = 120_000;
/** After the batch, how long the worker consumers may take to hand back every redelivery. */
const QUIESCE_TIMEOUT_MS = 20_000;
/** Kills the chaos must have made for the run to count. */
const MIN_KILLS = 6;
/**
 * Worker settings for a bounded run: a killed worker's delivery comes back after the ack
 * wait (4 s instead of 30 s; the heartbeat is a third of it), and no step runs for ever.
 */
const WORKER_ENV = { LACQUER_ACK_WAIT_SECONDS: '4', LACQUER_STEP_TIMEOUT_SECONDS: '30' };
const WORKERS = ['analyzer', 'decision', 'mastering', 'mastering-2'];

/** The distinct inputs: a fixture excerpt and a target; each is mastered once in the clean run. */
const INPUTS = [
  { fixture: 'audio/metal-madness-mix-15s.flac', offsetSeconds: 2, target: { preset: 'spotify' } },
  {
    fixture: 'audio/chaos-god-mix-15s.flac',
    offsetSeconds: 5,
    target: { integratedLufs: -10, truePeakDbtp: -1 },
  },
  {
    fixture: 'audio/metal-madness-mix-15s.flac',
    offsetSeconds: 8,
    target: { integratedLufs: -16, truePeakDbtp: -2 },
  },
] as const;

const TERMINAL = new Set(['completed', 'failed']);

let platform: Platform;
let client: LacquerClient;
let workDir: string;
let nc: NatsConnection;
let js: JetStreamClient;
let jsm: JetStreamManager;
const inHand = stepsInHand();
/** master.wav's SHA-256 of the clean run, by input index. */
const cleanDigests: string[] = [];
const excerpts: string[] = [];

const sha256 = async (path: string): Promise<string> =>
  createHash('sha256')
    .update(await readFile(path))
    .digest('hex');

async function masterDigest(jobId: string): Promise<string> {
  const path = join(workDir, `${jobId}-master.wav`);
  await client.download(jobId, 'master.wav', path);
  return sha256(path);
}

/** The job's view, or `undefined` while the gateway cannot answer (nats-server restarting). */
async function tryJob(jobId: string): Promise<JobResource | undefined> {
  return client.job(jobId).catch(() => undefined);
}

/** Polls every job until each is completed or failed, or the deadline passes; returns the last views. */
async function followJobs(jobIds: readonly string[], deadline: number): Promise<Map<string, JobResource>> {
  const views = new Map<string, JobResource>();
  while (Date.now() < deadline) {
    const open = jobIds.filter((jobId) => !TERMINAL.has(views.get(jobId)?.status ?? ''));
    if (open.length === 0) break;
    for (const jobId of open) {
      const view = await tryJob(jobId);
      if (view) views.set(jobId, view);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return views;
}

/** Waits until no worker consumer has a message pending or in hand (late redeliveries done). */
async function quiesce(timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const busy = await Promise.all(
      (['analyzer', 'decision', 'mastering'] as const).map(async (name) => {
        const info = await jsm.consumers.info(JOBS_STREAM_NAME, CONSUMERS[name].durableName);
        return info.num_pending + info.num_ack_pending;
      }),
    ).catch(() => [1]);
    if (busy.every((count) => count === 0)) return true;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return false;
}

async function describeJob(jobId: string, view: JobResource | undefined): Promise<string> {
  const shown = view
    ? JSON.stringify({
        status: view.status,
        currentStep: view.currentStep,
        progress: view.progress,
        attempts: view.attempts,
        retries: view.retries,
        error: view.error,
        lastError: view.lastError,
      })
    : '(no view)';
  const history = await jobHistory(js, jobId).catch((error: unknown) => [String(error)]);
  return [`job ${jobId}: ${shown}`, ...history.map((line) => `    ${line}`)].join('\n');
}

beforeAll(async () => {
  platform = await startPlatform({
    masteringWorkers: 2,
    env: WORKER_ENV,
    output: (name, line) => inHand.observe(name, line),
  });
  client = lacquerClient(platform.gatewayUrl, platform.apiKey);
  workDir = await mkdtemp(join(tmpdir(), 'lacquer-fault-'));
  for (const [index, input] of INPUTS.entries()) {
    const path = join(workDir, `input-${index}.flac`);
    await promisify(execFile)('ffmpeg', [
      ...['-v', 'error', '-ss', String(input.offsetSeconds), '-t', String(EXCERPT_SECONDS)],
      ...['-i', fixturePath(input.fixture), '-c:a', 'flac', path],
    ]);
    excerpts.push(path);
  }
  nc = await connect({ servers: platform.nats.url, maxReconnectAttempts: -1, reconnectTimeWait: 500 });
  js = jetstream(nc);
  jsm = await jetstreamManager(nc);
});
afterAll(async () => {
  await nc?.close();
  await platform?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('fault injection: workers SIGKILLed and nats-server restarted during a batch', () => {
  it('masters each input once without chaos (the reference bytes)', async () => {
    const jobs = await Promise.all(
      INPUTS.map(async (input, index) => {
        const uploadId = await client.upload(excerpts[index] ?? '', 'audio/flac');
        return client.createJob({ input: { uploadId }, target: input.target });
      }),
    );
    const views = await followJobs(
      jobs.map(({ jobId }) => jobId),
      Date.now() + 60_000,
    );
    for (const [index, { jobId }] of jobs.entries()) {
      expect(views.get(jobId)?.status).toBe('completed');
      cleanDigests[index] = await masterDigest(jobId);
    }
  }, 90_000);

  it(
    'ends every job of a batch completed (rendered once, same bytes) or failed with a code',
    async () => {
      expect(cleanDigests).toHaveLength(INPUTS.length);
      const batch: { jobId: string; input: number }[] = [];
      const uploads = await Promise.all(
        Array.from({ length: INPUTS.length * JOBS_PER_INPUT }, async (_, index) => ({
          input: index % INPUTS.length,
          uploadId: await client.upload(excerpts[index % INPUTS.length] ?? '', 'audio/flac'),
        })),
      );
      for (const { input, uploadId } of uploads) {
        const { jobId } = await client.createJob({ input: { uploadId }, target: INPUTS[input]?.target });
        batch.push({ jobId, input });
      }
      const jobIds = batch.map(({ jobId }) => jobId);

      const startedAt = Date.now();
      const chaos: Chaos = startChaos({
        targets: WORKERS.map((name) => {
          const service = platform.services.get(name);
          if (!service) throw new Error(`no service ${name}`);
          return service;
        }),
        nats: platform.nats,
        maxDown: 2,
        inHand: (name) => inHand.of(name),
        onKilled: (name) => inHand.forget(name),
      });
      let views: Map<string, JobResource>;
      try {
        views = await followJobs(jobIds, startedAt + BATCH_DEADLINE_MS);
      } finally {
        await chaos.stop();
      }
      const batchMs = Date.now() - startedAt;
      const quiet = await quiesce(QUIESCE_TIMEOUT_MS);
      if (!quiet) console.log(`worker consumers still busy ${QUIESCE_TIMEOUT_MS} ms after the batch`);
      for (const jobId of jobIds) {
        const view = await tryJob(jobId);
        if (view) views.set(jobId, view);
      }

      const kills = chaos.actions.flatMap((action) => (action.kind === 'kill' ? [action] : []));
      const natsRestarts = chaos.actions.filter((action) => action.kind === 'nats-restart');
      const killsInHand = kills.filter((kill) => kill.inHand.length > 0);
      for (const kill of killsInHand) {
        const work = kill.inHand.map((step) => `${step.step} of ${step.jobId} (attempt ${step.attempt})`);
        console.log(`kill of ${kill.target} at +${(kill.atMs / 1000).toFixed(1)}s took: ${work.join(', ')}`);
      }

      const rendered = await countJobEvents(jsm, 'MasterRendered');
      const completedEvents = await countJobEvents(jsm, 'JobCompleted');
      const problems: { jobId: string; problem: string }[] = [];
      const failedByCode = new Map<string, number>();
      for (const { jobId, input } of batch) {
        const view = views.get(jobId);
        const status = view?.status ?? 'unknown';
        const renders = rendered.get(jobId) ?? 0;
        const completions = completedEvents.get(jobId) ?? 0;
        if (status === 'completed') {
          if (renders !== 1) problems.push({ jobId, problem: `completed with ${renders} MasterRendered` });
          const digest = await masterDigest(jobId);
          if (digest !== cleanDigests[input])
            problems.push({ jobId, problem: `master.wav ${digest} differs from the clean run's` });
        } else if (status === 'failed') {
          const code = view?.error?.code ?? '';
          failedByCode.set(code, (failedByCode.get(code) ?? 0) + 1);
          if (!Object.hasOwn(ERROR_CODES, code))
            problems.push({ jobId, problem: `failed with an undocumented code "${code}"` });
          if (renders > 1) problems.push({ jobId, problem: `failed with ${renders} MasterRendered` });
        } else {
          problems.push({ jobId, problem: `left ${status} at the deadline` });
        }
        if (completions > 1) problems.push({ jobId, problem: `${completions} JobCompleted events` });
      }
      const completed = batch.filter(({ jobId }) => views.get(jobId)?.status === 'completed').length;
      const failed = [...failedByCode].map(([code, count]) => `${code}×${count}`).join(' ') || 'none';
      console.log(
        `fault test (seed ${chaos.seed}): ${batch.length} jobs, ${completed} completed, ` +
          `failed ${failed}; ${kills.length} kills (${killsInHand.length} with a job in hand), ` +
          `${natsRestarts.length} nats-server restart; batch ${(batchMs / 1000).toFixed(1)} s`,
      );
      for (const { jobId } of batch.filter(({ jobId }) => views.get(jobId)?.status === 'failed')) {
        if (!problems.some((entry) => entry.jobId === jobId))
          console.log(`failed (allowed)\n${await describeJob(jobId, views.get(jobId))}`);
      }
      for (const jobId of new Set(problems.map((entry) => entry.jobId))) {
        const listed = problems.filter((entry) => entry.jobId === jobId).map((entry) => entry.problem);
        console.log(`${listed.join('; ')}\n${await describeJob(jobId, views.get(jobId))}`);
      }

      expect(problems.map(({ jobId, problem }) => `${jobId}: ${problem}`)).toEqual([]);
      expect(kills.length).toBeGreaterThanOrEqual(MIN_KILLS);
      expect(natsRestarts.map((action) => action.downMs !== null)).toEqual([true]);
      expect(killsInHand.length, 'no kill landed while a worker had a job in hand').toBeGreaterThan(0);
      expect(kills.every((kill) => kill.restartMs !== null)).toBe(true);
    },
    BATCH_DEADLINE_MS + QUIESCE_TIMEOUT_MS + 60_000,
  );
});
