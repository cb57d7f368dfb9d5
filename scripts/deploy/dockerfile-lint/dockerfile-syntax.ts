import { ValidationCode, validate } from 'dockerfile-utils';
import type { LintHit } from './lint-finding.ts';

/**
 * What dockerfile-utils' validator finds (the checks of the VS Code Docker extension): unknown
 * instructions, wrong argument counts, bad flags, invalid image references, relative WORKDIRs,
 * single-quoted JSON, duplicate CMDs, lower-case keywords. Errors and warnings both count.
 * Coded `DU:<ValidationCode>` (dockerfile-utils says its codes may change between releases).
 */
export function checkDockerfileSyntax(text: string): LintHit[] {
  return validate(text).map((diagnostic) => ({
    line: diagnostic.range.start.line + 1,
    code: `DU:${typeof diagnostic.code === 'number' ? (ValidationCode[diagnostic.code] ?? diagnostic.code) : 'UNKNOWN'}`,
    message: typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value,
  }));
}
