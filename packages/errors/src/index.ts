export { ERROR_CODES, type ErrorCode } from './error-codes.ts';
export { LacquerError, isLacquerError, type LacquerErrorOptions } from './lacquer-error.ts';
