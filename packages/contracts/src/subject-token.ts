/** Job ids and tenant ids are single subject tokens: letters, digits, `-` and `_`. */
const TOKEN = /^[A-Za-z0-9_-]{1,128}$/;

/** True when `value` can be one subject token (a job id or tenant id). */
export function isSubjectToken(value: string): boolean {
  return TOKEN.test(value);
}
