/** One chunk of a RIFF file, written as given (the corpus needs chunks no encoder writes). */
export interface RiffChunk {
  /** Four ASCII characters: `fmt `, `data`, `LIST`, … */
  readonly id: string;
  readonly body: Uint8Array;
  /** The size field to write when it must lie (streamed, truncated, 8 hours); default `body.length`. */
  readonly sizeBytes?: number;
}

/** Options of {@link riffBytes}. */
export interface RiffOptions {
  /** `RIFF` (default), `RIFX` (big-endian sizes) or `RF64`. */
  readonly form?: 'RIFF' | 'RIFX' | 'RF64';
  /** The RIFF size field when it must lie (0xFFFFFFFF for a streamed file); default the true size. */
  readonly riffSizeBytes?: number;
}

/**
 * The bytes of a RIFF `WAVE` file holding `chunks` in order, each padded to an even size as
 * RIFF requires (a pad byte follows an odd body, whatever its size field says).
 */
export function riffBytes(chunks: readonly RiffChunk[], options: RiffOptions = {}): Buffer {
  const form = options.form ?? 'RIFF';
  const bigEndian = form === 'RIFX';
  const u32 = (value: number): Buffer => {
    const bytes = Buffer.alloc(4);
    if (bigEndian) bytes.writeUInt32BE(value >>> 0);
    else bytes.writeUInt32LE(value >>> 0);
    return bytes;
  };
  const parts: Buffer[] = [];
  for (const { id, body, sizeBytes } of chunks) {
    parts.push(Buffer.from(id, 'latin1'), u32(sizeBytes ?? body.length), Buffer.from(body));
    if (body.length % 2 === 1) parts.push(Buffer.alloc(1));
  }
  const chunkBytes = parts.reduce((sum, part) => sum + part.length, 0);
  return Buffer.concat([
    Buffer.from(form, 'latin1'),
    u32(options.riffSizeBytes ?? Math.min(0xffff_ffff, 4 + chunkBytes)),
    Buffer.from('WAVE', 'latin1'),
    ...parts,
  ]);
}

/** `wFormatTag` values (Microsoft `mmreg.h`). */
export const WAVE_FORMAT = { pcm: 0x0001, ieeeFloat: 0x0003, extensible: 0xfffe } as const;

/** Fields of a `fmt ` chunk body. */
export interface FmtFields {
  readonly formatTag: number;
  readonly channelCount: number;
  readonly sampleRateHz: number;
  /** `wBitsPerSample`: the container size of a sample. */
  readonly bitsPerSample: number;
  /** With `formatTag` extensible: the speaker mask and the subformat's tag (`cbSize` 22). */
  readonly extensible?: { readonly channelMask: number; readonly subFormatTag: number };
  /** Sizes and rates big-endian (RIFX). */
  readonly bigEndian?: boolean;
}

/** KSDATAFORMAT_SUBTYPE_* GUID after its first field: `-0000-0010-8000-00aa00389b71`. */
const GUID_TAIL = [0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];

/** The body of a `fmt ` chunk: 16-byte `PCMWAVEFORMAT`, or 40-byte `WAVEFORMATEXTENSIBLE`. */
export function fmtBody(fields: FmtFields): Buffer {
  const { formatTag, channelCount, sampleRateHz, bitsPerSample, extensible, bigEndian = false } = fields;
  const blockAlignBytes = (channelCount * bitsPerSample) / 8;
  const body = Buffer.alloc(extensible ? 40 : 16);
  const u16 = (value: number, at: number) =>
    bigEndian ? body.writeUInt16BE(value, at) : body.writeUInt16LE(value, at);
  const u32 = (value: number, at: number) =>
    bigEndian ? body.writeUInt32BE(value >>> 0, at) : body.writeUInt32LE(value >>> 0, at);
  u16(formatTag, 0);
  u16(channelCount, 2);
  u32(sampleRateHz, 4);
  u32(sampleRateHz * blockAlignBytes, 8);
  u16(blockAlignBytes, 12);
  u16(bitsPerSample, 14);
  if (extensible) {
    u16(22, 16);
    u16(bitsPerSample, 18);
    u32(extensible.channelMask, 20);
    u32(extensible.subFormatTag, 24);
    Buffer.from(GUID_TAIL).copy(body, 28);
  }
  return body;
}
