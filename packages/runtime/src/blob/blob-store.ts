/** What the blob store knows of a stored object. */
export interface BlobInfo {
  readonly sizeBytes: number;
  readonly contentType: string | null;
}

/** A stored object's size and checksum, as written. */
export interface StoredBlob {
  readonly sizeBytes: number;
  /** SHA-256 of the bytes, lowercase hex. */
  readonly sha256Hex: string;
}

/** A URL a client uses without credentials of its own, valid until `expiresAt`. */
export interface SignedUrl {
  readonly url: string;
  readonly expiresAt: Date;
}

/** A signed upload: the client sends `method` to `url` with exactly these `headers`. */
export interface SignedUpload extends SignedUrl {
  readonly method: 'PUT';
  readonly headers: Readonly<Record<string, string>>;
}

/** Options of {@link BlobStore.signUpload}. */
export interface SignUploadOptions {
  readonly contentType: string;
  /** The most bytes the URL accepts (a larger body is refused with `UPLOAD_TOO_LARGE`). */
  readonly maxSizeBytes: number;
  /** 1 … 604800 (7 days, the S3 limit). */
  readonly expiresInSeconds: number;
}

/** Options of {@link BlobStore.signDownload}. */
export interface SignDownloadOptions {
  /** 1 … 604800. */
  readonly expiresInSeconds: number;
  /** Offered to the browser as the download's file name (`Content-Disposition`). */
  readonly filename?: string;
}

/**
 * The port for artifacts and uploads: audio, JSON reports, images. Keys come from
 * `objectKeys` (built from tenant, job and artifact name, never from user input).
 *
 * Every write is atomic: a reader sees the whole object or none. Errors are LacquerErrors:
 * `BLOB_NOT_FOUND` for a missing key (not retryable), `BLOB_UNAVAILABLE` for I/O or network
 * failures (retryable).
 */
export interface BlobStore {
  /** Stores the file at `path` under `key`, replacing what was there. */
  putFile(key: string, path: string, options: { readonly contentType: string }): Promise<StoredBlob>;
  /** Stores `bytes` under `key`, replacing what was there. */
  putBytes(key: string, bytes: Uint8Array, options: { readonly contentType: string }): Promise<StoredBlob>;
  /** Writes the object to `path` (atomically: a temp file, then rename). */
  getToFile(key: string, path: string): Promise<void>;
  getBytes(key: string): Promise<Uint8Array>;
  /** Size and type of the object, or `null` when there is none. */
  head(key: string): Promise<BlobInfo | null>;
  /** Removes the object; removing a missing key is not an error. */
  delete(key: string): Promise<void>;
  /** A URL the client PUTs the bytes to. */
  signUpload(key: string, options: SignUploadOptions): Promise<SignedUpload>;
  /** A URL the client GETs the bytes from. */
  signDownload(key: string, options: SignDownloadOptions): Promise<SignedUrl>;
}
