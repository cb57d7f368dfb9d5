import { DockerfileParser } from 'dockerfile-ast';
import type { DockerfileContext } from './dockerfile-rule.ts';
import { DOCKERFILE_RULES } from './dockerfile-rules.ts';
import { checkDockerfileSyntax } from './dockerfile-syntax.ts';
import type { LintHit } from './lint-finding.ts';

/** Options of {@link lintDockerfile}. */
export interface DockerfileLintOptions {
  /** See `DockerfileContext.pnpmInstallInputs`; none: LQ002 has nothing to check. */
  readonly pnpmInstallInputs?: readonly string[];
  /** The context's `.dockerignore` patterns; none: LQ003 has nothing to check. */
  readonly dockerignore?: readonly string[];
}

/** Lints one Dockerfile's text: dockerfile-utils' validator, then every rule; by line. */
export function lintDockerfile(text: string, options: DockerfileLintOptions = {}): LintHit[] {
  const context: DockerfileContext = {
    dockerfile: DockerfileParser.parse(text),
    pnpmInstallInputs: options.pnpmInstallInputs ?? [],
    dockerignore: options.dockerignore ?? [],
  };
  const hits = [...checkDockerfileSyntax(text), ...DOCKERFILE_RULES.flatMap((rule) => rule.check(context))];
  return hits.sort((a, b) => a.line - b.line || a.code.localeCompare(b.code));
}
