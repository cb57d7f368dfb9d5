import { fileURLToPath } from 'node:url';

/**
 * Absolute path of a committed test fixture under `tests/fixtures/` (real excerpts from the
 * corpus with their credits in `tests/fixtures/README.md`).
 */
export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../../../tests/fixtures/${name}`, import.meta.url));
}
