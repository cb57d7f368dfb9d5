import { CODEC_PROBE_BYTES, mayHoldBitstream } from './may-hold-bitstream.ts';
import { PCM_BYTES_PER_SAMPLE, type PcmEncoding } from './pcm-to-planar.ts';
import {
  CHANNEL_MASKS,
  SUBFORMAT_GUID_TAIL,
  U32_UNKNOWN,
  WAVE_FORMAT_EXTENSIBLE,
  WAVE_FORMAT_IEEE_FLOAT,
  WAVE_FORMAT_PCM,
} from './wav-header.ts';

/** Reads up to `length` bytes at byte `position` of a file (fewer only at its end). */
export type ReadAt = (position: number, length: number) => Promise<Uint8Array>;

/** Where a plain PCM WAV file keeps its samples, and how they are encoded. */
export interface PcmWavLayout {
  readonly encoding: PcmEncoding;
  /** Channels, interleaved: 1 to 512 (ffmpeg's limit). */
  readonly channelCount: number;
  /** Sample rate in Hz (`nSamplesPerSec`), 1 to 2^31 − 1. */
  readonly sampleRateHz: number;
  /** Bytes per frame: `channelCount` × the encoding's bytes per sample (`nBlockAlign`). */
  readonly blockAlignBytes: number;
  /** Offset of the first sample in the file, in bytes. */
  readonly dataOffsetBytes: number;
  /**
   * Frames the `data` chunk declares; `undefined` when its size says "unknown" (0 or
   * 0xFFFFFFFF, as encoders streaming to a pipe write it): the samples then run to the end of
   * the file.
   */
  readonly declaredLengthSamples: number | undefined;
  /** Frames the file holds: the declared ones, or fewer when the file is cut short. */
  readonly lengthSamples: number;
}

/** What {@link inspectPcmWav} found: a layout to decode, or why the file is left to ffmpeg. */
export type PcmWavInspection =
  | { readonly kind: 'pcm'; readonly layout: PcmWavLayout }
  | { readonly kind: 'other'; readonly reason: string };

/** Bytes read at once from the start of the file: every chunk header of a typical WAV. */
const HEAD_BYTES = 1 << 16;
/** Chunks walked at most, before and after the samples; real files have a handful. */
const MAX_CHUNKS = 1024;
/** A `fmt ` body longer than this is no PCM format (`WAVEFORMATEXTENSIBLE` is 40 bytes). */
const MAX_FMT_BYTES = 1024;
/** ffmpeg's decoders refuse more channels (`FF_SANE_NB_CHANNELS`). */
const MAX_CHANNELS = 512;
/** ffmpeg reads the sample rate as a signed 32-bit integer and refuses it ≤ 0. */
const MAX_SAMPLE_RATE_HZ = 0x7fff_ffff;
/** ffmpeg reads this many bytes of a `bext` chunk whatever its size, and fails the file if they are not there. */
const BEXT_FIXED_BYTES = 602;
/** `ds64`: RIFF size, data size, sample count (64-bit each) at least. */
const DS64_MIN_BYTES = 24;

/**
 * Reads the chunk headers of a WAV file (through `readAt`, `fileBytes` long) and says whether
 * its samples are plain PCM that Lacquer decodes itself with ffmpeg's results, or must go
 * through ffmpeg.
 *
 * The walk is ffmpeg 5–7's (`wav_read_header` and `wav_read_packet` of libavformat
 * `wavdec.c`, `ff_get_wav_header` of `riffdec.c`), for the files it reads as PCM:
 * - `RIFF`, or `RF64`/`BW64` whose `ds64` chunk comes first (EBU Tech 3306), then `WAVE`;
 *   chunks at even offsets (odd sizes are padded), unknown ones skipped (`LIST`, `JUNK`,
 *   `bext`, `fact`, `iXML`, `id3 `, …);
 * - the first `fmt ` chunk, before `data`: `WAVE_FORMAT_PCM` 8 (unsigned), 16, 24 or 32 bits,
 *   `WAVE_FORMAT_IEEE_FLOAT` 32 or 64 bits, or `WAVE_FORMAT_EXTENSIBLE` with either subformat
 *   (`wValidBitsPerSample` may be below the container's, e.g. 20 in 24, as ffmpeg decodes the
 *   container), with `nBlockAlign` = channels × container bytes;
 * - the `data` chunk's size: RF64's from `ds64`; 0 or 0xFFFFFFFF in `RIFF` means "to the end
 *   of the file", as ffmpeg reads it; a file shorter than declared is cut (`lengthSamples`
 *   below `declaredLengthSamples`).
 *
 * Everything else is `other`, with the reason, including cases where ffmpeg's reading differs
 * from the plain one or fails: `RIFX` (big-endian), compressed formats (ADPCM, µ-law, A-law,
 * MP3 in WAV), extra format bytes, a container wider than the samples need, more than 512
 * channels, a channel mask other than ffmpeg's default layout for the channel count (ffmpeg
 * then remixes to that layout), a second `data` chunk (ffmpeg appends it), a size that is not
 * whole frames, a `LIST`, `bext` or `cue ` chunk that ffmpeg fails on, and PCM whose first
 * bytes may be a bitstream ({@link mayHoldBitstream}). Files ffmpeg cannot read are `other`
 * too, so that ffmpeg's errors stay the ones reported.
 *
 * Reads the first 64 KiB, the first 128 KiB of samples and, rarely, a few chunk headers
 * beyond. Errors of `readAt` propagate.
 */
export async function inspectPcmWav(readAt: ReadAt, fileBytes: number): Promise<PcmWavInspection> {
  const head = await readAt(0, Math.min(HEAD_BYTES, fileBytes));
  const bytesAt = async (position: number, length: number): Promise<Uint8Array | undefined> => {
    if (position + length <= head.length) return head.subarray(position, position + length);
    if (position + length > fileBytes) return undefined;
    const bytes = await readAt(position, length);
    return bytes.length === length ? bytes : undefined;
  };

  const riff = await bytesAt(0, 12);
  if (!riff) return other('shorter than a RIFF header');
  const container = fourCc(riff, 0);
  if (container !== 'RIFF' && container !== 'RF64' && container !== 'BW64') {
    return other(`container ${JSON.stringify(container)} is not RIFF, RF64 or BW64`);
  }
  if (fourCc(riff, 8) !== 'WAVE') return other('not a WAVE file');

  let position = 12;
  let ds64DataBytes: number | undefined;
  if (container !== 'RIFF') {
    const ds64 = await bytesAt(12, 8 + DS64_MIN_BYTES);
    if (!ds64 || fourCc(ds64, 0) !== 'ds64') return other(`${container} without a ds64 chunk first`);
    const sizeBytes = u32(ds64, 4);
    // ffmpeg reads the next chunk right after ds64, with no pad byte: an odd size is not followed.
    if (sizeBytes < DS64_MIN_BYTES || sizeBytes % 2 === 1) return other(`ds64 chunk of ${sizeBytes} bytes`);
    ds64DataBytes = u64(ds64, 16);
    // 0 would make ffmpeg look for another data chunk inside the samples.
    if (ds64DataBytes === undefined || ds64DataBytes === 0) return other('ds64 data size 0 or over 2^53');
    position = 20 + sizeBytes;
  }

  let format: WavFormat | undefined;
  let dataOffsetBytes: number | undefined;
  let dataBytes: number | undefined; // undefined: to the end of the file
  for (let chunk = 0; ; chunk++) {
    if (chunk === MAX_CHUNKS) return other(`more than ${MAX_CHUNKS} chunks`);
    const header = await bytesAt(position, 8);
    if (!header) break; // ffmpeg ends the walk at a chunk header cut by the end of the file
    const id = fourCc(header, 0);
    const sizeBytes = u32(header, 4);
    const bodyOffset = position + 8;
    let next = bodyOffset + sizeBytes;
    if (id === 'fmt ' && format === undefined) {
      if (sizeBytes > MAX_FMT_BYTES) return other(`fmt chunk of ${sizeBytes} bytes`);
      const body = await bytesAt(bodyOffset, sizeBytes);
      if (!body) return other('fmt chunk cut short');
      const parsed = parseFormat(body);
      if (typeof parsed === 'string') return other(parsed);
      format = parsed;
    } else if (id === 'data') {
      if (format === undefined) return other('data chunk before the fmt chunk');
      if (dataOffsetBytes !== undefined) return other('a second data chunk');
      dataOffsetBytes = bodyOffset;
      if (ds64DataBytes !== undefined) {
        // ffmpeg takes ds64's size; readWavDataLength (the truncation check) takes this one.
        if (sizeBytes !== U32_UNKNOWN && sizeBytes !== ds64DataBytes)
          return other('data and ds64 sizes differ');
        dataBytes = ds64DataBytes;
        next = bodyOffset + ds64DataBytes;
      } else if (sizeBytes === 0 || sizeBytes === U32_UNKNOWN) {
        break; // streamed: whatever follows is samples
      } else {
        dataBytes = sizeBytes;
      }
    } else if ((id === 'LIST' || id === 'list') && sizeBytes < 4) {
      return other('LIST chunk shorter than 4 bytes');
    } else if (id === 'bext' && bodyOffset + Math.max(sizeBytes, BEXT_FIXED_BYTES) > fileBytes) {
      return other('bext chunk cut short');
    } else if (id === 'cue ' && next > fileBytes) {
      return other('cue chunk cut short');
    } else if (id === 'SMV0' || id === 'XMA2') {
      return other(`${id} chunk`);
    }
    if (next >= fileBytes) break;
    position = next + (next % 2);
  }
  if (format === undefined) return other('no fmt chunk');
  if (dataOffsetBytes === undefined) return other('no data chunk');

  if (dataBytes !== undefined) {
    // Past the declared end, ffmpeg looks for another data chunk, from that very byte (no pad).
    let next = dataOffsetBytes + dataBytes;
    for (let chunk = 0; next + 4 <= fileBytes; chunk++) {
      if (chunk === MAX_CHUNKS) return other(`more than ${MAX_CHUNKS} chunks after the samples`);
      const header = await bytesAt(next, Math.min(8, fileBytes - next));
      if (!header) break;
      if (fourCc(header, 0) === 'data') return other('a data chunk after the samples');
      if (header.length < 8) break;
      const sizeBytes = u32(header, 4);
      next += 8 + sizeBytes + (sizeBytes % 2);
    }
  }

  const { encoding, channelCount, sampleRateHz, blockAlignBytes, formatTag } = format;
  const availableBytes = fileBytes - dataOffsetBytes;
  let declaredLengthSamples: number | undefined;
  let lengthSamples: number;
  if (dataBytes === undefined) {
    if (availableBytes % blockAlignBytes !== 0) return other('streamed samples end inside a frame');
    lengthSamples = availableBytes / blockAlignBytes;
  } else {
    if (dataBytes % blockAlignBytes !== 0) return other('data size is not whole frames');
    declaredLengthSamples = dataBytes / blockAlignBytes;
    lengthSamples = Math.min(declaredLengthSamples, Math.floor(availableBytes / blockAlignBytes));
  }

  if (formatTag === WAVE_FORMAT_PCM) {
    const probe = await bytesAt(dataOffsetBytes, Math.min(CODEC_PROBE_BYTES, availableBytes));
    if (probe && mayHoldBitstream(probe, encoding === 's16')) return other('samples may be a bitstream');
  }

  return {
    kind: 'pcm',
    layout: {
      encoding,
      channelCount,
      sampleRateHz,
      blockAlignBytes,
      dataOffsetBytes,
      declaredLengthSamples,
      lengthSamples,
    },
  };
}

/** What a `fmt ` chunk says, once accepted. */
interface WavFormat {
  /** `WAVE_FORMAT_PCM` or `WAVE_FORMAT_IEEE_FLOAT` (the subformat of an extensible one). */
  readonly formatTag: number;
  readonly encoding: PcmEncoding;
  readonly channelCount: number;
  readonly sampleRateHz: number;
  readonly blockAlignBytes: number;
}

/** The format of a `fmt ` body, or why it is not one decoded here (`ff_get_wav_header`). */
function parseFormat(body: Uint8Array): WavFormat | string {
  if (body.length < 16) return `fmt chunk of ${body.length} bytes`;
  const tag = u16(body, 0);
  const channelCount = u16(body, 2);
  const sampleRateHz = u32(body, 4);
  const blockAlignBytes = u16(body, 12);
  const containerBits = u16(body, 14);
  let formatTag = tag;
  let bits = containerBits;
  // WAVEFORMATEX's cbSize counts the bytes after it, as far as the chunk holds them.
  let extraBytes = body.length >= 18 ? Math.min(body.length - 18, u16(body, 16)) : 0;
  if (tag === WAVE_FORMAT_EXTENSIBLE) {
    if (extraBytes < 22) return 'WAVE_FORMAT_EXTENSIBLE without its extension';
    const validBits = u16(body, 18);
    const channelMask = u32(body, 20);
    formatTag = u32(body, 24);
    if (!SUBFORMAT_GUID_TAIL.equals(body.subarray(28, 40))) return 'subformat GUID of no format tag';
    if (validBits !== 0) bits = validBits; // ffmpeg picks the decoder by the valid bits
    // ffmpeg keeps a mask that names every channel, and then remixes it to its default layout
    // for the channel count; identical samples only where the two are the same.
    if (popCount(channelMask) === channelCount && channelMask !== CHANNEL_MASKS[channelCount - 1]) {
      return `channel mask 0x${channelMask.toString(16)} is not ffmpeg's default for ${channelCount} channels`;
    }
    extraBytes -= 22;
  }
  if (extraBytes > 0) return 'extra format bytes'; // ffmpeg's hacks for odd formats live there

  let encoding: PcmEncoding;
  if (formatTag === WAVE_FORMAT_PCM && bits >= 1 && bits <= 32) {
    encoding = (['u8', 's16', 's24', 's32'] as const)[((bits + 7) >> 3) - 1]!;
  } else if (formatTag === WAVE_FORMAT_IEEE_FLOAT && (bits === 32 || bits === 64)) {
    encoding = bits === 32 ? 'f32' : 'f64';
  } else {
    return `format tag 0x${formatTag.toString(16)} with ${bits} bits`;
  }
  const sampleBytes = PCM_BYTES_PER_SAMPLE[encoding];
  if (containerBits !== sampleBytes * 8) return `${bits} bits in a ${containerBits}-bit container`;
  if (channelCount < 1 || channelCount > MAX_CHANNELS) return `${channelCount} channels`;
  if (sampleRateHz < 1 || sampleRateHz > MAX_SAMPLE_RATE_HZ) return `sample rate ${sampleRateHz} Hz`;
  if (blockAlignBytes !== channelCount * sampleBytes) return `block align of ${blockAlignBytes} bytes`;
  return { formatTag, encoding, channelCount, sampleRateHz, blockAlignBytes };
}

function other(reason: string): PcmWavInspection {
  return { kind: 'other', reason };
}

function fourCc(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!);
}

function u16(bytes: Uint8Array, at: number): number {
  return bytes[at]! | (bytes[at + 1]! << 8);
}

function u32(bytes: Uint8Array, at: number): number {
  return (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0;
}

/** A 64-bit little-endian size, or `undefined` beyond 2^53 − 1. */
function u64(bytes: Uint8Array, at: number): number | undefined {
  const value = u32(bytes, at) + u32(bytes, at + 4) * 2 ** 32;
  return Number.isSafeInteger(value) ? value : undefined;
}

function popCount(mask: number): number {
  let count = 0;
  for (let rest = mask; rest !== 0; rest >>>= 1) count += rest & 1;
  return count;
}
