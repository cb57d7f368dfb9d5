import { type FileHandle, open, readFile, rm, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { isLacquerError, LacquerError } from '@lacquer/errors';
import { writeFileAtomically } from './atomic-file-write.ts';
import { assertDownloadFilename } from './attachment-disposition.ts';
import type {
  BlobInfo,
  BlobStore,
  SignDownloadOptions,
  SignedUpload,
  SignedUrl,
  SignUploadOptions,
  StoredBlob,
} from './blob-store.ts';
import { fsObjectPaths } from './fs-object-path.ts';
import { formatFsSignedUrl, parseFsSignedQuery, type QueryValues } from './fs-signed-url.ts';
import { assertExpiresInSeconds, assertUploadLimits } from './signed-url-options.ts';
import { createUrlSigner, type SignedUrlClaims } from './url-signer.ts';

/** Options of {@link createFsBlobStore}. */
export interface FsBlobStoreOptions {
  /** The directory objects are stored under (created on the first write). */
  readonly rootDir: string;
  /** Where clients reach the gateway serving `fsBlobRoutes`, e.g. `https://api.example.com`. */
  readonly publicBaseUrl: string;
  /** The HMAC key of signed URLs: at least 32 bytes, shared by every gateway replica. */
  readonly signingSecret: string | Uint8Array;
  /** The clock signed URLs are issued and checked against; defaults to the system clock. */
  readonly now?: () => Date;
}

/** An object opened for reading: its bytes as a stream, with the size they add up to. */
export interface FsBlobReadStream {
  readonly stream: Readable;
  readonly sizeBytes: number;
  readonly contentType: string | null;
}

/**
 * The file-system {@link BlobStore}, plus what `fsBlobRoutes` needs to serve its signed URLs
 * (these extras are not part of the port).
 */
export interface FsBlobStore extends BlobStore {
  /**
   * Checks a request to a signed URL: `query` as the request carried it, `key` from its path.
   * @returns the claims the URL was signed with.
   * @throws LacquerError `SIGNED_URL_INVALID` or `SIGNED_URL_EXPIRED`.
   */
  verifySignedRequest(request: {
    readonly method: 'GET' | 'PUT';
    readonly key: string;
    readonly query: QueryValues;
  }): SignedUrlClaims;
  /**
   * Stores what `source` streams under `key` (atomically, like every write).
   * @throws LacquerError `UPLOAD_TOO_LARGE` as soon as more than `maxSizeBytes` arrive (nothing
   *   is stored), `BLOB_UNAVAILABLE` when the source or the disk fails.
   */
  putStream(
    key: string,
    source: Readable,
    options: { readonly contentType: string; readonly maxSizeBytes: number },
  ): Promise<StoredBlob>;
  /**
   * Opens the object for streaming. The size is that of the version opened, even if the key is
   * overwritten while it is read.
   * @throws LacquerError `BLOB_NOT_FOUND`, `BLOB_UNAVAILABLE`.
   */
  openRead(key: string): Promise<FsBlobReadStream>;
}

/**
 * A {@link BlobStore} on a local directory, the embedded default (one gateway, or replicas
 * sharing a volume).
 *
 * Layout: the object under key `k` is the file `<rootDir>/k`; its content type is in the
 * sidecar `<rootDir>/k.meta.json` (`{"contentType": "…"}`), because a file system has no
 * portable place for it. Keys are checked by `fsObjectPaths` (no escaping `rootDir`; a key
 * may not end in `.meta.json`). Both files are written to a temporary file and renamed; the
 * sidecar first, so a reader that sees new bytes sees their type (during an overwrite with a
 * different type, old bytes may briefly be reported with the new type).
 *
 * Signed URLs point at `fsBlobRoutes` on `publicBaseUrl` and carry an HMAC-SHA256 signature
 * of method, key, expiry and, for uploads, the size limit and content type (for downloads,
 * the file name).
 *
 * @throws TypeError when the signing secret is shorter than 32 bytes.
 */
export function createFsBlobStore(options: FsBlobStoreOptions): FsBlobStore {
  const { rootDir, publicBaseUrl } = options;
  const now = options.now ?? (() => new Date());
  const signer = createUrlSigner({ secret: options.signingSecret, now });

  const writeObject = async (
    key: string,
    source: Readable,
    contentType: string,
    maxSizeBytes?: number,
  ): Promise<StoredBlob> => {
    const { dataPath, metaPath } = fsObjectPaths(rootDir, key);
    const sidecar = Readable.from([
      Buffer.from(JSON.stringify({ contentType } satisfies FsBlobMeta), 'utf8'),
    ]);
    try {
      return await writeFileAtomically(dataPath, source, {
        ...(maxSizeBytes === undefined ? {} : { maxSizeBytes }),
        beforeRename: async () => {
          await writeFileAtomically(metaPath, sidecar);
        },
      });
    } catch (error) {
      throw toBlobError(error, key, 'write', { missingIsNotFound: false });
    }
  };

  const openRead = async (key: string): Promise<FsBlobReadStream> => {
    const { dataPath, metaPath } = fsObjectPaths(rootDir, key);
    try {
      const handle = await open(dataPath, 'r');
      try {
        const stats = await handle.stat();
        if (!stats.isFile()) throw Object.assign(new Error(`${dataPath} is not a file`), { code: 'EISDIR' });
        const contentType = await readContentType(metaPath);
        return { stream: handle.createReadStream(), sizeBytes: stats.size, contentType };
      } catch (error) {
        await handle.close();
        throw error;
      }
    } catch (error) {
      throw toBlobError(error, key, 'open');
    }
  };

  const signedUrl = (claims: SignedUrlClaims): string =>
    formatFsSignedUrl(publicBaseUrl, claims, signer.sign(claims));

  const expiryOf = (expiresInSeconds: number): number => {
    assertExpiresInSeconds(expiresInSeconds);
    return Math.floor(now().getTime() / 1000) + expiresInSeconds;
  };

  return {
    async putFile(key, path, { contentType }) {
      fsObjectPaths(rootDir, key);
      let source: FileHandle;
      try {
        source = await open(path, 'r');
      } catch (error) {
        throw new LacquerError('BLOB_UNAVAILABLE', `could not read "${path}" to store it under "${key}"`, {
          cause: error,
          details: { key, path },
        });
      }
      return writeObject(key, source.createReadStream(), contentType);
    },

    async putBytes(key, bytes, { contentType }) {
      return writeObject(
        key,
        Readable.from([Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)]),
        contentType,
      );
    },

    async putStream(key, source, { contentType, maxSizeBytes }) {
      return writeObject(key, source, contentType, maxSizeBytes);
    },

    async getToFile(key, path) {
      const { stream } = await openRead(key);
      try {
        await writeFileAtomically(path, stream);
      } catch (error) {
        stream.destroy();
        throw toBlobError(error, key, 'copy', { missingIsNotFound: false });
      }
    },

    async getBytes(key) {
      const { dataPath } = fsObjectPaths(rootDir, key);
      try {
        return new Uint8Array(await readFile(dataPath));
      } catch (error) {
        throw toBlobError(error, key, 'read');
      }
    },

    async head(key) {
      const { dataPath, metaPath } = fsObjectPaths(rootDir, key);
      try {
        const stats = await stat(dataPath);
        if (!stats.isFile()) return null;
        return { sizeBytes: stats.size, contentType: await readContentType(metaPath) } satisfies BlobInfo;
      } catch (error) {
        if (isMissing(error)) return null;
        throw toBlobError(error, key, 'stat');
      }
    },

    async delete(key) {
      const { dataPath, metaPath } = fsObjectPaths(rootDir, key);
      try {
        await rm(dataPath, { force: true });
        await rm(metaPath, { force: true });
      } catch (error) {
        if (isMissing(error)) return;
        throw toBlobError(error, key, 'delete');
      }
    },

    openRead,

    async signUpload(
      key,
      { contentType, maxSizeBytes, expiresInSeconds }: SignUploadOptions,
    ): Promise<SignedUpload> {
      fsObjectPaths(rootDir, key);
      assertUploadLimits({ contentType, maxSizeBytes });
      const expiresAtEpochSeconds = expiryOf(expiresInSeconds);
      const url = signedUrl({ method: 'PUT', key, expiresAtEpochSeconds, maxSizeBytes, contentType });
      return {
        url,
        method: 'PUT',
        headers: { 'Content-Type': contentType },
        expiresAt: new Date(expiresAtEpochSeconds * 1000),
      };
    },

    async signDownload(key, { expiresInSeconds, filename }: SignDownloadOptions): Promise<SignedUrl> {
      fsObjectPaths(rootDir, key);
      if (filename !== undefined) assertDownloadFilename(filename);
      const expiresAtEpochSeconds = expiryOf(expiresInSeconds);
      const url = signedUrl({
        method: 'GET',
        key,
        expiresAtEpochSeconds,
        ...(filename === undefined ? {} : { filename }),
      });
      return { url, expiresAt: new Date(expiresAtEpochSeconds * 1000) };
    },

    verifySignedRequest({ method, key, query }) {
      const { claims, signature } = parseFsSignedQuery(method, key, query);
      signer.verify(claims, signature);
      return claims;
    },
  };
}

/** The sidecar of an object: `<key>.meta.json`. */
interface FsBlobMeta {
  readonly contentType: string;
}

async function readContentType(metaPath: string): Promise<string | null> {
  try {
    const meta: unknown = JSON.parse(await readFile(metaPath, 'utf8'));
    const contentType = (meta as Partial<FsBlobMeta> | null)?.contentType;
    return typeof contentType === 'string' ? contentType : null;
  } catch (error) {
    if (isMissing(error) || error instanceof SyntaxError) return null;
    throw error;
  }
}

/** ENOENT, or a path through a file or onto a directory: there is no object under the key. */
function isMissing(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR';
}

function toBlobError(
  error: unknown,
  key: string,
  operation: string,
  options: { readonly missingIsNotFound: boolean } = { missingIsNotFound: true },
): unknown {
  if (isLacquerError(error) || error instanceof TypeError) return error;
  if (options.missingIsNotFound && isMissing(error)) {
    return new LacquerError('BLOB_NOT_FOUND', `no blob under "${key}"`, { cause: error, details: { key } });
  }
  return new LacquerError('BLOB_UNAVAILABLE', `the blob store could not ${operation} "${key}"`, {
    cause: error,
    details: { key, operation },
  });
}
