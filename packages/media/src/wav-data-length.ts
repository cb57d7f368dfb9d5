import { open } from 'node:fs/promises';

/** What a RIFF/WAVE (or RF64/BW64) header says about its `data` chunk. */
export interface WavDataLength {
  /**
   * Length of the sample data the header declares, in bytes; `undefined` when the writer did
   * not know it (0 or 0xFFFFFFFF, as written by encoders streaming to a pipe: ffmpeg
   * `-f wav -`, arecord, sox), which ffmpeg reads as "until the end of the file".
   */
  readonly dataBytes: number | undefined;
  /** Bytes per frame (`nBlockAlign` of the `fmt ` chunk); `undefined` when absent or 0. */
  readonly blockAlignBytes: number | undefined;
}

/** RIFF sizes that mean "unknown" (ffmpeg's wav demuxer reads both as "to the end of the file"). */
const UNKNOWN_SIZES = new Set([0, 0xffffffff]);
/** Chunks walked before the `data` chunk at most; real files have a handful (fmt, fact, LIST, bext, iXML, JUNK). */
const MAX_CHUNKS = 64;

/**
 * Reads the chunk headers of the WAV file at `path` up to its `data` chunk (a few small reads,
 * never the samples). Returns `undefined` when the file is not RIFF/RF64/BW64 WAVE or has no
 * `data` chunk header within the file.
 *
 * Used to tell a truncated WAV (declared length longer than the file) from one written to a
 * pipe (length unknown); see `decodeAudioBlocks`.
 *
 * @throws the `fs` error when the file cannot be opened or read.
 */
export async function readWavDataLength(path: string): Promise<WavDataLength | undefined> {
  const file = await open(path, 'r');
  try {
    const { size: fileBytes } = await file.stat();
    const readAt = async (position: number, length: number): Promise<Buffer | undefined> => {
      if (position + length > fileBytes) return undefined;
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await file.read(buffer, 0, length, position);
      return bytesRead === length ? buffer : undefined;
    };

    const header = await readAt(0, 12);
    if (!header) return undefined;
    const riff = header.toString('latin1', 0, 4);
    if (!['RIFF', 'RF64', 'BW64'].includes(riff) || header.toString('latin1', 8, 12) !== 'WAVE')
      return undefined;

    let blockAlignBytes: number | undefined;
    let ds64DataBytes: number | undefined;
    let position = 12;
    for (let chunk = 0; chunk < MAX_CHUNKS; chunk++) {
      const chunkHeader = await readAt(position, 8);
      if (!chunkHeader) return undefined;
      const id = chunkHeader.toString('latin1', 0, 4);
      const sizeBytes = chunkHeader.readUInt32LE(4);
      if (id === 'data') {
        const declared = riff !== 'RIFF' && sizeBytes === 0xffffffff ? ds64DataBytes : sizeBytes;
        return {
          dataBytes: declared === undefined || UNKNOWN_SIZES.has(declared) ? undefined : declared,
          blockAlignBytes,
        };
      }
      if (id === 'fmt ') {
        const body = await readAt(position + 8, 16);
        const align = body?.readUInt16LE(12);
        blockAlignBytes = align === undefined || align === 0 ? undefined : align;
      } else if (id === 'ds64') {
        // RF64 / BW64 (EBU Tech 3306): 64-bit RIFF size, then 64-bit data size.
        const body = await readAt(position + 8, 16);
        // A size beyond 2^53 is no real file: read it as unknown (0).
        const dataBytes = body?.readBigUInt64LE(8);
        if (dataBytes !== undefined)
          ds64DataBytes = dataBytes > Number.MAX_SAFE_INTEGER ? 0 : Number(dataBytes);
      }
      position += 8 + sizeBytes + (sizeBytes % 2); // chunks are padded to even sizes
    }
    return undefined;
  } finally {
    await file.close();
  }
}
