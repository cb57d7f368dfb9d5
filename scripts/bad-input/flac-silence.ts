/** Options of {@link flacSilence}. */
export interface FlacSilenceOptions {
  readonly durationSeconds: number;
  /** 44.1 kHz: the rate code this writer puts in frame headers. */
  readonly sampleRateHz: 44_100;
  readonly channelCount: 1 | 2;
}

/** Samples per frame: FLAC's largest block size, so that hours of silence stay small. */
const BLOCK_SIZE_SAMPLES = 65_535;
/** Frame header codes (FLAC format, FRAME_HEADER): block size "16-bit at the end", 44.1 kHz, 16-bit samples. */
const BLOCK_SIZE_CODE_16_BIT = 0b0111;
const SAMPLE_RATE_CODE_44100 = 0b1001;
const SAMPLE_SIZE_CODE_16_BIT = 0b100;

/**
 * A valid FLAC file of digital silence, written frame by frame without an encoder: STREAMINFO
 * (total samples declared, MD5 unset), then fixed-size frames of 65 535 samples whose
 * subframes are CONSTANT 0, each with its CRC-8 and CRC-16 (RFC 9639). Eight hours of stereo
 * at 44.1 kHz take 19 380 frames of 18 bytes: 350 KB that decode to 10 GB of float.
 */
export function flacSilence(options: FlacSilenceOptions): Buffer {
  const { channelCount, sampleRateHz } = options;
  const totalSamples = Math.round(options.durationSeconds * sampleRateHz);
  const streamInfo = Buffer.alloc(4 + 34);
  streamInfo[0] = 0x80; // last metadata block, type 0 (STREAMINFO)
  streamInfo.writeUIntBE(34, 1, 3);
  streamInfo.writeUInt16BE(BLOCK_SIZE_SAMPLES, 4); // minimum block size
  streamInfo.writeUInt16BE(BLOCK_SIZE_SAMPLES, 6); // maximum block size
  // Frame sizes (24 bits each) unknown: 0. Then 20 bits of rate, 3 of channels − 1, 5 of bits − 1, 36 of samples.
  const packed =
    (BigInt(sampleRateHz) << 44n) | (BigInt(channelCount - 1) << 41n) | (15n << 36n) | BigInt(totalSamples);
  streamInfo.writeBigUInt64BE(packed, 14);
  // MD5 (16 bytes) left 0: "not computed".

  const frames: Buffer[] = [Buffer.from('fLaC', 'latin1'), streamInfo];
  for (let index = 0, done = 0; done < totalSamples; index++, done += BLOCK_SIZE_SAMPLES) {
    const blockSamples = Math.min(BLOCK_SIZE_SAMPLES, totalSamples - done);
    const channelCode = channelCount - 1; // independent channels
    const header = Buffer.concat([
      Buffer.from([
        0xff,
        0xf8, // sync, fixed block size
        (BLOCK_SIZE_CODE_16_BIT << 4) | SAMPLE_RATE_CODE_44100,
        (channelCode << 4) | (SAMPLE_SIZE_CODE_16_BIT << 1),
      ]),
      codedNumber(index),
      Buffer.from([(blockSamples - 1) >> 8, (blockSamples - 1) & 0xff]),
    ]);
    const withCrc8 = Buffer.concat([header, Buffer.from([crc8(header)])]);
    // Per channel: a subframe header (CONSTANT, no wasted bits) and the 16-bit value 0.
    const frame = Buffer.concat([withCrc8, Buffer.alloc(3 * channelCount)]);
    const footer = Buffer.alloc(2);
    footer.writeUInt16BE(crc16(frame));
    frames.push(frame, footer);
  }
  return Buffer.concat(frames);
}

/** A frame number in FLAC's UTF-8-like coding (up to 2^21 − 1 here). */
function codedNumber(value: number): Buffer {
  if (value < 0x80) return Buffer.from([value]);
  if (value < 0x800) return Buffer.from([0xc0 | (value >> 6), 0x80 | (value & 0x3f)]);
  if (value < 0x10000) {
    return Buffer.from([0xe0 | (value >> 12), 0x80 | ((value >> 6) & 0x3f), 0x80 | (value & 0x3f)]);
  }
  return Buffer.from([
    0xf0 | (value >> 18),
    0x80 | ((value >> 12) & 0x3f),
    0x80 | ((value >> 6) & 0x3f),
    0x80 | (value & 0x3f),
  ]);
}

/** CRC-8 of a frame header: polynomial x^8 + x^2 + x + 1, initial value 0. */
function crc8(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x80 ? ((crc << 1) ^ 0x07) & 0xff : (crc << 1) & 0xff;
  }
  return crc;
}

/** CRC-16 of a frame: polynomial x^16 + x^15 + x^2 + 1, initial value 0. */
function crc16(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++)
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x8005) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}
