import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PlanarAudio } from '@lacquer/dsp';
import { concat, fixturePath } from '@lacquer/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAudio, decodeAudioWithFfmpeg } from './decode-audio.ts';
import { decodeAudioBlocks } from './decode-audio-blocks.ts';
import type { PcmEncoding } from './pcm-to-planar.ts';
import { inspectPcmWav } from './pcm-wav-layout.ts';
import { bitMismatches } from './test-support/bit-mismatches.ts';
import { randomPcm } from './test-support/random-pcm.ts';
import { fmtBody, riffBytes, riffChunks } from './test-support/riff-bytes.ts';
import { runFfmpegCli } from './test-support/run-ffmpeg-cli.ts';

// Differential: Lacquer's own PCM WAV decoder against the ffmpeg path it replaces
// (`decodeAudioWithFfmpeg`: ffprobe, ffmpeg to f32le, deinterleave), bit for bit. The files are
// written by ffmpeg (an independent writer) from random raw PCM, or from the committed fixtures.

/** ffmpeg's raw demuxer for each encoding: `-f <this> -i raw -c:a copy x.wav` stores the bytes as they are. */
const RAW_FORMATS: Readonly<Record<PcmEncoding, string>> = {
  u8: 'u8',
  s16: 's16le',
  s24: 's24le',
  s32: 's32le',
  f32: 'f32le',
  f64: 'f64le',
};
const ENCODINGS = Object.keys(RAW_FORMATS) as PcmEncoding[];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lacquer-decode-pcm-wav-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let seed = 0;
/**
 * A WAV that ffmpeg writes from `frames` frames of random `encoding` samples, with `args` for
 * its wav muxer (`-rf64 always`, …), or to its stdout (a WAV of unknown length) when `piped`.
 */
async function ffmpegWav(
  name: string,
  encoding: PcmEncoding,
  channelCount: number,
  sampleRateHz: number,
  frames: number,
  options: { readonly args?: readonly string[]; readonly piped?: boolean } = {},
): Promise<string> {
  const raw = join(dir, `${name}.raw`);
  await writeFile(raw, randomPcm(encoding, frames * channelCount, ++seed));
  const path = join(dir, `${name}.wav`);
  const input = [
    '-f',
    RAW_FORMATS[encoding],
    '-ar',
    String(sampleRateHz),
    '-ac',
    String(channelCount),
    '-i',
    raw,
  ];
  const output = ['-c:a', 'copy', ...(options.args ?? [])];
  if (options.piped) runFfmpegCli([...input, ...output, '-f', 'wav', 'pipe:1'], path);
  else runFfmpegCli([...input, ...output, path]);
  return path;
}

/** How the package will decode `path`: `pcm` (itself) or `other` (through ffmpeg). */
async function decoderOf(path: string): Promise<'pcm' | 'other'> {
  const bytes = await readFile(path);
  return (await inspectPcmWav(async (at, length) => bytes.subarray(at, at + length), bytes.length)).kind;
}

async function blocksOf(path: string, blockLengthSamples: number): Promise<PlanarAudio> {
  const blocks: PlanarAudio[] = [];
  for await (const block of decodeAudioBlocks(path, { blockLengthSamples })) blocks.push(block);
  return concat(...blocks);
}

/**
 * Asserts that `decodeAudio` (plain and shared) and `decodeAudioBlocks` (blocks of an odd
 * length, so that the 24-bit word path restarts at every byte alignment) give the ffmpeg
 * path's samples, bit for bit, and that the file takes the `expected` decoder.
 */
async function expectFfmpegsSamples(path: string, expected: 'pcm' | 'other'): Promise<PlanarAudio> {
  expect(await decoderOf(path)).toBe(expected);
  const reference = await decodeAudioWithFfmpeg(path);
  const [whole, shared, blocks] = await Promise.all([
    decodeAudio(path),
    decodeAudio(path, { shared: true }),
    blocksOf(path, 1001),
  ]);
  for (const audio of [whole, shared, blocks]) {
    expect(audio.sampleRateHz).toBe(reference.sampleRateHz);
    expect(audio.channels).toHaveLength(reference.channels.length);
    expect(bitMismatches(audio.channels, reference.channels)).toBe(0);
  }
  expect(shared.channels.every((channel) => channel.buffer instanceof SharedArrayBuffer)).toBe(true);
  return whole;
}

describe('PCM WAV decoded without ffmpeg: the ffmpeg path’s samples, bit for bit', () => {
  it.each(
    ENCODINGS.flatMap((encoding) =>
      [1, 2, 6].flatMap((channelCount) =>
        [8000, 44_100, 192_000].map((sampleRateHz) => [encoding, channelCount, sampleRateHz] as const),
      ),
    ),
  )('random %s × %i channels at %i Hz', async (encoding, channelCount, sampleRateHz) => {
    // 0.1 s and one frame: odd lengths, and odd data sizes (so a pad byte) for 8-bit mono.
    const frames = sampleRateHz / 10 + 1;
    const path = await ffmpegWav(
      `${encoding}-${channelCount}-${sampleRateHz}`,
      encoding,
      channelCount,
      sampleRateHz,
      frames,
    );
    const audio = await expectFfmpegsSamples(path, 'pcm');
    expect(audio.channels[0]).toHaveLength(frames);
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8])(
    '16-bit in ffmpeg’s default layout for %i channels',
    async (channelCount) => {
      const path = await ffmpegWav(`layout-${channelCount}`, 's16', channelCount, 48_000, 4801);
      await expectFfmpegsSamples(path, 'pcm');
    },
  );

  it.each(
    ['metal-madness-mix-15s.flac', 'chaos-god-mix-15s.flac'].flatMap((fixture) =>
      ['pcm_u8', 'pcm_s16le', 'pcm_s24le', 'pcm_s32le', 'pcm_f32le', 'pcm_f64le'].map(
        (codec) => [fixture, codec] as const,
      ),
    ),
  )('fixture %s as %s', async (fixture, codec) => {
    const path = join(dir, `${fixture}.${codec}.wav`);
    runFfmpegCli(['-i', fixturePath(`audio/${fixture}`), '-c:a', codec, path]);
    await expectFfmpegsSamples(path, 'pcm');
  });

  it('RF64 (ds64 sizes)', async () => {
    const path = await ffmpegWav('rf64', 's24', 2, 48_000, 9001, { args: ['-rf64', 'always'] });
    expect((await readFile(path)).toString('latin1', 0, 4)).toBe('RF64');
    await expectFfmpegsSamples(path, 'pcm');
  });

  it.each(['s16', 'f32'] as const)(
    '%s written to a pipe (data size unknown): read to the end of the file',
    async (encoding) => {
      const path = await ffmpegWav(`piped-${encoding}`, encoding, 2, 44_100, 22_051, { piped: true });
      const audio = await expectFfmpegsSamples(path, 'pcm');
      expect(audio.channels[0]).toHaveLength(22_051);
    },
  );

  it('with ffmpeg’s LIST INFO and bext chunks', async () => {
    const path = await ffmpegWav('tagged', 's24', 2, 48_000, 4800, {
      args: ['-write_bext', '1', '-metadata', 'title=Lacquer', '-metadata', 'description=master'],
    });
    const ids = riffChunks(await readFile(path)).map((chunk) => chunk.id);
    expect(ids).toEqual(expect.arrayContaining(['bext', 'LIST', 'data']));
    await expectFfmpegsSamples(path, 'pcm');
  });

  it('with odd-sized chunks before and after the samples, and an odd-sized data chunk', async () => {
    const source = await ffmpegWav('u8-mono', 'u8', 1, 8000, 801);
    const { fmt, data } = Object.fromEntries(
      riffChunks(await readFile(source)).map((chunk) => [chunk.id.trim(), chunk]),
    );
    const path = join(dir, 'odd-chunks.wav');
    const text = (id: string, value: string) => ({ id, body: Buffer.from(value, 'latin1') });
    await writeFile(
      path,
      riffBytes('RIFF', [
        text('JUNK', 'abc'),
        fmt!,
        text('LIST', 'INFOISFT\x05\0\0\0odd!\0'),
        data!,
        text('id3 ', 'ID3odd'),
      ]),
    );
    await expectFfmpegsSamples(path, 'pcm');
  });

  it.each<[string, number, number]>([
    ['16-bit stereo as WAVE_FORMAT_EXTENSIBLE', 16, 16],
    ['20 valid bits in a 24-bit container', 24, 20],
  ])('%s', async (name, bits, validBits) => {
    const source = await ffmpegWav(`ext-${bits}-${validBits}`, bits === 16 ? 's16' : 's24', 2, 96_000, 9601);
    const data = riffChunks(await readFile(source)).find((chunk) => chunk.id === 'data')!;
    const fmt = fmtBody({
      formatTag: 0xfffe,
      channelCount: 2,
      sampleRateHz: 96_000,
      bits,
      extensible: { validBits, channelMask: 0x3, subFormatTag: 1 },
    });
    const path = join(dir, `${name.replaceAll(' ', '-')}.wav`);
    await writeFile(path, riffBytes('RIFF', [{ id: 'fmt ', body: fmt }, data]));
    await expectFfmpegsSamples(path, 'pcm');
  });
});

describe('WAV that ffmpeg decodes as before', () => {
  it.each(['pcm_mulaw', 'pcm_alaw', 'adpcm_ms', 'adpcm_ima_wav'])('%s', async (codec) => {
    const source = await ffmpegWav(`for-${codec}`, 's16', 2, 8000, 8000);
    const path = join(dir, `${codec}.wav`);
    runFfmpegCli(['-i', source, '-c:a', codec, path]);
    await expectFfmpegsSamples(path, 'other');
  });

  it('quad(side): a channel mask other than ffmpeg’s default layout for the count, which ffmpeg remixes', async () => {
    const path = join(dir, 'quad-side.wav');
    runFfmpegCli([
      '-f',
      'lavfi',
      '-i',
      'aevalsrc=0.1|0.2|0.3|0.4:c=quad(side):s=48000:d=0.1',
      '-c:a',
      'pcm_f32le',
      path,
    ]);
    const audio = await expectFfmpegsSamples(path, 'other');
    // ffmpeg's `-ac 4` maps quad(side) to 4.0 (FL FR FC BC): the side channels do not come out
    // as written. A known flaw of the ffmpeg path, kept as it is here: same samples either way.
    const written = [0.1, 0.2, 0.3, 0.4].map((level) =>
      new Float32Array(audio.channels[0]!.length).fill(level),
    );
    expect(bitMismatches(audio.channels, written)).toBeGreaterThan(0);
  });

  it('AC-3 passed through S/PDIF and recorded as 16-bit PCM: ffmpeg decodes the AC-3 (6 channels, not 2)', async () => {
    const spdif = join(dir, 'ac3.spdif');
    runFfmpegCli([
      '-f',
      'lavfi',
      '-i',
      'sine=f=440:r=48000:d=1',
      '-ac',
      '6',
      '-c:a',
      'ac3',
      '-f',
      'spdif',
      spdif,
    ]);
    const path = join(dir, 'ac3-spdif.wav');
    const fmt = fmtBody({ formatTag: 1, channelCount: 2, sampleRateHz: 48_000, bits: 16, short: true });
    await writeFile(
      path,
      riffBytes('RIFF', [
        { id: 'fmt ', body: fmt },
        { id: 'data', body: await readFile(spdif) },
      ]),
    );
    const audio = await expectFfmpegsSamples(path, 'other');
    expect(audio.channels).toHaveLength(6);
  });
});
