import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureTonalBalance, tonalDistanceDb } from '@lacquer/dsp';
import { decodeAudio } from '@lacquer/media';
import { expectWithin, ffmpegLoudness, fixturePath } from '@lacquer/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LacquerClient, lacquerClient } from '../../scripts/local-stack/lacquer-client.ts';
import { type Platform, startPlatform } from '../support/platform.ts';

/** The engine meets the target within 0.03 LU; ffmpeg's meter agrees with ours within 0.01 LU. */
const LOUDNESS_TOLERANCE_LU = 0.1;

let platform: Platform;
let client: LacquerClient;
let outDir: string;
/** Every JSON log line of every service process. */
const logLines: { service: string; record: Record<string, unknown> }[] = [];

beforeAll(async () => {
  platform = await startPlatform({
    output: (service, line) => {
      if (line.startsWith('{')) logLines.push({ service, record: JSON.parse(line) });
    },
  });
  client = lacquerClient(platform.gatewayUrl, platform.apiKey);
  outDir = await mkdtemp(join(tmpdir(), 'lacquer-e2e-out-'));
});
afterAll(async () => {
  await platform?.close();
  await rm(outDir, { recursive: true, force: true });
});

describe('a job through the platform (gateway, analyzer, decision, mastering on JetStream)', () => {
  it('uploads a real mix, follows the job to completed, and downloads a master on target', async () => {
    const uploadId = await client.upload(fixturePath('audio/metal-madness-mix-15s.flac'), 'audio/flac');
    const { jobId, status } = await client.createJob({
      input: { uploadId },
      target: { integratedLufs: -12, truePeakDbtp: -1.5 },
    });
    expect(status).toBe('queued');

    const events = await client.events(jobId);
    const statuses = events.map((event) => JSON.parse(event.data) as { status: string; progress: number });
    expect(statuses.at(-1)?.status).toBe('completed');
    expect(statuses.some((view) => view.status === 'processing')).toBe(true);
    const progress = statuses.map((view) => view.progress);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));

    const job = await client.job(jobId);
    expect(job.status).toBe('completed');
    expect(job.progress).toBe(100);
    expect(job.artifacts.map((artifact) => artifact.name).sort()).toEqual([
      'analysis.json',
      'decision.json',
      'master.wav',
      'preview.mp3',
      'report.json',
    ]);

    const masterPath = join(outDir, 'master.wav');
    const { status: redirectStatus } = await client.download(jobId, 'master.wav', masterPath);
    expect(redirectStatus).toBe(302);
    const measured = await ffmpegLoudness(masterPath);
    expectWithin(measured.integratedLufs, -12, LOUDNESS_TOLERANCE_LU);
    expect(measured.truePeakDbtp).toBeLessThanOrEqual(-1.5);
    expectWithin(job.metrics.output?.integratedLoudnessLufs ?? Number.NaN, measured.integratedLufs, 0.05);

    await client.download(jobId, 'preview.mp3', join(outDir, 'preview.mp3'));
    const previewMeasured = await ffmpegLoudness(join(outDir, 'preview.mp3'));
    expect(previewMeasured.integratedLufs).toBeGreaterThan(-20);

    // One trace per job across the four processes: every service logged this job's lines
    // with the same trace id, carried from the REST call in the events' traceparent headers.
    const jobLines = logLines.filter(({ record }) => record.jobId === jobId);
    const traceIdsByService = new Map<string, Set<unknown>>();
    for (const { service, record } of jobLines) {
      traceIdsByService.set(service, (traceIdsByService.get(service) ?? new Set()).add(record.traceId));
    }
    const traceIds = new Set(jobLines.map(({ record }) => record.traceId));
    expect([...traceIdsByService.keys()].map((name) => name.replace(/-\d+$/, '')).sort()).toEqual([
      'analyzer',
      'decision',
      'gateway',
      'mastering',
    ]);
    expect(traceIds.size).toBe(1);
    expect([...traceIds][0]).toMatch(/^[0-9a-f]{32}$/);
  });

  it('masters to a reference with the amounts of the request', async () => {
    const inputPath = fixturePath('audio/metal-madness-mix-15s.flac');
    const referencePath = fixturePath('audio/chaos-god-mix-15s.flac');
    const { jobId } = await client.createJob({
      input: { uploadId: await client.upload(inputPath, 'audio/flac') },
      reference: {
        uploadId: await client.upload(referencePath, 'audio/flac'),
        widthPercent: 50,
        densityPercent: 0,
      },
    });
    const events = await client.events(jobId);
    expect(JSON.parse(events.at(-1)?.data ?? '{}').status).toBe('completed');

    const decisionPath = join(outDir, 'decision.json');
    await client.download(jobId, 'decision.json', decisionPath);
    const plan = JSON.parse(await readFile(decisionPath, 'utf8'));
    expect(plan).toMatchObject({
      mode: 'reference',
      amounts: { tonePercent: 100, widthPercent: 50, densityPercent: 0 },
      limiter: { peakToLoudnessDb: null },
    });
    expect(plan.matchEq.midGainDb.length).toBeGreaterThan(200);

    const masterPath = join(outDir, 'reference-master.wav');
    await client.download(jobId, 'master.wav', masterPath);
    const measured = await ffmpegLoudness(masterPath);
    expectWithin(measured.integratedLufs, -14, LOUDNESS_TOLERANCE_LU);
    expect(measured.truePeakDbtp).toBeLessThanOrEqual(-1);
    const [input, reference, master] = await Promise.all(
      [inputPath, referencePath, masterPath].map(async (path) =>
        measureTonalBalance(await decodeAudio(path)),
      ),
    );
    // The two excerpts are about 3 dB apart in tone; matching must close most of that.
    expect(tonalDistanceDb(master!, reference!)).toBeLessThan(0.5 * tonalDistanceDb(input!, reference!));
  });

  it('fails a job whose upload is not audio with a stable code', async () => {
    const notAudio = join(outDir, 'not-audio.wav');
    await writeFile(notAudio, 'this is text, not a RIFF/WAVE file\n'.repeat(100));
    const uploadId = await client.upload(notAudio, 'audio/wav');
    const { jobId } = await client.createJob({ input: { uploadId } });
    const events = await client.events(jobId);
    const last = JSON.parse(events.at(-1)?.data ?? '{}') as { status: string; error?: { code: string } };
    expect([last.status, last.error?.code]).toEqual(['failed', 'MEDIA_UNSUPPORTED']);
  });
});
