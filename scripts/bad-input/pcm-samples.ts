import type { PlanarAudio } from '@lacquer/dsp';

/** Sample encodings of WAV data: unsigned 8-bit, signed 16/24/32-bit, IEEE float 32/64-bit. */
export type PcmSampleFormat = 'u8' | 's16' | 's24' | 's32' | 'f32' | 'f64';

/** Bytes per sample of each {@link PcmSampleFormat}. */
export const PCM_SAMPLE_BYTES: Readonly<Record<PcmSampleFormat, number>> = {
  u8: 1,
  s16: 2,
  s24: 3,
  s32: 4,
  f32: 4,
  f64: 8,
};

/**
 * `audio` interleaved and encoded as WAV sample data (little-endian unless `bigEndian`).
 * Integer formats round and saturate at full scale; float formats keep every value as it is
 * (over full scale, NaN, ±Infinity), which is what the corpus needs them for.
 */
export function pcmSamples(audio: PlanarAudio, format: PcmSampleFormat, bigEndian = false): Buffer {
  const { channels } = audio;
  const frames = channels[0]?.length ?? 0;
  const sampleBytes = PCM_SAMPLE_BYTES[format];
  const bytes = Buffer.alloc(frames * channels.length * sampleBytes);
  const integer = (value: number, bits: number): number => {
    const scale = 2 ** (bits - 1);
    return Math.max(-scale, Math.min(scale - 1, Math.round(value * scale)));
  };
  let at = 0;
  for (let frame = 0; frame < frames; frame++) {
    for (const channel of channels) {
      const value = channel[frame]!;
      switch (format) {
        case 'u8':
          bytes.writeUInt8(integer(value, 8) + 128, at);
          break;
        case 's16':
          if (bigEndian) bytes.writeInt16BE(integer(value, 16), at);
          else bytes.writeInt16LE(integer(value, 16), at);
          break;
        case 's24':
          bytes.writeIntLE(integer(value, 24), at, 3);
          break;
        case 's32':
          bytes.writeInt32LE(integer(value, 32), at);
          break;
        case 'f32':
          bytes.writeFloatLE(value, at);
          break;
        case 'f64':
          bytes.writeDoubleLE(value, at);
          break;
        default: {
          const never: never = format;
          throw new Error(`unknown sample format ${String(never)}`);
        }
      }
      at += sampleBytes;
    }
  }
  return bytes;
}
