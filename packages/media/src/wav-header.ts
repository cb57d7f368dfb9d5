import { LacquerError } from '@lacquer/errors';

/** Sample formats of the WAV files Lacquer writes: 16- and 24-bit integer PCM, 32-bit IEEE float. */
export type WavSampleFormat = 'pcm16' | 'pcm24' | 'float32';

/** What a WAV header describes. */
export interface WavLayout {
  readonly sampleFormat: WavSampleFormat;
  /** Channels, interleaved in this order: 1 to 32767 (16-bit), 21845 (24-bit), 16383 (float), as `nBlockAlign` is 16-bit. */
  readonly channelCount: number;
  /** Sample rate in Hz, a positive integer. */
  readonly sampleRateHz: number;
  /** Samples per channel (frames), a non-negative integer. */
  readonly lengthSamples: number;
}

/** A WAV header and the sizes it declares. */
export interface WavHeader {
  /** The header: every byte of the file before the samples. */
  readonly bytes: Buffer;
  /** Bytes per frame (`nBlockAlign`): channels × bytes per sample. */
  readonly blockAlignBytes: number;
  /** Bytes of sample data (`data` chunk size), without the pad byte. */
  readonly dataBytes: number;
  /** 1 when `dataBytes` is odd: RIFF chunks are padded to an even size, and the pad follows the samples. */
  readonly padBytes: 0 | 1;
  /** `RIFF` up to 4 GiB, `RF64` (EBU Tech 3306) beyond. */
  readonly container: 'RIFF' | 'RF64';
}

/** Bytes per sample of each format (the container size, `wBitsPerSample / 8`). */
export const WAV_BYTES_PER_SAMPLE: Readonly<Record<WavSampleFormat, number>> = {
  pcm16: 2,
  pcm24: 3,
  float32: 4,
};

/** `wFormatTag` values (Microsoft `mmreg.h`) of the formats Lacquer writes and reads. */
export const WAVE_FORMAT_PCM = 0x0001;
export const WAVE_FORMAT_IEEE_FLOAT = 0x0003;
export const WAVE_FORMAT_EXTENSIBLE = 0xfffe;
/** RIFF and RF64 size fields of 0xFFFFFFFF mean "see ds64" (RF64) or "unknown" (streamed RIFF). */
export const U32_UNKNOWN = 0xffff_ffff;
/** `fmt ` body sizes: `WAVEFORMAT` + `wBitsPerSample` (PCM), `WAVEFORMATEXTENSIBLE` (cbSize 22). */
const FMT_PCM_BYTES = 16;
const FMT_EXTENSIBLE_BYTES = 40;
const EXTENSIBLE_CB_SIZE = 22;
/** `ds64` body: RIFF size, data size and sample count (64-bit each), table length (32-bit), no table. */
const DS64_BYTES = 28;
/** `fact` body: the sample count per channel (32-bit). */
const FACT_BYTES = 4;
/**
 * `dwChannelMask` for 1–8 channels: the speaker layouts ffmpeg assigns by default
 * (`av_channel_layout_default`: mono, stereo, 2.1, 4.0, 5.0(back), 5.1(back), 6.1, 7.1), so
 * that files read back with the layout the ffmpeg path wrote. More channels get 0, "no speaker
 * assigned", which Microsoft allows.
 */
export const CHANNEL_MASKS = [0x4, 0x3, 0xb, 0x107, 0x37, 0x3f, 0x70f, 0x63f] as const;
/** The tail of the KSDATAFORMAT_SUBTYPE GUIDs: `{xxxxxxxx-0000-0010-8000-00aa00389b71}`, little-endian fields. */
export const SUBFORMAT_GUID_TAIL = Buffer.from([
  0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71,
]);

/**
 * The header of a WAV file of `layout`, for a writer that knows the length before it writes
 * (no seeking back to patch sizes).
 *
 * The `fmt ` chunk follows Microsoft's "Multiple channel audio data and WAVE files": plain
 * `WAVEFORMAT` with `WAVE_FORMAT_PCM` (1) for 16-bit mono and stereo, the canonical 44-byte
 * header; `WAVEFORMATEXTENSIBLE` (tag 0xFFFE, subformat PCM or IEEE float, `dwChannelMask` of
 * ffmpeg's default layout, `wValidBitsPerSample` = container size) for more than 16 bits or
 * more than 2 channels, as that document requires and as ffmpeg's wav muxer writes
 * `pcm_s24le` and `pcm_f32le`. Float files carry the `fact` chunk (sample count) that every
 * non-PCM format must have. Then the `data` chunk header: the samples follow it directly.
 *
 * Files whose RIFF size would not fit 32 bits (over 4 GiB) are written as RF64 (EBU Tech 3306):
 * a `ds64` chunk holds the 64-bit sizes and the 32-bit fields say 0xFFFFFFFF, as ffmpeg's
 * `-rf64 auto` writes them; ffmpeg and `readWavDataLength` read it (tested).
 *
 * @throws LacquerError `MEDIA_INVALID_ARGUMENT` when the layout cannot be written: no channels
 *   or more than a 16-bit `nBlockAlign` holds, a sample rate that is not a positive integer or whose byte rate
 *   does not fit 32 bits, a length that is not a non-negative integer.
 */
export function wavHeader(layout: WavLayout): WavHeader {
  assertWritable(layout);
  const { sampleFormat, channelCount, sampleRateHz, lengthSamples } = layout;
  const bytesPerSample = WAV_BYTES_PER_SAMPLE[sampleFormat];
  const blockAlignBytes = channelCount * bytesPerSample;
  const dataBytes = lengthSamples * blockAlignBytes;
  const padBytes = dataBytes % 2 === 1 ? 1 : 0;
  const isFloat = sampleFormat === 'float32';
  const extensible = bytesPerSample > 2 || channelCount > 2;
  const fmtBytes = extensible ? FMT_EXTENSIBLE_BYTES : FMT_PCM_BYTES;

  const riffBodyBytes = 4 + (8 + fmtBytes) + (isFloat ? 8 + FACT_BYTES : 0) + 8 + dataBytes + padBytes;
  const container = riffBodyBytes >= U32_UNKNOWN ? 'RF64' : 'RIFF';
  const ds64ChunkBytes = container === 'RF64' ? 8 + DS64_BYTES : 0;
  const headerBytes = 12 + ds64ChunkBytes + 8 + fmtBytes + (isFloat ? 8 + FACT_BYTES : 0) + 8;

  const bytes = Buffer.alloc(headerBytes);
  let at = 0;
  const fourCc = (id: string) => {
    at = bytes.write(id, at, 4, 'latin1') + at;
  };
  const u16 = (value: number) => {
    at = bytes.writeUInt16LE(value, at);
  };
  const u32 = (value: number) => {
    at = bytes.writeUInt32LE(value, at);
  };
  const u64 = (value: number) => {
    at = bytes.writeBigUInt64LE(BigInt(value), at);
  };

  fourCc(container);
  u32(container === 'RF64' ? U32_UNKNOWN : riffBodyBytes);
  fourCc('WAVE');
  if (container === 'RF64') {
    fourCc('ds64');
    u32(DS64_BYTES);
    u64(riffBodyBytes + ds64ChunkBytes);
    u64(dataBytes);
    u64(lengthSamples);
    u32(0); // no table of other chunks' 64-bit sizes
  }
  fourCc('fmt ');
  u32(fmtBytes);
  u16(extensible ? WAVE_FORMAT_EXTENSIBLE : isFloat ? WAVE_FORMAT_IEEE_FLOAT : WAVE_FORMAT_PCM);
  u16(channelCount);
  u32(sampleRateHz);
  u32(sampleRateHz * blockAlignBytes);
  u16(blockAlignBytes);
  u16(bytesPerSample * 8);
  if (extensible) {
    u16(EXTENSIBLE_CB_SIZE);
    u16(bytesPerSample * 8); // wValidBitsPerSample: every bit of the container is signal
    u32(CHANNEL_MASKS[channelCount - 1] ?? 0);
    u32(isFloat ? WAVE_FORMAT_IEEE_FLOAT : WAVE_FORMAT_PCM); // first GUID field: the format tag
    at += SUBFORMAT_GUID_TAIL.copy(bytes, at);
  }
  if (isFloat) {
    fourCc('fact');
    u32(FACT_BYTES);
    u32(Math.min(lengthSamples, U32_UNKNOWN));
  }
  fourCc('data');
  u32(container === 'RF64' ? U32_UNKNOWN : dataBytes);
  return { bytes, blockAlignBytes, dataBytes, padBytes, container };
}

function assertWritable(layout: WavLayout): void {
  const { sampleFormat, channelCount, sampleRateHz, lengthSamples } = layout;
  const bytesPerSample = WAV_BYTES_PER_SAMPLE[sampleFormat];
  const valid =
    bytesPerSample !== undefined &&
    Number.isInteger(channelCount) &&
    channelCount >= 1 &&
    channelCount * bytesPerSample <= 0xffff && // nBlockAlign is 16-bit
    Number.isInteger(sampleRateHz) &&
    sampleRateHz > 0 &&
    sampleRateHz * channelCount * bytesPerSample <= 0xffff_ffff && // nAvgBytesPerSec is 32-bit
    Number.isInteger(lengthSamples) &&
    lengthSamples >= 0 &&
    Number.isSafeInteger(lengthSamples * channelCount * bytesPerSample);
  if (!valid) {
    throw new LacquerError('MEDIA_INVALID_ARGUMENT', 'cannot describe this audio in a WAV header', {
      details: { sampleFormat, channelCount, sampleRateHz, lengthSamples },
    });
  }
}
