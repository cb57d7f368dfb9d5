/** What {@link floatWavBytes} writes. */
export interface FloatWavOptions {
  readonly sampleRateHz: number;
  /** Planar samples written as they are (NaN, ±Infinity and values over 1 included). */
  readonly channels: readonly Float32Array[];
}

/**
 * The bytes of a 32-bit IEEE float WAV file (`WAVE_FORMAT_IEEE_FLOAT`, with the `fact` chunk
 * that format requires), written here rather than by ffmpeg so that tests can hand the decoder
 * samples no encoder would write. Test helper: not exported by the package.
 */
export function floatWavBytes(options: FloatWavOptions): Buffer {
  const { sampleRateHz, channels } = options;
  const channelCount = channels.length;
  const frames = channels[0]?.length ?? 0;
  const blockAlign = channelCount * 4;
  const dataBytes = frames * blockAlign;
  const bytes = Buffer.alloc(12 + 8 + 18 + 8 + 4 + 8 + dataBytes);
  let at = 0;
  const text = (value: string) => {
    bytes.write(value, at, 'latin1');
    at += 4;
  };
  const u32 = (value: number) => {
    bytes.writeUInt32LE(value, at);
    at += 4;
  };
  const u16 = (value: number) => {
    bytes.writeUInt16LE(value, at);
    at += 2;
  };
  text('RIFF');
  u32(bytes.length - 8);
  text('WAVE');
  text('fmt ');
  u32(18);
  u16(3); // WAVE_FORMAT_IEEE_FLOAT
  u16(channelCount);
  u32(sampleRateHz);
  u32(sampleRateHz * blockAlign);
  u16(blockAlign);
  u16(32);
  u16(0); // cbSize
  text('fact');
  u32(4);
  u32(frames);
  text('data');
  u32(dataBytes);
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < channelCount; c++) {
      bytes.writeFloatLE(channels[c]![i]!, at);
      at += 4;
    }
  }
  return bytes;
}
