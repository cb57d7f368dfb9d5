import { isLacquerError } from '@lacquer/errors';
import { describe, expect, it } from 'vitest';
import { type WavLayout, wavHeader } from './wav-header.ts';

/** The fields of a header, parsed the way a reader would (RIFF or RF64, any chunk order). */
function parse(bytes: Buffer) {
  const chunks = new Map<string, Buffer>();
  const sizes = new Map<string, number>();
  for (let at = 12; at + 8 <= bytes.length; ) {
    const id = bytes.toString('latin1', at, at + 4);
    const size = bytes.readUInt32LE(at + 4);
    sizes.set(id, size);
    chunks.set(id, bytes.subarray(at + 8, Math.min(bytes.length, at + 8 + size)));
    at += 8 + size;
  }
  const fmt = chunks.get('fmt ')!;
  const ds64 = chunks.get('ds64');
  return {
    riff: bytes.toString('latin1', 0, 4),
    riffSize: bytes.readUInt32LE(4),
    wave: bytes.toString('latin1', 8, 12),
    chunkIds: [...chunks.keys()],
    fmtSize: sizes.get('fmt '),
    formatTag: fmt.readUInt16LE(0),
    channelCount: fmt.readUInt16LE(2),
    sampleRateHz: fmt.readUInt32LE(4),
    byteRate: fmt.readUInt32LE(8),
    blockAlign: fmt.readUInt16LE(12),
    bitsPerSample: fmt.readUInt16LE(14),
    cbSize: fmt.length > 16 ? fmt.readUInt16LE(16) : undefined,
    validBits: fmt.length > 18 ? fmt.readUInt16LE(18) : undefined,
    channelMask: fmt.length > 20 ? fmt.readUInt32LE(20) : undefined,
    subFormat: fmt.length > 24 ? fmt.subarray(24, 40).toString('hex') : undefined,
    factSamples: chunks.get('fact')?.readUInt32LE(0),
    dataSize: sizes.get('data'),
    ds64: ds64 && {
      riffSize: Number(ds64.readBigUInt64LE(0)),
      dataSize: Number(ds64.readBigUInt64LE(8)),
      sampleCount: Number(ds64.readBigUInt64LE(16)),
    },
  };
}

/** KSDATAFORMAT_SUBTYPE_PCM and _IEEE_FLOAT as stored (Microsoft ksmedia.h; little-endian fields). */
const SUBTYPE_PCM = '0100000000001000800000aa00389b71';
const SUBTYPE_IEEE_FLOAT = '0300000000001000800000aa00389b71';

function codeOf(work: () => unknown): string | undefined {
  try {
    work();
  } catch (error) {
    return isLacquerError(error) ? error.code : 'not a LacquerError';
  }
  return undefined;
}

describe('wavHeader', () => {
  it('16-bit stereo: the canonical 44-byte header, WAVE_FORMAT_PCM', () => {
    const header = wavHeader({
      sampleFormat: 'pcm16',
      channelCount: 2,
      sampleRateHz: 44_100,
      lengthSamples: 1000,
    });
    expect(header).toMatchObject({ blockAlignBytes: 4, dataBytes: 4000, padBytes: 0, container: 'RIFF' });
    expect(header.bytes.length).toBe(44);
    expect(parse(header.bytes)).toMatchObject({
      riff: 'RIFF',
      riffSize: 36 + 4000,
      wave: 'WAVE',
      chunkIds: ['fmt ', 'data'],
      fmtSize: 16,
      formatTag: 1,
      channelCount: 2,
      sampleRateHz: 44_100,
      byteRate: 176_400,
      blockAlign: 4,
      bitsPerSample: 16,
      dataSize: 4000,
    });
  });

  it('24-bit stereo: WAVEFORMATEXTENSIBLE (more than 16 bits), subformat PCM, stereo mask', () => {
    const header = wavHeader({
      sampleFormat: 'pcm24',
      channelCount: 2,
      sampleRateHz: 48_000,
      lengthSamples: 10,
    });
    expect(header.bytes.length).toBe(68);
    expect(parse(header.bytes)).toMatchObject({
      riffSize: 60 + 60,
      chunkIds: ['fmt ', 'data'],
      fmtSize: 40,
      formatTag: 0xfffe,
      blockAlign: 6,
      bitsPerSample: 24,
      byteRate: 288_000,
      cbSize: 22,
      validBits: 24,
      channelMask: 0x3,
      subFormat: SUBTYPE_PCM,
      dataSize: 60,
    });
  });

  it('float32: extensible with subformat IEEE float, and the fact chunk', () => {
    const header = wavHeader({
      sampleFormat: 'float32',
      channelCount: 1,
      sampleRateHz: 8000,
      lengthSamples: 7,
    });
    expect(header.bytes.length).toBe(80);
    expect(parse(header.bytes)).toMatchObject({
      riffSize: 72 + 28,
      chunkIds: ['fmt ', 'fact', 'data'],
      formatTag: 0xfffe,
      bitsPerSample: 32,
      channelMask: 0x4,
      subFormat: SUBTYPE_IEEE_FLOAT,
      factSamples: 7,
      dataSize: 28,
    });
  });

  it.each([
    [3, 0xb],
    [6, 0x3f],
    [8, 0x63f],
    [9, 0],
  ])('16-bit of %i channels is extensible (more than 2), channel mask %i', (channelCount, mask) => {
    const fields = parse(
      wavHeader({ sampleFormat: 'pcm16', channelCount, sampleRateHz: 48_000, lengthSamples: 1 }).bytes,
    );
    expect(fields).toMatchObject({ formatTag: 0xfffe, channelMask: mask, blockAlign: channelCount * 2 });
  });

  it('an odd data size gets a pad byte, counted in the RIFF size, not in the data size', () => {
    const header = wavHeader({
      sampleFormat: 'pcm24',
      channelCount: 1,
      sampleRateHz: 44_100,
      lengthSamples: 3,
    });
    expect(header).toMatchObject({ dataBytes: 9, padBytes: 1 });
    expect(parse(header.bytes)).toMatchObject({ riffSize: 60 + 9 + 1, dataSize: 9 });
  });

  it('RIFF up to a RIFF size of 0xFFFFFFFE; RF64 with ds64 from 0xFFFFFFFF (the value that means "unknown")', () => {
    // 16-bit mono: RIFF size = 36 + 2 × length
    const largestRiff: WavLayout = {
      sampleFormat: 'pcm16',
      channelCount: 1,
      sampleRateHz: 48_000,
      lengthSamples: (0xffff_fffe - 36) / 2,
    };
    expect(parse(wavHeader(largestRiff).bytes).riffSize).toBe(0xffff_fffe);
    const rf64 = wavHeader({ ...largestRiff, lengthSamples: largestRiff.lengthSamples + 1 });
    expect(rf64.container).toBe('RF64');
    expect(rf64.bytes.length).toBe(44 + 36);
    expect(parse(rf64.bytes)).toMatchObject({
      riff: 'RF64',
      riffSize: 0xffff_ffff,
      chunkIds: ['ds64', 'fmt ', 'data'],
      dataSize: 0xffff_ffff,
      ds64: { riffSize: 36 + 36 + 0xffff_ffdc, dataSize: 0xffff_ffdc, sampleCount: 0x7fff_ffee },
    });
  });

  it('RF64 float: the fact chunk saturates at 0xFFFFFFFF samples, ds64 has the count', () => {
    const lengthSamples = 2 ** 33;
    const fields = parse(
      wavHeader({ sampleFormat: 'float32', channelCount: 2, sampleRateHz: 192_000, lengthSamples }).bytes,
    );
    expect(fields).toMatchObject({
      factSamples: 0xffff_ffff,
      ds64: { dataSize: lengthSamples * 8, sampleCount: lengthSamples },
    });
  });

  it.each<[string, WavLayout]>([
    ['no channels', { sampleFormat: 'pcm24', channelCount: 0, sampleRateHz: 48_000, lengthSamples: 1 }],
    [
      'a frame over 65535 bytes',
      { sampleFormat: 'float32', channelCount: 16_384, sampleRateHz: 8000, lengthSamples: 1 },
    ],
    [
      'a fractional rate',
      { sampleFormat: 'pcm16', channelCount: 2, sampleRateHz: 44_100.5, lengthSamples: 1 },
    ],
    [
      'a byte rate over 32 bits',
      { sampleFormat: 'float32', channelCount: 8, sampleRateHz: 200_000_000, lengthSamples: 1 },
    ],
    [
      'a negative length',
      { sampleFormat: 'pcm16', channelCount: 2, sampleRateHz: 44_100, lengthSamples: -1 },
    ],
    [
      'an unknown sample format',
      { sampleFormat: 'pcm8' as 'pcm16', channelCount: 2, sampleRateHz: 44_100, lengthSamples: 1 },
    ],
  ])('MEDIA_INVALID_ARGUMENT for %s', (_, layout) => {
    expect(codeOf(() => wavHeader(layout))).toBe('MEDIA_INVALID_ARGUMENT');
  });
});
