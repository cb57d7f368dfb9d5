import { STATUS_CODES } from 'node:http';
import { ERROR_CODES, type ErrorCode } from './error-codes.ts';
import type { LacquerError } from './lacquer-error.ts';

/** An error answer, RFC 9457 `application/problem+json`, with Lacquer's stable `code`. */
export interface Problem {
  /** `https://lacquer.dev/problems/<code in kebab case>`: documents the code. */
  readonly type: string;
  /** The HTTP status text. */
  readonly title: string;
  readonly status: number;
  /** The stable code (see `ERROR_CODES`): what clients branch on. */
  readonly code: ErrorCode;
  /** What went wrong with this request, for people. */
  readonly detail: string;
}

/** The media type of {@link Problem} answers. */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** `https://lacquer.dev/problems/upload-too-large` for `UPLOAD_TOO_LARGE`. */
export function problemType(code: ErrorCode): string {
  return `https://lacquer.dev/problems/${code.toLowerCase().replaceAll('_', '-')}`;
}

/** The problem of `code` with its registered status. */
export function problem(code: ErrorCode, detail: string): Problem {
  const status = ERROR_CODES[code].httpStatus;
  return { type: problemType(code), title: STATUS_CODES[status] ?? 'Error', status, code, detail };
}

/**
 * The problem a LacquerError answers with: its message as the detail for 4xx, the code's
 * documented description for 5xx (a server-side message may name hosts or paths).
 */
export function problemOfLacquerError(error: LacquerError): Problem {
  const { httpStatus, description } = ERROR_CODES[error.code];
  return problem(error.code, httpStatus < 500 ? error.message : description);
}
