/** One problem found in a deployment file. */
export interface LintFinding {
  /** The file, relative to the repository root. */
  readonly file: string;
  /** 1-based line the problem is on. */
  readonly line: number;
  /** A hadolint code (`DL3006`), a dockerfile-utils code, or one of this project's (`LQ…`). */
  readonly code: string;
  readonly message: string;
}

/** A finding within one file, before the file is known. */
export type LintHit = Omit<LintFinding, 'file'>;

/** `file:line CODE message`: one line per finding, as editors and CI annotations read it. */
export function formatFinding(finding: LintFinding): string {
  return `${finding.file}:${finding.line} ${finding.code} ${finding.message}`;
}
