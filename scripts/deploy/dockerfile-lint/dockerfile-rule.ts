import type { Dockerfile } from 'dockerfile-ast';
import type { LintHit } from './lint-finding.ts';

/** What a rule looks at: the parsed Dockerfile and what the repository says it must copy. */
export interface DockerfileContext {
  readonly dockerfile: Dockerfile;
  /**
   * The files a `pnpm install --frozen-lockfile` needs (root manifest, lockfile, workspace
   * file, every member's package.json), relative to the build context.
   */
  readonly pnpmInstallInputs: readonly string[];
  /** The patterns of the context's `.dockerignore` (see `dockerignorePatterns`). */
  readonly dockerignore: readonly string[];
}

/** One check over a Dockerfile, named after the hadolint rule it implements (or `LQ…`). */
export interface DockerfileRule {
  readonly code: string;
  /** One line: why the rule exists. */
  readonly why: string;
  readonly check: (context: DockerfileContext) => readonly LintHit[];
}
