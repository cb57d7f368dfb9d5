import type { ErrorCode } from '@lacquer/errors';

/**
 * What a client should get for a file, through the REST API:
 * - `completed`: a correct master (on target, true peak under the ceiling);
 * - `failed`: the job is accepted and fails with this documented code;
 * - `rejected`: the API refuses it at `POST /v1/uploads`, the PUT or `POST /v1/jobs`.
 */
export type BadInputExpectation =
  | { readonly outcome: 'completed' }
  | { readonly outcome: 'failed'; readonly code: ErrorCode }
  | { readonly outcome: 'rejected'; readonly httpStatus: number; readonly code: ErrorCode };

/** The classes of the corpus, for the README table and the test names. */
export type BadInputClass =
  | 'not audio'
  | 'wrong name or type'
  | 'empty or header only'
  | 'truncated'
  | 'corrupt header'
  | 'no signal'
  | 'invalid samples'
  | 'too short'
  | 'too long'
  | 'channels'
  | 'sample rate'
  | 'odd but valid';

/** One file of the corpus. */
export interface BadInputEntry {
  /** File name in the corpus folder, also the name the client declares. */
  readonly file: string;
  /** The `Content-Type` a client would upload it with. */
  readonly contentType: string;
  readonly inputClass: BadInputClass;
  /** What the file is, in a sentence. */
  readonly description: string;
  readonly expected: BadInputExpectation;
}

/** `manifest.json` of a generated corpus. */
export interface BadInputManifest {
  readonly version: 1;
  /** The delivery target every job asks for (`POST /v1/jobs` `target`). */
  readonly target: { readonly integratedLufs: number; readonly truePeakDbtp: number };
  /** The workers' `LACQUER_MAX_DURATION_SECONDS` the expectations assume (its default). */
  readonly maxDurationSeconds: number;
  readonly files: readonly BadInputEntry[];
}
