/**
 * Sample encodings of PCM WAV that Lacquer decodes without ffmpeg (little-endian, interleaved):
 * unsigned 8-bit, signed 16/24/32-bit integer, IEEE 754 binary32 and binary64.
 */
export type PcmEncoding = 'u8' | 's16' | 's24' | 's32' | 'f32' | 'f64';

/** Bytes per sample of each encoding (the container size). */
export const PCM_BYTES_PER_SAMPLE: Readonly<Record<PcmEncoding, number>> = {
  u8: 1,
  s16: 2,
  s24: 3,
  s32: 4,
  f32: 4,
  f64: 8,
};

/** 2^−7, 2^−15, 2^−31: ffmpeg's scale factors (libswresample `audioconvert.c`), exact in float32. */
const U8_SCALE = 1 / 128;
const S16_SCALE = 1 / 32_768;
const S32_SCALE = 1 / 2_147_483_648;

/**
 * Converts `frames` interleaved frames of `encoding` at the start of `source` into the planar
 * float32 `channels` (`channels.length` samples per frame), from frame `offsetFrames` of each.
 *
 * The values are ffmpeg's, bit for bit (what `decodeAudio` returned through ffmpeg, whose PCM
 * decoders and libswresample do this; the differential tests compare):
 * - `u8`: (x − 128) / 2^7; `s16`: x / 2^15, exact;
 * - `s24`: ffmpeg's decoder shifts x into the top of an int32 and converts that as `s32`,
 *   so x / 2^23, exact;
 * - `s32`: x × 2^−31 rounded to float32 (to nearest, ties to even: the rounding of int → float
 *   in C and SSE), so 2^31 − 1 becomes 1.0;
 * - `f32`: as is; `f64`: rounded to float32 (to nearest even; beyond ±3.4e38 to ±Infinity).
 * NaN and ±Infinity pass through; the result says whether any was written.
 *
 * `source.byteOffset` must be a multiple of the sample size of the 16-, 32- and 64-bit
 * encodings (typed views of it are made; any offset for 8- and 24-bit), and `source` must hold
 * the frames; every channel must have room from `offsetFrames` (a typed array drops writes past
 * its end). Mono and stereo have unrolled loops; 24-bit mono and stereo read 4 samples from 3
 * 32-bit words. No allocation beyond the views.
 *
 * @returns whether every sample written is finite (always, for the integer encodings).
 */
export function pcmToPlanar(
  source: Uint8Array,
  encoding: PcmEncoding,
  frames: number,
  channels: readonly Float32Array[],
  offsetFrames: number,
): boolean {
  const samples = frames * channels.length;
  const { buffer, byteOffset } = source;
  switch (encoding) {
    case 'u8':
      u8ToPlanar(source, frames, channels, offsetFrames);
      return true;
    case 's16':
      scaledToPlanar(new Int16Array(buffer, byteOffset, samples), S16_SCALE, channels, offsetFrames);
      return true;
    case 's24':
      s24ToPlanar(source, frames, channels, offsetFrames);
      return true;
    case 's32':
      scaledToPlanar(new Int32Array(buffer, byteOffset, samples), S32_SCALE, channels, offsetFrames);
      return true;
    case 'f32':
      return floatToPlanar(new Float32Array(buffer, byteOffset, samples), channels, offsetFrames);
    case 'f64':
      return floatToPlanar(new Float64Array(buffer, byteOffset, samples), channels, offsetFrames);
    default:
      return assertNever(encoding);
  }
}

/**
 * Floats into the channels, rounded to float32; whether all of them are finite. The check
 * rides along the copy: `v − v` is 0 for a finite `v` and NaN otherwise, and NaN absorbs every
 * sum (as `findNonFiniteSample`), on the float32 value, so that a float64 beyond float32's range
 * counts as the Infinity it becomes.
 */
function floatToPlanar(
  interleaved: Float32Array | Float64Array,
  channels: readonly Float32Array[],
  offsetFrames: number,
): boolean {
  const channelCount = channels.length;
  const end = offsetFrames + interleaved.length / channelCount;
  let probe = 0;
  if (channelCount === 2) {
    const left = channels[0]!;
    const right = channels[1]!;
    let probeRight = 0;
    for (let j = 0, k = offsetFrames; k < end; j += 2, k++) {
      const l = Math.fround(interleaved[j]!);
      const r = Math.fround(interleaved[j + 1]!);
      left[k] = l;
      right[k] = r;
      probe += l - l;
      probeRight += r - r;
    }
    probe += probeRight;
  } else {
    for (let c = 0; c < channelCount; c++) {
      const channel = channels[c]!;
      for (let j = c, k = offsetFrames; k < end; j += channelCount, k++) {
        const v = Math.fround(interleaved[j]!);
        channel[k] = v;
        probe += v - v;
      }
    }
  }
  return probe === 0;
}

/** Integers × `scale` into the channels. */
function scaledToPlanar(
  interleaved: Int16Array | Int32Array,
  scale: number,
  channels: readonly Float32Array[],
  offsetFrames: number,
): void {
  const channelCount = channels.length;
  const end = offsetFrames + interleaved.length / channelCount;
  if (channelCount === 1) {
    const mono = channels[0]!;
    for (let j = 0, k = offsetFrames; k < end; j++, k++) mono[k] = interleaved[j]! * scale;
  } else if (channelCount === 2) {
    const left = channels[0]!;
    const right = channels[1]!;
    for (let j = 0, k = offsetFrames; k < end; j += 2, k++) {
      left[k] = interleaved[j]! * scale;
      right[k] = interleaved[j + 1]! * scale;
    }
  } else {
    for (let c = 0; c < channelCount; c++) {
      const channel = channels[c]!;
      for (let j = c, k = offsetFrames; k < end; j += channelCount, k++) {
        channel[k] = interleaved[j]! * scale;
      }
    }
  }
}

function u8ToPlanar(
  bytes: Uint8Array,
  frames: number,
  channels: readonly Float32Array[],
  offsetFrames: number,
): void {
  const channelCount = channels.length;
  const end = offsetFrames + frames;
  for (let c = 0; c < channelCount; c++) {
    const channel = channels[c]!;
    for (let j = c, k = offsetFrames; k < end; j += channelCount, k++) {
      channel[k] = (bytes[j]! - 128) * U8_SCALE;
    }
  }
}

/**
 * 24-bit: the three bytes go to the top of an int32 (x × 2^8, as ffmpeg's decoder does), so
 * one multiplication by 2^−31 gives x / 2^23 with no sign extension. Mono and stereo take 4
 * samples (12 bytes) from 3 aligned 32-bit words, 60 % faster than byte by byte in V8; the
 * frames before the first aligned word and after the last whole group go byte by byte.
 */
function s24ToPlanar(
  bytes: Uint8Array,
  frames: number,
  channels: readonly Float32Array[],
  offsetFrames: number,
): void {
  const channelCount = channels.length;
  if (channelCount > 2) {
    s24BytesToPlanar(bytes, 0, frames, channels, offsetFrames);
    return;
  }
  const frameBytes = channelCount * 3;
  const framesPerGroup = 4 / channelCount; // 4 samples: 2 stereo frames or 4 mono ones
  let lead = 0;
  while (lead < 4 && (bytes.byteOffset + lead * frameBytes) % 4 !== 0) lead++;
  if (lead === 4 || lead >= frames) {
    // No frame starts on a word (stereo at an odd byte offset), or too few frames to matter.
    s24BytesToPlanar(bytes, 0, frames, channels, offsetFrames);
    return;
  }
  const groups = Math.floor((frames - lead) / framesPerGroup);
  const wordEnd = lead + groups * framesPerGroup;
  s24BytesToPlanar(bytes, 0, lead, channels, offsetFrames);
  const words = new Int32Array(bytes.buffer, bytes.byteOffset + lead * frameBytes, groups * 3);
  if (channelCount === 2) {
    const left = channels[0]!;
    const right = channels[1]!;
    for (let j = 0, k = offsetFrames + lead; j < words.length; j += 3, k += 2) {
      const w0 = words[j]!;
      const w1 = words[j + 1]!;
      const w2 = words[j + 2]!;
      left[k] = (w0 << 8) * S32_SCALE;
      right[k] = (((w0 >>> 16) & 0xff00) | (w1 << 16)) * S32_SCALE;
      left[k + 1] = (((w1 >>> 8) & 0xffff00) | (w2 << 24)) * S32_SCALE;
      right[k + 1] = (w2 & -256) * S32_SCALE;
    }
  } else {
    const mono = channels[0]!;
    for (let j = 0, k = offsetFrames + lead; j < words.length; j += 3, k += 4) {
      const w0 = words[j]!;
      const w1 = words[j + 1]!;
      const w2 = words[j + 2]!;
      mono[k] = (w0 << 8) * S32_SCALE;
      mono[k + 1] = (((w0 >>> 16) & 0xff00) | (w1 << 16)) * S32_SCALE;
      mono[k + 2] = (((w1 >>> 8) & 0xffff00) | (w2 << 24)) * S32_SCALE;
      mono[k + 3] = (w2 & -256) * S32_SCALE;
    }
  }
  s24BytesToPlanar(bytes, wordEnd, frames, channels, offsetFrames);
}

/** Frames `[fromFrame, toFrame)` of 24-bit `bytes`, byte by byte, to frames from `offsetFrames + fromFrame`. */
function s24BytesToPlanar(
  bytes: Uint8Array,
  fromFrame: number,
  toFrame: number,
  channels: readonly Float32Array[],
  offsetFrames: number,
): void {
  const channelCount = channels.length;
  const frameBytes = channelCount * 3;
  const end = offsetFrames + toFrame;
  for (let c = 0; c < channelCount; c++) {
    const channel = channels[c]!;
    for (
      let j = fromFrame * frameBytes + c * 3, k = offsetFrames + fromFrame;
      k < end;
      j += frameBytes, k++
    ) {
      channel[k] = ((bytes[j]! << 8) | (bytes[j + 1]! << 16) | (bytes[j + 2]! << 24)) * S32_SCALE;
    }
  }
}

function assertNever(value: never): never {
  throw new TypeError(`unknown PCM encoding ${String(value)}`);
}
