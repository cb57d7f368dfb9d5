import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PlanarAudio } from '@lacquer/dsp';
import {
  createFloatFrameFile,
  createWavBlockWriter,
  decodeAudio,
  decodeToFrameFile,
  encodeAudio,
  type FloatFrameFile,
} from '@lacquer/media';
import { expectWithin, ffmpegLoudness, fixturePath } from '@lacquer/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze } from './analysis.ts';
import { analyzeFrames } from './analyze-frames.ts';
import { decide } from './decide.ts';
import { resolveTarget } from './delivery-target.ts';
import { LOUDNESS_TOLERANCE_LU } from './loudness-fit.ts';
import { renderMaster } from './master-track.ts';
import type { MasteringPlan } from './mastering-plan.ts';
import { renderMasterFrames } from './render-frames.ts';
import { createDspPool, type DspPool } from './workers/dsp-pool.ts';

// The long-programme path (issue 5) against the in-memory one on the same programme: every
// streaming stage computes what its in-memory counterpart computes, in the same order, so
// the analysis and the master must be equal, not merely close (a difference of one rounding
// would point at a stage that is not the same computation). The programme is short here (a
// 45 s of real music, the fixtures in turn), which exercises every pass over many blocks:
// the passes do not depend on the length, only their number of blocks does.

// ffmpeg prints the linear true peak to 3 decimals: ±0.0005 is ±0.005 dB near −1 dBTP.
const FFMPEG_PEAK_PRINT_RESOLUTION_DB = 0.005;
/** The seed `encodeAudio` dithers with; unused by 24-bit output. */
const DITHER_SEED = 0x4c41_4351;

let dir: string;
let music: PlanarAudio;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lacquer-long-'));
  const [chaos, metal] = await Promise.all(
    ['audio/chaos-god-mix-15s.flac', 'audio/metal-madness-mix-15s.flac'].map((name) =>
      decodeAudio(fixturePath(name)),
    ),
  );
  music = concatenated([chaos!, metal!, chaos!]);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function concatenated(parts: readonly PlanarAudio[]): PlanarAudio {
  const length = parts.reduce((sum, part) => sum + part.channels[0]!.length, 0);
  const channels = parts[0]!.channels.map(() => new Float32Array(length));
  let at = 0;
  for (const part of parts) {
    part.channels.forEach((channel, c) => {
      channels[c]!.set(channel, at);
    });
    at += part.channels[0]!.length;
  }
  return { sampleRateHz: parts[0]!.sampleRateHz, channels };
}

const copyOf = (audio: PlanarAudio): PlanarAudio => ({
  sampleRateHz: audio.sampleRateHz,
  channels: audio.channels.map((channel) => channel.slice()),
});
const bytesOf = (x: Float32Array) => Buffer.from(x.buffer, x.byteOffset, x.byteLength);
const sha256 = async (path: string) =>
  createHash('sha256')
    .update(await readFile(path))
    .digest('hex');

/** `audio` written to a scratch file as a decoded programme would be. */
function frameFileOf(audio: PlanarAudio, name: string): FloatFrameFile {
  const file = createFloatFrameFile({
    directory: dir,
    name,
    channelCount: audio.channels.length,
    sampleRateHz: audio.sampleRateHz,
  });
  file.write(0, audio.channels);
  return file;
}

/** The long-programme render of `programme` into a 24-bit WAV at `masterPath`. */
async function renderLong(
  programme: FloatFrameFile,
  plan: MasteringPlan,
  masterPath: string,
  pool?: DspPool,
) {
  const scratch: FloatFrameFile[] = [];
  const { sampleRateHz, channelCount, lengthSamples } = programme;
  const writer = createWavBlockWriter(masterPath, {
    sampleFormat: 'pcm24',
    channelCount,
    sampleRateHz,
    lengthSamples,
    ditherSeed: DITHER_SEED,
  });
  const master = Array.from({ length: channelCount }, () => new Float32Array(lengthSamples));
  let written = 0;
  try {
    const rendered = await renderMasterFrames(
      plan,
      { startSeconds: 20, endSeconds: 50, loudnessLufs: -10 },
      {
        programme,
        createScratch: (name) => {
          const file = createFloatFrameFile({
            directory: dir,
            name: `${name}-${masterPath.length}`,
            channelCount: 1,
            sampleRateHz,
          });
          scratch.push(file);
          return file;
        },
        writeMaster: (block) => {
          writer.write(block);
          block.forEach((channel, c) => {
            master[c]!.set(channel, written);
          });
          written += block[0]!.length;
        },
      },
      pool ? { pool } : {},
    );
    writer.finish();
    return { ...rendered, master };
  } finally {
    writer.abort();
    for (const file of scratch) file.remove();
  }
}

/** A plan with every stage the render has: high-pass, match EQ (mid and side), compressor, limiter. */
function everyStage(plan: MasteringPlan): MasteringPlan {
  return {
    ...plan,
    highPass: { frequencyHz: 30, order: 4, reason: 'test' },
    compressor: { thresholdDb: -20, ratio: 2, kneeDb: 6, attackMs: 20, releaseMs: 200, reason: 'test' },
  };
}

describe('long-programme path against the in-memory path', () => {
  const cases = [
    {
      name: 'auto mode, −9 LUFS (limiter busy), peaks in a pool thread',
      target: resolveTarget({ integratedLufs: -9 }),
      mono: false,
      stages: false,
      threads: true,
    },
    {
      name: 'reference mode with every stage, −14 LUFS',
      target: resolveTarget({}),
      mono: false,
      stages: true,
      threads: false,
    },
    {
      name: 'mono, auto mode, −11 LUFS',
      target: resolveTarget({ integratedLufs: -11 }),
      mono: true,
      stages: false,
      threads: false,
    },
  ];
  for (const { name, target, mono, stages, threads } of cases) {
    it(`differential: ${name}: the same analysis and the same master, on target by ffmpeg`, async () => {
      const input: PlanarAudio = mono
        ? { sampleRateHz: music.sampleRateHz, channels: [music.channels[0]!] }
        : music;
      const programme = frameFileOf(input, `programme-${name.length}`);
      const pool = threads ? createDspPool() : undefined;
      try {
        const inMemory = await analyze(input);
        const streamed = await analyzeFrames(programme, pool);
        expect(streamed).toEqual(inMemory);

        const reference = stages
          ? (await analyze(copyOf({ ...input, channels: input.channels.map((x) => x.subarray(0, 600_000)) })))
              .analysis
          : null;
        const decided = decide(inMemory.analysis, target, { reference });
        const plan = stages ? everyStage(decided) : decided;
        const section = { startSeconds: 20, endSeconds: 50, loudnessLufs: -10 };
        const expected = await renderMaster(copyOf(input), plan, section);
        const masterPath = join(dir, `master-${name.length}.wav`);
        const long = await renderLong(programme, plan, masterPath, pool);

        long.master.forEach((channel, c) => {
          expect(bytesOf(channel).equals(bytesOf(expected.master.channels[c]!))).toBe(true);
        });
        long.preview.channels.forEach((channel, c) => {
          expect(bytesOf(channel).equals(bytesOf(expected.preview.channels[c]!))).toBe(true);
        });
        expect(long.output).toEqual(expected.output);
        const { stageSeconds: _long, ...longReport } = long.render;
        const { stageSeconds: _memory, ...memoryReport } = expected.render;
        expect(longReport).toEqual(memoryReport);
        if (!mono) expect(long.render.limiterMaxGainReductionDb).toBeGreaterThan(0);

        // The WAV written block by block is the file encodeAudio writes of the same master.
        const wholePath = join(dir, `whole-${name.length}.wav`);
        await encodeAudio(expected.master, wholePath, { container: 'wav', sampleFormat: 'pcm24' });
        expect(await sha256(masterPath)).toBe(await sha256(wholePath));

        // The promise, by ffmpeg's independent meter.
        const ffmpeg = await ffmpegLoudness(masterPath);
        expectWithin(ffmpeg.integratedLufs, target.integratedLufs, LOUDNESS_TOLERANCE_LU, 'ffmpeg I');
        expect(ffmpeg.truePeakDbtp).toBeLessThanOrEqual(
          target.truePeakCeilingDbtp + FFMPEG_PEAK_PRINT_RESOLUTION_DB,
        );
      } finally {
        await pool?.close();
        programme.remove();
      }
    });
  }

  it('property: the same input gives the same bytes, decoded from the file', async () => {
    const path = fixturePath('audio/metal-madness-mix-15s.flac');
    const hashes: string[] = [];
    for (const run of [1, 2]) {
      const programme = await decodeToFrameFile(path, { directory: dir, name: `determinism-${run}` });
      try {
        const { analysis } = await analyzeFrames(programme);
        const plan = decide(analysis, resolveTarget({ integratedLufs: -8 }));
        const masterPath = join(dir, `determinism-${run}.wav`);
        await renderLong(programme, plan, masterPath);
        hashes.push(await sha256(masterPath));
      } finally {
        programme.remove();
      }
    }
    expect(hashes[1]).toBe(hashes[0]);
  });
});
