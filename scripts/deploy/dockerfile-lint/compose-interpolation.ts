/** The result of {@link interpolateCompose}. */
export interface Interpolated {
  readonly value: string;
  /** Each `${…}` compose would refuse (`${process.env.PORT}`: not a variable name). */
  readonly problems: readonly string[];
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Replaces compose's `${…}` references as `docker compose` would with `shell` as the
 * environment: `${VAR}` and `$VAR`, `${VAR:-default}` / `${VAR-default}`, `${VAR:?error}` /
 * `${VAR?error}` (a required variable: here it takes `shell[VAR]` or a sample value, so that the
 * rest can be checked), `$$` for a literal `$`.
 */
export function interpolateCompose(text: string, shell: Readonly<Record<string, string>>): Interpolated {
  const problems: string[] = [];
  const value = text.replace(
    /\$\$|\$\{([^}]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (match, braced?: string, bare?: string) => {
      if (match === '$$') return '$';
      if (bare !== undefined) return shell[bare] ?? '';
      const body = braced ?? '';
      const operator = body.match(/:?[-?]/);
      const name = operator?.index === undefined ? body : body.slice(0, operator.index);
      if (!NAME.test(name)) {
        problems.push(`\${${body}} is not a compose variable reference (write $$ for a literal $)`);
        return '';
      }
      const set = shell[name];
      const argument = operator?.index === undefined ? '' : body.slice(operator.index + operator[0].length);
      switch (operator?.[0]) {
        case ':-':
          return set === undefined || set === '' ? argument : set;
        case '-':
          return set ?? argument;
        case ':?':
        case '?':
          return set ?? `sample-${name.toLowerCase().replaceAll('_', '-')}`;
        default:
          return set ?? '';
      }
    },
  );
  return { value, problems };
}
