export { ERROR_CODES, type ErrorCode } from './error-codes.ts';
export { isLacquerError, LacquerError, type LacquerErrorOptions } from './lacquer-error.ts';
export {
  PROBLEM_CONTENT_TYPE,
  type Problem,
  problem,
  problemOfLacquerError,
  problemType,
} from './problem.ts';
