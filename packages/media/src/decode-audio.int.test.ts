import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { frameCount, type PlanarAudio } from '@lacquer/dsp';
import { concat, expectWithin, fixturePath, whiteNoise } from '@lacquer/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAudio } from './decode-audio.ts';
import { decodeAudioBlocks, decodeAudioBlocksWithFfmpeg } from './decode-audio-blocks.ts';
import { probeAudio } from './probe-audio.ts';
import { floatWavBytes } from './test-support/float-wav-bytes.ts';
import { planarPeak } from './test-support/planar-peak.ts';
import { runFfmpegCli } from './test-support/run-ffmpeg-cli.ts';

/** The fixture is 15 s by construction (`-t 15`, tests/fixtures/README.md); the brief's tolerance. */
const FIXTURE_DURATION_TOLERANCE_SECONDS = 0.01;
/** Float WAV decodes bit-exact: no tolerance. */
const EXACT = 0;
/** ffmpeg's `sine` source writes 16-bit samples of amplitude 1/8 (its documented default): one LSB. */
const SINE_PEAK = 0.125;
const SINE_PEAK_TOLERANCE = 1 / 32_768;

/** A stem of the corpus (../shared/corpus, not in a clean clone): Vorbis that peaks at +2.0 dBFS (corpus README). */
const CORPUS_OGG = fileURLToPath(
  new URL('../../../../shared/corpus/muldjord/chaos_god/song.ogg', import.meta.url),
);
/** ffmpeg's ebur128 sample peak of that stem rounds to +2.0 dBFS (corpus README): ±0.05 dB covers the rounding. */
const CORPUS_PEAK_DBFS = 2.0;
const CORPUS_PEAK_TOLERANCE_DB = 0.05;

/** One MPEG-1 Layer III frame at 44.1 kHz (1152 samples): without a Xing header, delay and padding are not trimmed. */
const MP3_FRAME_SECONDS = 1152 / 44_100;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lacquer-decode-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Samples that differ between `a` and `b` (bit patterns, so NaN = NaN and −0 ≠ 0). */
function mismatches(a: PlanarAudio, b: PlanarAudio): number {
  let count = Math.abs(frameCount(a) - frameCount(b)) * a.channels.length;
  for (let c = 0; c < a.channels.length; c++) {
    const x = a.channels[c]!;
    const y = b.channels[c]!;
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (!Object.is(x[i], y[i])) count++;
  }
  return count;
}

async function concatBlocks(
  blocks: AsyncIterable<PlanarAudio>,
): Promise<{ audio: PlanarAudio; lengths: number[] }> {
  const parts: PlanarAudio[] = [];
  for await (const block of blocks) parts.push(block);
  return { audio: concat(...parts), lengths: parts.map(frameCount) };
}

/** File descriptors of this process open on `path` (Linux: the links of /proc/self/fd). */
async function descriptorsOf(path: string): Promise<number> {
  const fds = await readdir('/proc/self/fd');
  const targets = await Promise.all(fds.map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')));
  return targets.filter((target) => target === path).length;
}

/** ffmpeg processes that are children of this test worker (zombies included). */
function ffmpegChildren(): string[] {
  const listing = execFileSync('ps', ['--ppid', String(process.pid), '-o', 'pid=,stat=,comm='], {
    encoding: 'utf8',
  });
  return listing
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => / ff(mpeg|probe)$/.test(line));
}

describe('decodeAudio', () => {
  it('decodes the committed excerpt at its own 44.1 kHz, 2 channels, 15 s', async () => {
    const audio = await decodeAudio(fixturePath('audio/metal-madness-mix-15s.flac'));
    expect(audio.sampleRateHz).toBe(44_100);
    expect(audio.channels).toHaveLength(2);
    expectWithin(frameCount(audio) / 44_100, 15, FIXTURE_DURATION_TOLERANCE_SECONDS, 'duration (s)');
    expect(planarPeak(audio)).toBeGreaterThan(0.1); // music, not silence
  });

  it('decodes into SharedArrayBuffers on request, with the same samples', async () => {
    const path = fixturePath('audio/metal-madness-mix-15s.flac');
    const [plain, shared] = await Promise.all([decodeAudio(path), decodeAudio(path, { shared: true })]);
    for (const [c, channel] of shared.channels.entries()) {
      expect(channel.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(channel).toEqual(plain.channels[c]);
    }
  });

  it('keeps samples over full scale: a float WAV peaking at 1.5 decodes to 1.5, bit for bit', async () => {
    const source = whiteNoise({ sampleRateHz: 48_000, durationSeconds: 1, rmsDbfs: -12, seed: 5 });
    source.channels[1]![1234] = 1.5;
    source.channels[0]![777] = -1.25;
    const path = join(dir, 'hot.wav');
    await writeFile(path, floatWavBytes(source));
    const audio = await decodeAudio(path);
    expectWithin(planarPeak(audio), 1.5, EXACT, 'peak');
    expect(audio.channels[0]![777]).toBe(-1.25);
    expect(mismatches(audio, source)).toBe(0);
  });

  it.skipIf(!existsSync(CORPUS_OGG))(
    'decodes corpus Vorbis above 0 dBFS without clipping (+2 dBFS peak)',
    async () => {
      const audio = await decodeAudio(CORPUS_OGG);
      const peakDbfs = 20 * Math.log10(planarPeak(audio));
      expectWithin(peakDbfs, CORPUS_PEAK_DBFS, CORPUS_PEAK_TOLERANCE_DB, 'sample peak (dBFS)');
    },
  );

  it.each<[name: string, rate: number, layout: string, channels: number, ext: string, codec: string[]]>([
    ['mono 8 kHz WAV', 8000, 'mono', 1, 'wav', ['-c:a', 'pcm_s16le']],
    ['mono 8 kHz FLAC', 8000, 'mono', 1, 'flac', []],
    ['192 kHz stereo FLAC', 192_000, 'stereo', 2, 'flac', ['-sample_fmt', 's32']],
    ['5.1 48 kHz FLAC', 48_000, '5.1', 6, 'flac', []],
  ])('decodes %s at its own rate and channel count', async (name, rate, layout, channels, ext, codec) => {
    const path = join(dir, `${name.replaceAll(' ', '-')}.${ext}`);
    runFfmpegCli([
      ...['-f', 'lavfi', '-i', `sine=f=1000:r=${rate}:d=0.5`],
      ...['-af', `pan=${layout}|${Array.from({ length: channels }, (_, c) => `c${c}=c0`).join('|')}`],
      ...codec,
      path,
    ]);
    // A plain 16-bit WAV has no channel mask, so ffprobe names no layout for it.
    const reportedLayout = ext === 'wav' ? undefined : layout;
    expect(await probeAudio(path)).toMatchObject({
      sampleRateHz: rate,
      channelCount: channels,
      channelLayout: reportedLayout,
    });
    const audio = await decodeAudio(path);
    expect(audio.sampleRateHz).toBe(rate);
    expect(audio.channels).toHaveLength(channels);
    expect(frameCount(audio)).toBe(rate / 2);
    for (const channel of audio.channels) {
      expectWithin(
        planarPeak({ sampleRateHz: rate, channels: [channel] }),
        SINE_PEAK,
        SINE_PEAK_TOLERANCE,
        'peak',
      );
    }
  });
});

describe('decodeAudio without a channel layout', () => {
  // property: channels of a file that names no layout come out as they are, never remixed
  it.each([3, 6, 8])('keeps %i channels of unknown layout apart', async (channelCount) => {
    const levels = Array.from({ length: channelCount }, (_, c) => (c + 1) / 16);
    const channels = levels.map((level) => new Float32Array(4800).fill(level));
    const path = join(dir, `unknown-layout-${channelCount}.wav`);
    await writeFile(path, floatWavBytes({ sampleRateHz: 48_000, channels }));
    const audio = await decodeAudio(path);
    expect(mismatches(audio, { sampleRateHz: 48_000, channels })).toBe(0);
  });
});

describe('decodeAudioBlocks', () => {
  // property: any block size gives the same samples as the whole decode
  it.each([4096, 65_536, 1_000_003])(
    'gives the same samples as decodeAudio in blocks of %i',
    async (blockLengthSamples) => {
      const path = fixturePath('audio/chaos-god-mix-15s.flac');
      const whole = await decodeAudio(path);
      const { audio, lengths } = await concatBlocks(decodeAudioBlocks(path, { blockLengthSamples }));
      expect(mismatches(audio, whole)).toBe(0);
      expect(lengths.slice(0, -1).every((length) => length === blockLengthSamples)).toBe(true);
      expect(lengths.at(-1)!).toBeLessThanOrEqual(blockLengthSamples);
    },
  );

  it('streams a WAV of unknown length (written to a pipe) to its end, without calling it truncated', async () => {
    const path = join(dir, 'streamed.wav');
    runFfmpegCli(
      ['-f', 'lavfi', '-i', 'sine=f=440:r=44100:d=3', '-c:a', 'pcm_s16le', '-f', 'wav', 'pipe:1'],
      path,
    );
    const { audio } = await concatBlocks(decodeAudioBlocks(path));
    expect(frameCount(audio)).toBe(3 * 44_100);
  });

  it('trusts no duration ffmpeg estimates from the bit rate (VBR MP3 without a Xing header)', async () => {
    // 10 s of silence, then 5 s of tone: the first frames are tiny, so ffmpeg's estimate from
    // their bit rate overshoots several times. Neither the length check nor the up-front
    // maxDuration check may take it at its word.
    const path = join(dir, 'quiet-start-vbr.mp3');
    runFfmpegCli([
      ...[
        '-f',
        'lavfi',
        '-i',
        'anullsrc=r=44100:cl=stereo:d=10',
        '-f',
        'lavfi',
        '-i',
        'sine=f=440:r=44100:d=5',
      ],
      ...[
        '-filter_complex',
        '[0][1]concat=n=2:v=0:a=1',
        '-c:a',
        'libmp3lame',
        '-q:a',
        '0',
        '-write_xing',
        '0',
        path,
      ],
    ]);
    expect((await probeAudio(path)).durationSeconds).toBeGreaterThan(30);
    const audio = await decodeAudio(path, { maxDurationSeconds: 20 });
    expectWithin(frameCount(audio) / 44_100, 15, MP3_FRAME_SECONDS * 2, 'duration (s)');
  });

  it('kills ffmpeg when the consumer stops early, leaving no process behind', async () => {
    const path = join(dir, 'long.wav');
    await writeFile(
      path,
      floatWavBytes(whiteNoise({ sampleRateHz: 44_100, durationSeconds: 30, rmsDbfs: -20 })),
    );
    let blocks = 0;
    for await (const block of decodeAudioBlocksWithFfmpeg(path, { blockLengthSamples: 1024 })) {
      expect(frameCount(block)).toBe(1024);
      if (++blocks === 3) break;
    }
    expect(ffmpegChildren()).toEqual([]);

    // The same when the consumer throws.
    const failing = async () => {
      for await (const _ of decodeAudioBlocksWithFfmpeg(path, { blockLengthSamples: 1024 }))
        throw new Error('consumer failed');
    };
    await expect(failing()).rejects.toThrow('consumer failed');
    expect(ffmpegChildren()).toEqual([]);
  });

  it.skipIf(process.platform !== 'linux')(
    'decodes a PCM WAV without starting ffmpeg, and closes it when the consumer stops early',
    async () => {
      const path = join(dir, 'long-native.wav');
      await writeFile(
        path,
        floatWavBytes(whiteNoise({ sampleRateHz: 44_100, durationSeconds: 30, rmsDbfs: -20 })),
      );
      let blocks = 0;
      for await (const block of decodeAudioBlocks(path, { blockLengthSamples: 1024 })) {
        expect(frameCount(block)).toBe(1024);
        expect(ffmpegChildren()).toEqual([]);
        expect(await descriptorsOf(path)).toBe(1);
        if (++blocks === 3) break;
      }
      expect(await descriptorsOf(path)).toBe(0);

      const failing = async () => {
        for await (const _ of decodeAudioBlocks(path, { blockLengthSamples: 1024 }))
          throw new Error('consumer failed');
      };
      await expect(failing()).rejects.toThrow('consumer failed');
      expect(await descriptorsOf(path)).toBe(0);
    },
  );

  it('starts nothing until iterated', async () => {
    const blocks = decodeAudioBlocks(join(dir, 'does-not-exist.wav'));
    await blocks.return(undefined);
    expect(ffmpegChildren()).toEqual([]);
  });
});
