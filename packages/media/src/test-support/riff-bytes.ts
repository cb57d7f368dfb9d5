/** One chunk of a RIFF file. */
export interface RiffChunk {
  /** Four ASCII characters: `fmt `, `data`, `LIST`, … */
  readonly id: string;
  readonly body: Uint8Array;
  /** The size field to write, when it must lie (a streamed or cut `data` chunk); default `body.length`. */
  readonly sizeBytes?: number;
}

/**
 * The bytes of a RIFF file of `form` (`RIFF`, `RF64`, `RIFX`, …) and type `WAVE` holding
 * `chunks` in order, each padded to an even size as RIFF requires (the pad follows the body
 * whatever `sizeBytes` says). Test helper: files no encoder would write (odd chunks, several
 * data chunks, foreign formats) made byte by byte.
 */
export function riffBytes(form: string, chunks: readonly RiffChunk[]): Buffer {
  const parts: Buffer[] = [];
  for (const { id, body, sizeBytes } of chunks) {
    const header = Buffer.alloc(8);
    header.write(id, 0, 4, 'latin1');
    header.writeUInt32LE(sizeBytes ?? body.length, 4);
    parts.push(header, Buffer.from(body.buffer, body.byteOffset, body.length));
    if (body.length % 2 === 1) parts.push(Buffer.alloc(1));
  }
  const chunkBytes = parts.reduce((sum, part) => sum + part.length, 0);
  const head = Buffer.alloc(12);
  head.write(form, 0, 4, 'latin1');
  head.writeUInt32LE(Math.min(0xffff_ffff, 4 + chunkBytes), 4);
  head.write('WAVE', 8, 4, 'latin1');
  return Buffer.concat([head, ...parts]);
}

/** Fields of a `fmt ` chunk body. */
export interface FmtFields {
  /** `wFormatTag`: 1 PCM, 3 IEEE float, 6 A-law, 7 µ-law, 0xFFFE extensible, … */
  readonly formatTag: number;
  readonly channelCount: number;
  readonly sampleRateHz: number;
  /** `wBitsPerSample`, the container size. */
  readonly bits: number;
  /** `nBlockAlign`; default channels × bits / 8. */
  readonly blockAlignBytes?: number;
  /** With `formatTag` 0xFFFE: the extension (`cbSize` 22). */
  readonly extensible?: {
    readonly validBits: number;
    readonly channelMask: number;
    readonly subFormatTag: number;
  };
  /** Bytes after `cbSize` beyond the extension (`cbSize` counts them). */
  readonly extraBytes?: number;
  /** Write the 16-byte `PCMWAVEFORMAT` (no `cbSize`); else `WAVEFORMATEX` (18 bytes and more). */
  readonly short?: boolean;
}

/** KSDATAFORMAT_SUBTYPE_* GUID after its first field: `-0000-0010-8000-00aa00389b71`. */
const GUID_TAIL = [0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];

/** The body of a `fmt ` chunk. Test helper. */
export function fmtBody(fields: FmtFields): Buffer {
  const { formatTag, channelCount, sampleRateHz, bits, extensible, extraBytes = 0, short = false } = fields;
  const blockAlignBytes = fields.blockAlignBytes ?? (channelCount * bits) / 8;
  const extensionBytes = extensible ? 22 : 0;
  const body = Buffer.alloc(short ? 16 : 18 + extensionBytes + extraBytes);
  body.writeUInt16LE(formatTag, 0);
  body.writeUInt16LE(channelCount, 2);
  body.writeUInt32LE(sampleRateHz, 4);
  body.writeUInt32LE((sampleRateHz * blockAlignBytes) >>> 0, 8);
  body.writeUInt16LE(blockAlignBytes, 12);
  body.writeUInt16LE(bits, 14);
  if (short) return body;
  body.writeUInt16LE(extensionBytes + extraBytes, 16);
  if (extensible) {
    body.writeUInt16LE(extensible.validBits, 18);
    body.writeUInt32LE(extensible.channelMask, 20);
    body.writeUInt32LE(extensible.subFormatTag, 24);
    Buffer.from(GUID_TAIL).copy(body, 28);
  }
  return body;
}

/** The `ds64` body of an RF64 file (EBU Tech 3306) with these 64-bit sizes and no table. Test helper. */
export function ds64Body(riffBytes: number, dataBytes: number, sampleCount: number): Buffer {
  const body = Buffer.alloc(28);
  body.writeBigUInt64LE(BigInt(riffBytes), 0);
  body.writeBigUInt64LE(BigInt(dataBytes), 8);
  body.writeBigUInt64LE(BigInt(sampleCount), 16);
  return body;
}

/** The top-level chunks of a RIFF/RF64 file as written (sizes as declared, bodies as far as the file goes). Test helper. */
export function riffChunks(bytes: Uint8Array): RiffChunk[] {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const chunks: RiffChunk[] = [];
  for (let at = 12; at + 8 <= buffer.length; ) {
    const id = buffer.toString('latin1', at, at + 4);
    const sizeBytes = buffer.readUInt32LE(at + 4);
    const body = buffer.subarray(at + 8, Math.min(buffer.length, at + 8 + sizeBytes));
    chunks.push({ id, body, sizeBytes });
    at += 8 + sizeBytes + (sizeBytes % 2);
  }
  return chunks;
}
