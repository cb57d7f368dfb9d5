import { describe, expect, it } from 'vitest';
import { inspectPcmWav, type PcmWavInspection } from './pcm-wav-layout.ts';
import { ds64Body, type FmtFields, fmtBody, type RiffChunk, riffBytes } from './test-support/riff-bytes.ts';

/** Inspects `bytes` as a file. */
function inspect(bytes: Uint8Array): Promise<PcmWavInspection> {
  return inspectPcmWav(async (position, length) => bytes.subarray(position, position + length), bytes.length);
}

const STEREO_16: FmtFields = { formatTag: 1, channelCount: 2, sampleRateHz: 44_100, bits: 16, short: true };
/** 100 frames of 16-bit stereo: a rising ramp, no bitstream sync word in it. */
const SAMPLES = Buffer.from(Int16Array.from({ length: 200 }, (_, i) => i * 3).buffer);

const fmt = (fields: FmtFields = STEREO_16): RiffChunk => ({ id: 'fmt ', body: fmtBody(fields) });
const data = (body: Uint8Array = SAMPLES, sizeBytes?: number): RiffChunk => ({ id: 'data', body, sizeBytes });
const chunk = (id: string, bytes: number): RiffChunk => ({ id, body: Buffer.alloc(bytes, 0x20) });

/** The layout, failing the test with the reason when the file is left to ffmpeg. */
async function layoutOf(bytes: Uint8Array) {
  const inspection = await inspect(bytes);
  if (inspection.kind !== 'pcm') throw new Error(`expected a PCM layout, got: ${inspection.reason}`);
  return inspection.layout;
}

describe('inspectPcmWav: files decoded without ffmpeg', () => {
  it('reads the canonical 44-byte header of 16-bit stereo', async () => {
    expect(await layoutOf(riffBytes('RIFF', [fmt(), data()]))).toEqual({
      encoding: 's16',
      channelCount: 2,
      sampleRateHz: 44_100,
      blockAlignBytes: 4,
      dataOffsetBytes: 44,
      declaredLengthSamples: 100,
      lengthSamples: 100,
    });
  });

  it.each<[string, FmtFields, string]>([
    ['8-bit unsigned', { formatTag: 1, channelCount: 1, sampleRateHz: 8000, bits: 8 }, 'u8'],
    ['24-bit', { formatTag: 1, channelCount: 2, sampleRateHz: 48_000, bits: 24 }, 's24'],
    ['32-bit integer', { formatTag: 1, channelCount: 2, sampleRateHz: 48_000, bits: 32 }, 's32'],
    ['32-bit float', { formatTag: 3, channelCount: 2, sampleRateHz: 48_000, bits: 32 }, 'f32'],
    ['64-bit float', { formatTag: 3, channelCount: 1, sampleRateHz: 48_000, bits: 64 }, 'f64'],
    [
      'extensible 24-bit 5.1 (ffmpeg’s default layout)',
      {
        formatTag: 0xfffe,
        channelCount: 6,
        sampleRateHz: 48_000,
        bits: 24,
        extensible: { validBits: 24, channelMask: 0x3f, subFormatTag: 1 },
      },
      's24',
    ],
    [
      'extensible 20 valid bits in 24 (ffmpeg decodes the container)',
      {
        formatTag: 0xfffe,
        channelCount: 2,
        sampleRateHz: 96_000,
        bits: 24,
        extensible: { validBits: 20, channelMask: 0x3, subFormatTag: 1 },
      },
      's24',
    ],
    [
      'extensible float with no channel mask',
      {
        formatTag: 0xfffe,
        channelCount: 3,
        sampleRateHz: 48_000,
        bits: 32,
        extensible: { validBits: 0, channelMask: 0, subFormatTag: 3 },
      },
      'f32',
    ],
    [
      'extensible with a mask that does not name every channel (ffmpeg ignores it)',
      {
        formatTag: 0xfffe,
        channelCount: 6,
        sampleRateHz: 48_000,
        bits: 16,
        extensible: { validBits: 16, channelMask: 0x3, subFormatTag: 1 },
      },
      's16',
    ],
  ])('%s', async (_name, fields, encoding) => {
    const frameBytes = (fields.channelCount * fields.bits) / 8;
    const layout = await layoutOf(riffBytes('RIFF', [fmt(fields), data(Buffer.alloc(frameBytes * 10))]));
    expect(layout).toMatchObject({ encoding, channelCount: fields.channelCount, lengthSamples: 10 });
  });

  it('skips unknown chunks of odd size by their pad byte, before and after the samples', async () => {
    const bytes = riffBytes('RIFF', [
      chunk('JUNK', 3),
      fmt(),
      chunk('LIST', 13),
      chunk('bext', 603),
      chunk('fact', 4),
      data(),
      chunk('id3 ', 7),
    ]);
    const layout = await layoutOf(bytes);
    expect(layout.dataOffsetBytes).toBe(bytes.indexOf('data', 0, 'latin1') + 8);
    expect(layout.lengthSamples).toBe(100);
  });

  it('takes an odd-sized data chunk of 8-bit mono, followed by its pad byte and a LIST chunk', async () => {
    const mono8: FmtFields = { formatTag: 1, channelCount: 1, sampleRateHz: 8000, bits: 8 };
    const layout = await layoutOf(
      riffBytes('RIFF', [fmt(mono8), data(Buffer.alloc(5, 0x80)), chunk('LIST', 4)]),
    );
    expect(layout).toMatchObject({ encoding: 'u8', declaredLengthSamples: 5, lengthSamples: 5 });
  });

  it('finds a data chunk beyond the first 64 KiB (a large JUNK or bext chunk first)', async () => {
    const layout = await layoutOf(riffBytes('RIFF', [chunk('JUNK', 100_001), fmt(), data()]));
    expect(layout).toMatchObject({ dataOffsetBytes: 12 + 8 + 100_002 + 8 + 16 + 8, lengthSamples: 100 });
  });

  it.each([0, 0xffff_ffff])(
    'reads a data size of %i (streamed) as "to the end of the file"',
    async (sizeBytes) => {
      const layout = await layoutOf(riffBytes('RIFF', [fmt(), data(SAMPLES, sizeBytes)]));
      expect(layout).toMatchObject({ declaredLengthSamples: undefined, lengthSamples: 100 });
    },
  );

  it('tells a file cut short: the declared length, and the whole frames present', async () => {
    const bytes = riffBytes('RIFF', [fmt(), data()]);
    const layout = await layoutOf(bytes.subarray(0, bytes.length - 41));
    expect(layout).toMatchObject({ declaredLengthSamples: 100, lengthSamples: 89 });
  });

  it.each(['RF64', 'BW64'])('%s: the data size of ds64', async (form) => {
    const bytes = riffBytes(form, [
      { id: 'ds64', body: ds64Body(0, SAMPLES.length, 100) },
      fmt(),
      data(SAMPLES, 0xffff_ffff),
    ]);
    expect(await layoutOf(bytes)).toMatchObject({ dataOffsetBytes: 12 + 36 + 24 + 8, lengthSamples: 100 });
  });
});

describe('inspectPcmWav: files left to ffmpeg', () => {
  const pcmFmt = (fields: Partial<FmtFields>): RiffChunk => fmt({ ...STEREO_16, short: false, ...fields });
  const extensible = (fields: Partial<FmtFields>, extension: Partial<NonNullable<FmtFields['extensible']>>) =>
    pcmFmt({
      formatTag: 0xfffe,
      ...fields,
      extensible: { validBits: fields.bits ?? 16, channelMask: 0x3, subFormatTag: 1, ...extension },
    });
  const withBytes = (bytes: Uint8Array, at: number, patch: number[]): Buffer => {
    const copy = Buffer.from(bytes);
    copy.set(patch, at);
    return copy;
  };
  const canonical = riffBytes('RIFF', [fmt(), data()]);
  /** `count` copies of the 4 bytes of `sync` spread over 16-bit samples, at even offsets. */
  const withSyncs = (sync: number[], count: number, at = 0): Buffer => {
    const samples = Buffer.from(SAMPLES);
    for (let i = 0; i < count; i++) samples.set(sync, at + i * 40);
    return samples;
  };

  it.each<[string, Uint8Array | (() => Uint8Array)]>([
    ['RIFX (big-endian)', withBytes(canonical, 0, [...Buffer.from('RIFX')])],
    ['not WAVE', withBytes(canonical, 8, [...Buffer.from('AVI ')])],
    ['shorter than a RIFF header', canonical.subarray(0, 11)],
    [
      'IMA ADPCM (tag 0x11)',
      riffBytes('RIFF', [pcmFmt({ formatTag: 0x11, bits: 4, blockAlignBytes: 1024 }), data()]),
    ],
    ['µ-law (tag 7)', riffBytes('RIFF', [pcmFmt({ formatTag: 7, bits: 8 }), data()])],
    ['A-law (tag 6)', riffBytes('RIFF', [pcmFmt({ formatTag: 6, bits: 8 }), data()])],
    [
      'MP3 in WAV (tag 0x55)',
      riffBytes('RIFF', [pcmFmt({ formatTag: 0x55, bits: 0, blockAlignBytes: 1 }), data()]),
    ],
    ['extensible µ-law', riffBytes('RIFF', [extensible({ bits: 8 }, { subFormatTag: 7 }), data()])],
    ['12 bits in a 12-bit field', riffBytes('RIFF', [pcmFmt({ bits: 12, blockAlignBytes: 4 }), data()])],
    ['64-bit integers', riffBytes('RIFF', [pcmFmt({ bits: 64 }), data()])],
    ['16-bit float', riffBytes('RIFF', [pcmFmt({ formatTag: 3, bits: 16 }), data()])],
    [
      '24 valid bits in 32 (ffmpeg decodes them as packed 24-bit)',
      riffBytes('RIFF', [extensible({ bits: 32 }, { validBits: 24 }), data()]),
    ],
    ['8 valid bits in 16', riffBytes('RIFF', [extensible({ bits: 16 }, { validBits: 8 }), data()])],
    [
      '5.1(side) mask (ffmpeg remixes it to 5.1)',
      riffBytes('RIFF', [
        extensible({ channelCount: 6, blockAlignBytes: 12 }, { channelMask: 0x60f }),
        data(Buffer.alloc(120)),
      ]),
    ],
    [
      'quad(side) mask',
      riffBytes('RIFF', [
        extensible({ channelCount: 4, blockAlignBytes: 8 }, { channelMask: 0x603 }),
        data(),
      ]),
    ],
    ['extensible without its extension', riffBytes('RIFF', [pcmFmt({ formatTag: 0xfffe }), data()])],
    ['extra format bytes', riffBytes('RIFF', [pcmFmt({ extraBytes: 2 }), data()])],
    [
      'a block align that is not channels × sample size',
      riffBytes('RIFF', [pcmFmt({ blockAlignBytes: 8 }), data()]),
    ],
    ['no channels', riffBytes('RIFF', [pcmFmt({ channelCount: 0, blockAlignBytes: 0 }), data()])],
    [
      '513 channels (ffmpeg’s limit is 512)',
      riffBytes('RIFF', [pcmFmt({ channelCount: 513 }), data(Buffer.alloc(1026))]),
    ],
    ['a sample rate of 0', riffBytes('RIFF', [pcmFmt({ sampleRateHz: 0 }), data()])],
    ['a sample rate over 2^31 − 1', riffBytes('RIFF', [pcmFmt({ sampleRateHz: 2 ** 31 }), data()])],
    ['a data chunk before the fmt chunk', riffBytes('RIFF', [data(), fmt()])],
    ['no data chunk', riffBytes('RIFF', [fmt(), chunk('LIST', 4)])],
    ['no fmt chunk', riffBytes('RIFF', [data()])],
    ['two data chunks', riffBytes('RIFF', [fmt(), data(), chunk('LIST', 4), data()])],
    [
      'a data chunk right after odd-sized samples, without the pad byte (ffmpeg appends it)',
      () => {
        const mono8: FmtFields = { formatTag: 1, channelCount: 1, sampleRateHz: 8000, bits: 8 };
        const next = riffBytes('RIFF', [data(Buffer.alloc(4, 0x80))]).subarray(12);
        return riffBytes('RIFF', [fmt(mono8), data(Buffer.concat([Buffer.alloc(5, 0x80), next]), 5)]);
      },
    ],
    ['a LIST chunk of 2 bytes (ffmpeg fails the file)', riffBytes('RIFF', [fmt(), chunk('LIST', 2), data()])],
    ['a bext chunk cut by the end of the file', riffBytes('RIFF', [fmt(), data(), chunk('bext', 10)])],
    ['an SMV0 (video) chunk', riffBytes('RIFF', [fmt(), chunk('SMV0', 8), data()])],
    [
      'streamed samples that end inside a frame',
      riffBytes('RIFF', [fmt(), data(SAMPLES.subarray(0, 398), 0)]),
    ],
    ['a data size that is not whole frames', riffBytes('RIFF', [fmt(), data(SAMPLES.subarray(0, 398))])],
    ['RF64 without ds64 first', riffBytes('RF64', [fmt(), data()])],
    [
      'RF64 whose ds64 says 0 data bytes',
      riffBytes('RF64', [{ id: 'ds64', body: ds64Body(0, 0, 0) }, fmt(), data()]),
    ],
    [
      'RF64 whose data size differs from ds64',
      riffBytes('RF64', [{ id: 'ds64', body: ds64Body(0, 400, 100) }, fmt(), data(SAMPLES, 396)]),
    ],
    [
      'an IEC 61937 preamble (S/PDIF passthrough)',
      riffBytes('RIFF', [fmt(), data(withSyncs([0x72, 0xf8, 0x1f, 0x4e], 1, 101))]),
    ],
    [
      '4 DTS 14-bit sync words in 16-bit PCM (DTS CD)',
      riffBytes('RIFF', [fmt(), data(withSyncs([0xff, 0x1f, 0x00, 0xe8], 4))]),
    ],
  ])('%s', async (_name, bytes) => {
    const inspection = await inspect(typeof bytes === 'function' ? bytes() : bytes);
    expect(inspection.kind).toBe('other');
  });

  it('keeps 16-bit PCM with 3 DTS sync words (ffmpeg’s probe needs 4), and 24-bit with any number', async () => {
    expect(
      (await inspect(riffBytes('RIFF', [fmt(), data(withSyncs([0xff, 0x1f, 0x00, 0xe8], 3))]))).kind,
    ).toBe('pcm');
    const stereo24 = { ...STEREO_16, bits: 24 };
    const samples = withSyncs([0xff, 0x1f, 0x00, 0xe8], 8).subarray(0, 396);
    expect((await inspect(riffBytes('RIFF', [fmt(stereo24), data(samples)]))).kind).toBe('pcm');
  });
});
