import { LacquerError } from '@lacquer/errors';
import type { z } from 'zod';

/**
 * Reads a service's settings from the environment once, at start: `schema` validates and
 * converts every variable, with defaults. A bad setting stops the service before it
 * connects anywhere.
 *
 * @throws LacquerError `CONFIG_INVALID` listing every variable that is missing or invalid.
 */
export function loadConfig<S extends z.ZodType>(
  schema: S,
  env: Readonly<Record<string, string | undefined>>,
): z.output<S> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map(
    (issue) => `${issue.path.join('.') || '(settings)'}: ${issue.message}`,
  );
  throw new LacquerError('CONFIG_INVALID', `invalid settings:\n  ${problems.join('\n  ')}`, {
    details: { problems },
  });
}
