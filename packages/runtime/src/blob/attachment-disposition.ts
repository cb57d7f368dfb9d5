/**
 * The `Content-Disposition` value that offers a download as `filename` (RFC 6266): an ASCII
 * fallback in `filename="…"` (non-ASCII, quotes, backslashes and control characters become
 * `_`) and the exact name, UTF-8 percent-encoded, in `filename*` (RFC 8187).
 *
 * @throws TypeError when `filename` is empty, longer than 255 characters, holds a control
 *   character or a path separator (`/`, `\`).
 */
export function attachmentDisposition(filename: string): string {
  assertDownloadFilename(filename);
  const fallback = filename.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/**
 * Checks a download file name (see {@link attachmentDisposition}).
 * @throws TypeError when it is not acceptable.
 */
export function assertDownloadFilename(filename: string): void {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses
  if (filename.length === 0 || filename.length > 255 || /[\u0000-\u001f\u007f/\\]/.test(filename)) {
    throw new TypeError(`download file name ${JSON.stringify(filename)} is not acceptable`);
  }
}
