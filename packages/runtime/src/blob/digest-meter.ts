import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';
import { LacquerError } from '@lacquer/errors';
import type { StoredBlob } from './blob-store.ts';

/** A pass-through stream that counts and hashes what flows through it. */
export interface DigestMeter extends Transform {
  /** Size and SHA-256 of everything passed so far; final once the stream has ended. */
  digest(): StoredBlob;
}

/**
 * Creates a {@link DigestMeter}. With `maxSizeBytes`, the stream fails with `UPLOAD_TOO_LARGE`
 * as soon as more bytes than that arrive (the excess chunk is not passed on).
 */
export function createDigestMeter(options: { readonly maxSizeBytes?: number } = {}): DigestMeter {
  const hash = createHash('sha256');
  let sizeBytes = 0;
  let sha256Hex: string | undefined;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      sizeBytes += chunk.byteLength;
      if (options.maxSizeBytes !== undefined && sizeBytes > options.maxSizeBytes) {
        callback(
          new LacquerError('UPLOAD_TOO_LARGE', `the body is larger than ${options.maxSizeBytes} bytes`, {
            details: { maxSizeBytes: options.maxSizeBytes },
          }),
        );
        return;
      }
      hash.update(chunk);
      callback(null, chunk);
    },
    flush(callback) {
      sha256Hex = hash.digest('hex');
      callback();
    },
  }) as DigestMeter;
  meter.digest = () => ({ sizeBytes, sha256Hex: sha256Hex ?? hash.copy().digest('hex') });
  return meter;
}
