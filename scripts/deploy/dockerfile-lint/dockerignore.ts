import { globToRegExp } from './glob-pattern.ts';

/**
 * Whether the build context leaves `path` out, by the rules of a `.dockerignore` (its
 * non-comment lines, in order): Go `filepath.Match` patterns plus `**` for any number of
 * folders, matched against the path and each of its parent folders (an excluded folder takes
 * its contents along); a `!` line re-includes; the last line that matches decides.
 */
export function isDockerIgnored(path: string, patterns: readonly string[]): boolean {
  const candidates = path.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'));
  let ignored = false;
  for (const line of patterns) {
    const exception = line.startsWith('!');
    const pattern = clean(exception ? line.slice(1) : line);
    if (pattern !== '' && candidates.some((candidate) => globToRegExp(pattern).test(candidate)))
      ignored = !exception;
  }
  return ignored;
}

/** The patterns of a `.dockerignore` file: without comments and blank lines. */
export function dockerignorePatterns(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

function clean(pattern: string): string {
  return pattern.replace(/^\/+/, '').replace(/\/+$/, '').replace(/^\.\//, '');
}
