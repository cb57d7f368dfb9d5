import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectWithin, ffmpegLoudness } from '@lacquer/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BAD_INPUT_CASES } from '../../scripts/bad-input/bad-input-cases.ts';
import type { BadInputEntry, BadInputExpectation } from '../../scripts/bad-input/bad-input-manifest.ts';
import { writeBadInputCorpus } from '../../scripts/bad-input/write-bad-input-corpus.ts';
import { type Platform, startPlatform } from '../support/platform.ts';

// Issue 5: the whole bad-input corpus through the REST API, as a client sends it (POST
// /v1/uploads, PUT to the signed URL, POST /v1/jobs; then GET /v1/jobs until every job is
// done, and GET /v1/jobs/{id} for each answer), all jobs at once. Each file must get the manifest's answer: a correct master, a job failed with a
// documented code, or a refusal by the API; no service may exit or restart, no job may stay
// queued or processing.

/** The engine meets the target within 0.03 LU; ffmpeg's meter agrees with ours within 0.01 LU. */
const LOUDNESS_TOLERANCE_LU = 0.1;
/** Every job of the corpus must be completed or failed this long after the first upload. */
const JOBS_DEADLINE_MS = 150_000;
/** How often the job list is polled (GET /v1/jobs). */
const POLL_INTERVAL_MS = 500;
/** Files uploaded and submitted at once, as a busy client would. */
const CLIENT_CONCURRENCY = 8;
/** Longest wait a 429's Retry-After may ask of the client. */
const MAX_RETRY_AFTER_MS = 5_000;

/** What the API answered for a file: an expected answer, another one, or no answer in time. */
type Answer =
  | BadInputExpectation
  | { readonly outcome: 'failed'; readonly code: string }
  | { readonly outcome: 'rejected'; readonly httpStatus: number; readonly code: string }
  | { readonly outcome: 'not terminal'; readonly status: string };

interface FileResult {
  readonly answer: Answer;
  readonly jobId?: string;
  /** The job error's or the problem's message, logged when the answer is not the expected one. */
  readonly message?: string;
  /** From the job's creation to its last change (`updatedAt`), seconds. */
  readonly seconds?: number;
}

let platform: Platform | undefined;
let corpusDir: string;
let outDir: string;
let entries: readonly BadInputEntry[];
let target: { readonly integratedLufs: number; readonly truePeakDbtp: number };
let pidsBefore: Map<string, number>;
const results = new Map<string, FileResult>();
let runSeconds = 0;

beforeAll(async () => {
  corpusDir = await mkdtemp(join(tmpdir(), 'lacquer-bad-inputs-'));
  outDir = await mkdtemp(join(tmpdir(), 'lacquer-bad-inputs-out-'));
  const [written, started] = await Promise.allSettled([writeBadInputCorpus(corpusDir), startPlatform()]);
  if (started.status === 'fulfilled') platform = started.value;
  if (written.status === 'rejected') throw written.reason;
  if (started.status === 'rejected') throw started.reason;
  entries = written.value.files;
  target = written.value.target;
  pidsBefore = await servicePids();

  const startedAt = performance.now();
  const deadline = Date.now() + JOBS_DEADLINE_MS;
  // Every file is uploaded and submitted first (a few at a time), then the jobs are followed.
  const submitted = new Map<string, FileResult | string>();
  await inParallel(entries, CLIENT_CONCURRENCY, async (entry) => {
    submitted.set(entry.file, await submit(entry, deadline));
  });
  const jobIds = [...submitted.values()].filter((value): value is string => typeof value === 'string');
  await waitUntilTerminal(jobIds, deadline);
  for (const [file, resultOrJobId] of submitted) {
    results.set(file, typeof resultOrJobId === 'string' ? await jobResult(resultOrJobId) : resultOrJobId);
  }
  runSeconds = (performance.now() - startedAt) / 1000;
}, 240_000);

afterAll(async () => {
  await platform?.close();
  await rm(corpusDir, { recursive: true, force: true });
  await rm(outDir, { recursive: true, force: true });
});

describe('the bad-input corpus through the REST API', () => {
  it('has at least 30 files, each in the manifest', async () => {
    expect(entries.length).toBeGreaterThanOrEqual(30);
    const files = (await readdir(corpusDir)).filter((name) => name !== 'manifest.json');
    expect(files.sort()).toEqual(entries.map((entry) => entry.file).sort());
    const slowest = [...results]
      .filter(([, result]) => result.seconds !== undefined)
      .sort(([, a], [, b]) => b.seconds! - a.seconds!)
      .slice(0, 5)
      .map(([file, result]) => `${file} ${result.seconds!.toFixed(1)} s`);
    console.log(
      `${entries.length} files answered through the API in ${runSeconds.toFixed(1)} s; slowest jobs: ${slowest.join(', ')}`,
    );
  });

  it.each(BAD_INPUT_CASES.map((entry) => [entry.file, answerText(entry.expected), entry] as const))(
    '%s: %s',
    async (file, _, entry) => {
      const result = results.get(file);
      const got = result ? answerText(result.answer) : 'no answer';
      if (got !== answerText(entry.expected)) console.log(`${file}: ${JSON.stringify(result)}`);
      expect({ file, answer: result?.answer }).toEqual({ file, answer: entry.expected });
      if (entry.expected.outcome !== 'completed' || result?.jobId === undefined) return;

      // A correct master: on target and under the ceiling, by ffmpeg's meter.
      const masterPath = join(outDir, `${file}.master.wav`);
      await download(result.jobId, 'master.wav', masterPath);
      const measured = await ffmpegLoudness(masterPath);
      expectWithin(measured.integratedLufs, target.integratedLufs, LOUDNESS_TOLERANCE_LU, `${file}: LUFS`);
      expect(measured.truePeakDbtp, `${file}: dBTP`).toBeLessThanOrEqual(target.truePeakDbtp);
    },
  );

  it('no service exited or restarted: the same processes, each still ready', async () => {
    expect(await servicePids()).toEqual(pidsBefore);
    for (const [name, service] of platform!.services) {
      const ready = await fetch(`http://127.0.0.1:${service.port}/readyz`);
      expect({ name, running: service.running, ready: ready.status }).toEqual({
        name,
        running: true,
        ready: 200,
      });
    }
  });

  it('no job is left queued or processing', async () => {
    const jobs = await listJobs();
    const accepted = [...results.values()].filter((result) => result.jobId !== undefined);
    expect(jobs).toHaveLength(accepted.length);
    expect(jobs.filter((job) => job.status !== 'completed' && job.status !== 'failed')).toEqual([]);
  });
});

/** `completed`, `failed CODE`, `rejected STATUS CODE` or `not terminal (status)`. */
function answerText(answer: Answer): string {
  switch (answer.outcome) {
    case 'completed':
      return 'completed';
    case 'failed':
      return `failed ${answer.code}`;
    case 'rejected':
      return `rejected ${answer.httpStatus} ${answer.code}`;
    case 'not terminal':
      return `not terminal (${answer.status})`;
  }
}

/** A request to the gateway with the tenant's key. */
function api(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${platform!.gatewayUrl}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${platform!.apiKey}`, ...init.headers },
  });
}

/** The answer of a refused request: its status and problem code. */
async function rejected(response: Response): Promise<FileResult> {
  const body = (await response.json().catch(() => ({}))) as { code?: string; detail?: string };
  return {
    answer: { outcome: 'rejected', httpStatus: response.status, code: body.code ?? '(no problem code)' },
    ...(body.detail ? { message: body.detail } : {}),
  };
}

/** Uploads one file and asks for its master as a client would: the job id, or the refusal. */
async function submit(entry: BadInputEntry, deadline: number): Promise<FileResult | string> {
  const bytes = await readFile(join(corpusDir, entry.file));
  const created = await api('/v1/uploads', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ filename: entry.file, contentType: entry.contentType, sizeBytes: bytes.length }),
  });
  if (!created.ok) return rejected(created);
  const upload = (await created.json()) as {
    uploadId: string;
    uploadUrl: string;
    headers: Record<string, string>;
  };
  const put = await fetch(upload.uploadUrl, { method: 'PUT', headers: upload.headers, body: bytes });
  if (!put.ok) return rejected(put);

  for (;;) {
    const accepted = await api('/v1/jobs', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ input: { uploadId: upload.uploadId }, target }),
    });
    if (accepted.ok) return ((await accepted.json()) as { jobId: string }).jobId;
    // A tenant over its limit of running jobs is told when to come back; a client does.
    if (accepted.status !== 429 || Date.now() > deadline) return rejected(accepted);
    const retryAfterSeconds = Number(accepted.headers.get('retry-after') ?? 1);
    await accepted.body?.cancel();
    await sleep(Math.min(MAX_RETRY_AFTER_MS, Math.max(POLL_INTERVAL_MS, retryAfterSeconds * 1000)));
  }
}

/**
 * Polls the tenant's job list (GET /v1/jobs, one request for all of them, not one per job)
 * until every one of `jobIds` is completed or failed, or the deadline passes.
 */
async function waitUntilTerminal(jobIds: readonly string[], deadline: number): Promise<void> {
  const waiting = new Set(jobIds);
  while (waiting.size > 0 && Date.now() <= deadline) {
    await sleep(POLL_INTERVAL_MS);
    for (const job of await listJobs()) {
      if (job.status === 'completed' || job.status === 'failed') waiting.delete(job.jobId);
    }
  }
}

/** The answer of a job, from GET /v1/jobs/{jobId}: completed, failed with its code, or not terminal. */
async function jobResult(jobId: string): Promise<FileResult> {
  const job = (await (await api(`/v1/jobs/${jobId}`)).json()) as {
    status: string;
    createdAt: string;
    updatedAt: string;
    error?: { code: string; message: string };
  };
  const seconds = (Date.parse(job.updatedAt) - Date.parse(job.createdAt)) / 1000;
  if (job.status === 'completed') return { answer: { outcome: 'completed' }, jobId, seconds };
  if (job.status === 'failed') {
    const { code = '(no code)', message = '' } = job.error ?? {};
    return { answer: { outcome: 'failed', code }, jobId, message, seconds };
  }
  return { answer: { outcome: 'not terminal', status: job.status }, jobId };
}

/** Every job of the tenant, page by page (GET /v1/jobs). */
async function listJobs(): Promise<{ jobId: string; status: string }[]> {
  const jobs: { jobId: string; status: string }[] = [];
  let cursor: string | null = null;
  do {
    const page = (await (await api(`/v1/jobs?limit=100${cursor ? `&cursor=${cursor}` : ''}`)).json()) as {
      jobs: { jobId: string; status: string }[];
      nextCursor: string | null;
    };
    jobs.push(...page.jobs);
    cursor = page.nextCursor;
  } while (cursor);
  return jobs;
}

/** GET the artifact (a 302 to a signed URL), follow it and write the bytes to `path`. */
async function download(jobId: string, name: string, path: string): Promise<void> {
  const redirect = await api(`/v1/jobs/${jobId}/artifacts/${name}`, { redirect: 'manual' });
  expect(redirect.status).toBe(302);
  const file = await fetch(redirect.headers.get('location') ?? '');
  expect(file.status).toBe(200);
  await writeFile(path, new Uint8Array(await file.arrayBuffer()));
}

/**
 * The process id of each service of the platform, by name, from /proc: the children of this
 * process that run `services/<service>/src/main.ts`, told apart by their `PORT`.
 */
async function servicePids(): Promise<Map<string, number>> {
  const services = platform!.services;
  const nameByPort = new Map([...services].map(([name, service]) => [service.port, name]));
  const pids = new Map<string, number>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const [stat = '', cmdline = '', environ = ''] = await Promise.all(
      ['stat', 'cmdline', 'environ'].map((file) =>
        readFile(`/proc/${entry}/${file}`, 'utf8').catch(() => ''),
      ),
    );
    // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces, so count from its ')'.
    const parentPid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (parentPid !== process.pid || !/services\/[a-z-]+\/src\/main\.ts/.test(cmdline)) continue;
    const name = nameByPort.get(Number(/(?:^|\0)PORT=(\d+)/.exec(environ)?.[1]));
    if (name !== undefined) pids.set(name, Number(entry));
  }
  expect([...pids.keys()].sort()).toEqual([...services.keys()].sort());
  return pids;
}

/** Runs `work` on each item, at most `concurrency` at a time. */
async function inParallel<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
