import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { frameCount, type PlanarAudio } from '@lacquer/dsp';
import { expectWithin, fixturePath, sine, whiteNoise } from '@lacquer/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAudio } from './decode-audio.ts';
import { encodeAudio } from './encode-audio.ts';
import type { EncodeFormat } from './encode-format.ts';
import { probeAudio } from './probe-audio.ts';
import { expectLacquerError } from './test-support/expect-lacquer-error.ts';
import { planarPeak } from './test-support/planar-peak.ts';

const LSB_16 = 1 / 32_768;
const LSB_24 = 1 / 8_388_608;
/** ±1 LSB of TPDF dither plus ±½ LSB of rounding (Lipshitz et al. 1992): the most a 16-bit sample moves. */
const DITHERED_16_TOLERANCE = 1.5 * LSB_16;
/** 24-bit is rounded to the nearest step, without dither: at most half a step. */
const ROUNDED_24_TOLERANCE = 0.5 * LSB_24;
/**
 * Total error of TPDF dither + rounding: 1/6 + 1/12 = 1/4 LSB², whatever the signal (Lipshitz et al.
 * 1992). Over the 1.3 M samples of the excerpt its standard error is about 0.0004 LSB².
 */
const TPDF_ERROR_POWER_LSB2 = 0.25;
const TPDF_ERROR_POWER_TOLERANCE = 0.005;
/**
 * MP3 durations: LAME's Info header lets ffmpeg trim encoder delay and padding, leaving at most
 * a few ms; the brief's ±50 ms bounds it.
 */
const MP3_DURATION_TOLERANCE_SECONDS = 0.05;

let dir: string;
let music: PlanarAudio;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lacquer-encode-'));
  music = await decodeAudio(fixturePath('audio/chaos-god-mix-15s.flac'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function roundTrip(audio: PlanarAudio, format: EncodeFormat, name: string): Promise<PlanarAudio> {
  const path = join(dir, name);
  await encodeAudio(audio, path, format);
  return decodeAudio(path);
}

function maxAbsDifference(a: PlanarAudio, b: PlanarAudio): number {
  let peak = 0;
  a.channels.forEach((x, c) => {
    const y = b.channels[c]!;
    for (let i = 0; i < x.length; i++) peak = Math.max(peak, Math.abs(x[i]! - y[i]!));
  });
  return peak;
}

/** Mean squared difference of `a` from `b`, in LSB². */
function errorPowerLsb2(a: PlanarAudio, b: PlanarAudio, lsb: number): number {
  let sum = 0;
  let count = 0;
  a.channels.forEach((x, c) => {
    const y = b.channels[c]!;
    for (let i = 0; i < x.length; i++) sum += ((x[i]! - y[i]!) / lsb) ** 2;
    count += x.length;
  });
  return sum / count;
}

/** Samples of `audio` that are not a whole number of `lsb` steps. */
function offGrid(audio: PlanarAudio, lsb: number): number {
  let count = 0;
  for (const channel of audio.channels) {
    for (const v of channel) if (!Number.isInteger(v / lsb)) count++;
  }
  return count;
}

/** Samples where `a` and `b` differ. */
function differing(a: PlanarAudio, b: PlanarAudio): number {
  let count = 0;
  a.channels.forEach((x, c) => {
    const y = b.channels[c]!;
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) count++;
  });
  return count;
}

/** What 16-bit quantization without dither would give: `mode` truncation or rounding. */
function undithered16(audio: PlanarAudio, mode: 'trunc' | 'round'): PlanarAudio {
  return {
    sampleRateHz: audio.sampleRateHz,
    channels: audio.channels.map((channel) => channel.map((v) => Math[mode](v * 32_768) / 32_768)),
  };
}

describe('encodeAudio', () => {
  it('wav float32: bit-exact round trip, over full scale included', async () => {
    const hot = whiteNoise({ sampleRateHz: 96_000, durationSeconds: 2, rmsDbfs: -10, seed: 3 });
    hot.channels[0]![100] = 1.5;
    const decoded = await roundTrip(hot, { container: 'wav', sampleFormat: 'float32' }, 'float.wav');
    expect(decoded.sampleRateHz).toBe(96_000);
    expect(frameCount(decoded)).toBe(frameCount(hot));
    expect(differing(decoded, hot)).toBe(0);
    expect(planarPeak(decoded)).toBe(1.5);
  });

  it.each<EncodeFormat>([
    { container: 'wav', sampleFormat: 'pcm24' },
    { container: 'flac', sampleFormat: 'pcm24' },
  ])('%o: within ½ LSB of 24 bits, on the grid', async (format) => {
    const decoded = await roundTrip(music, format, `pcm24.${format.container}`);
    expect((await probeAudio(join(dir, `pcm24.${format.container}`))).bitsPerSample).toBe(24);
    expect(frameCount(decoded)).toBe(frameCount(music));
    expectWithin(maxAbsDifference(decoded, music), 0, ROUNDED_24_TOLERANCE, 'max |error|');
    expect(offGrid(decoded, LSB_24)).toBe(0);
  });

  it.each<EncodeFormat>([
    { container: 'wav', sampleFormat: 'pcm16' },
    { container: 'flac', sampleFormat: 'pcm16' },
  ])('%o: TPDF-dithered, within 1.5 LSB of 16 bits, not plain truncation or rounding', async (format) => {
    const decoded = await roundTrip(music, format, `pcm16.${format.container}`);
    expect((await probeAudio(join(dir, `pcm16.${format.container}`))).bitsPerSample).toBe(16);
    expect(frameCount(decoded)).toBe(frameCount(music));
    expectWithin(maxAbsDifference(decoded, music), 0, DITHERED_16_TOLERANCE, 'max |error|');
    // ffmpeg's float → s16 conversion was exact: what it wrote is the dithered grid value
    expect(offGrid(decoded, LSB_16)).toBe(0);
    const samples = frameCount(music) * music.channels.length;
    // TPDF moves a sample off its nearest step with probability E|d| = 1/3, off its truncation ≈ 1/2.
    expect(differing(decoded, undithered16(music, 'trunc'))).toBeGreaterThan(samples / 4);
    expect(differing(decoded, undithered16(music, 'round'))).toBeGreaterThan(samples / 4);
    expectWithin(
      errorPowerLsb2(decoded, music, LSB_16),
      TPDF_ERROR_POWER_LSB2,
      TPDF_ERROR_POWER_TOLERANCE,
      'error power (LSB²)',
    );
  });

  it('pcm16 dither is deterministic: the same audio gives the same bytes', async () => {
    const format: EncodeFormat = { container: 'wav', sampleFormat: 'pcm16' };
    await encodeAudio(music, join(dir, 'a.wav'), format);
    await encodeAudio(music, join(dir, 'b.wav'), format);
    const [a, b] = await Promise.all([readFile(join(dir, 'a.wav')), readFile(join(dir, 'b.wav'))]);
    expect(a.equals(b)).toBe(true);
  });

  it('mp3 320k: decodes back at the same rate and duration', async () => {
    const path = join(dir, 'preview.mp3');
    await encodeAudio(music, path, { container: 'mp3', bitrateKbps: 320 });
    const probe = await probeAudio(path);
    expect(probe).toMatchObject({ codecName: 'mp3', sampleRateHz: 44_100, channelCount: 2 });
    const decoded = await decodeAudio(path);
    expect(decoded.sampleRateHz).toBe(44_100);
    expectWithin(frameCount(decoded) / 44_100, 15, MP3_DURATION_TOLERANCE_SECONDS, 'duration (s)');
  });

  it('mp3 of 96 kHz audio is resampled to 48 kHz; mono stays mono', async () => {
    const tone = sine({
      sampleRateHz: 96_000,
      durationSeconds: 2,
      frequencyHz: 1000,
      peakDbfs: -6,
      channelCount: 1,
    });
    const path = join(dir, 'hi-res.mp3');
    await encodeAudio(tone, path, { container: 'mp3', bitrateKbps: 128 });
    const decoded = await decodeAudio(path);
    expect(decoded.sampleRateHz).toBe(48_000);
    expect(decoded.channels).toHaveLength(1);
    expectWithin(frameCount(decoded) / 48_000, 2, MP3_DURATION_TOLERANCE_SECONDS, 'duration (s)');
  });

  it('writes 5.1 FLAC that decodes to 6 channels', async () => {
    const surround = sine({
      sampleRateHz: 48_000,
      durationSeconds: 0.5,
      frequencyHz: 440,
      peakDbfs: -12,
      channelCount: 6,
    });
    const path = join(dir, 'surround.flac');
    await encodeAudio(surround, path, { container: 'flac', sampleFormat: 'pcm24' });
    expect(await probeAudio(path)).toMatchObject({ channelCount: 6, channelLayout: '5.1' });
  });

  it('MEDIA_CHANNELS_UNSUPPORTED for 5.1 MP3', async () => {
    const surround = sine({
      sampleRateHz: 48_000,
      durationSeconds: 0.1,
      frequencyHz: 440,
      peakDbfs: -12,
      channelCount: 6,
    });
    await expectLacquerError(
      encodeAudio(surround, join(dir, 'surround.mp3'), { container: 'mp3', bitrateKbps: 320 }),
      'MEDIA_CHANNELS_UNSUPPORTED',
    );
  });

  it('MEDIA_INVALID_SAMPLES for NaN or Infinity, before writing anything', async () => {
    const broken = sine({ sampleRateHz: 44_100, durationSeconds: 0.5, frequencyHz: 440, peakDbfs: -6 });
    broken.channels[1]![999] = Number.NaN;
    const path = join(dir, 'nan.wav');
    const error = await expectLacquerError(
      encodeAudio(broken, path, { container: 'wav', sampleFormat: 'float32' }),
      'MEDIA_INVALID_SAMPLES',
    );
    expect(error.details).toMatchObject({ channel: 1, frame: 999 });
    broken.channels[1]![999] = Number.NEGATIVE_INFINITY;
    await expectLacquerError(
      encodeAudio(broken, path, { container: 'flac', sampleFormat: 'pcm16' }),
      'MEDIA_INVALID_SAMPLES',
    );
  });

  it('MEDIA_INVALID_ARGUMENT for channels of different lengths or a fractional rate', async () => {
    const format: EncodeFormat = { container: 'wav', sampleFormat: 'pcm24' };
    const ragged = { sampleRateHz: 44_100, channels: [new Float32Array(10), new Float32Array(11)] };
    await expectLacquerError(encodeAudio(ragged, join(dir, 'x.wav'), format), 'MEDIA_INVALID_ARGUMENT');
    const fractional = { sampleRateHz: 44_100.5, channels: [new Float32Array(10)] };
    await expectLacquerError(encodeAudio(fractional, join(dir, 'x.wav'), format), 'MEDIA_INVALID_ARGUMENT');
    await expectLacquerError(
      encodeAudio({ sampleRateHz: 44_100, channels: [] }, join(dir, 'x.wav'), format),
      'MEDIA_INVALID_ARGUMENT',
    );
  });

  it('MEDIA_ENCODE_FAILED when the file cannot be written, leaving no partial file', async () => {
    const missing = join(dir, 'no-such-dir');
    // WAV: Lacquer's writer reports the fs error; FLAC: ffmpeg's stderr.
    const wavError = await expectLacquerError(
      encodeAudio(music, join(missing, 'master.wav'), { container: 'wav', sampleFormat: 'pcm24' }),
      'MEDIA_ENCODE_FAILED',
    );
    expect(wavError.details.fsErrorCode).toBe('ENOENT');
    const flacError = await expectLacquerError(
      encodeAudio(music, join(missing, 'master.flac'), { container: 'flac', sampleFormat: 'pcm24' }),
      'MEDIA_ENCODE_FAILED',
    );
    expect((flacError.details.stderrTail as string[]).length).toBeGreaterThan(0);
    expect((await readdir(dir)).filter((name) => name.endsWith('.partial'))).toEqual([]);

    // A directory where the file should go: the encode succeeds, the final rename cannot.
    for (const [name, format] of [
      ['taken.mp3', { container: 'mp3', bitrateKbps: 128 }],
      ['taken.wav', { container: 'wav', sampleFormat: 'pcm16' }],
    ] as const) {
      const folder = join(dir, name);
      await mkdir(folder);
      await expectLacquerError(encodeAudio(music, folder, format), 'MEDIA_ENCODE_FAILED');
    }
    expect((await readdir(dir)).filter((name) => name.endsWith('.partial'))).toEqual([]);
  });
});
