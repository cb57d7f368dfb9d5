import { isSubjectToken } from '@lacquer/contracts';

/** The artifacts a job can produce, by the file name they are stored under. */
export const ARTIFACT_NAMES = [
  'master.wav',
  'preview.mp3',
  'analysis.json',
  'decision.json',
  'report.json',
] as const;

/** One of {@link ARTIFACT_NAMES}. */
export type ArtifactName = (typeof ARTIFACT_NAMES)[number];

/** True when `value` is one of {@link ARTIFACT_NAMES}. */
export function isArtifactName(value: string): value is ArtifactName {
  return (ARTIFACT_NAMES as readonly string[]).includes(value);
}

/**
 * `tenants/<tenantId>/uploads/<uploadId>`: where the bytes a client PUTs to a signed upload
 * URL are stored.
 *
 * @throws TypeError when an id is not a subject token (letters, digits, `-`, `_`; 1 … 128
 *   characters): a programming error, since ids are minted by the platform, never taken from
 *   a client as a path.
 */
export function uploadObjectKey(ids: { readonly tenantId: string; readonly uploadId: string }): string {
  assertId('tenant id', ids.tenantId);
  assertId('upload id', ids.uploadId);
  return `tenants/${ids.tenantId}/uploads/${ids.uploadId}`;
}

/**
 * `tenants/<tenantId>/jobs/<jobId>/<artifact>`: where a job's artifact is stored.
 *
 * @throws TypeError when an id is not a subject token or `artifact` is not one of
 *   {@link ARTIFACT_NAMES}.
 */
export function artifactObjectKey(ids: {
  readonly tenantId: string;
  readonly jobId: string;
  readonly artifact: ArtifactName;
}): string {
  assertId('tenant id', ids.tenantId);
  assertId('job id', ids.jobId);
  if (typeof ids.artifact !== 'string' || !isArtifactName(ids.artifact)) {
    throw new TypeError(
      `artifact ${JSON.stringify(ids.artifact)} is not one of ${ARTIFACT_NAMES.join(', ')}`,
    );
  }
  return `tenants/${ids.tenantId}/jobs/${ids.jobId}/${ids.artifact}`;
}

function assertId(what: string, value: string): void {
  if (typeof value !== 'string' || !isSubjectToken(value)) {
    throw new TypeError(`${what} ${JSON.stringify(value)} is not a subject token`);
  }
}
