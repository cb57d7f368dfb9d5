import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { dockerignorePatterns } from './dockerignore.ts';
import { entrypointServices, lintEntrypoint } from './entrypoint-services.ts';
import { lintCompose } from './lint-compose.ts';
import { lintDockerfile } from './lint-dockerfile.ts';
import type { LintFinding, LintHit } from './lint-finding.ts';
import { serviceEnvironment } from './service-environments.ts';

/** The Dockerfiles, relative to the repository root (their build context). */
export const DOCKERFILES = ['docker/Dockerfile', 'docker/Dockerfile.cuda'] as const;
const COMPOSE_FILE = 'docker/compose.yaml';
const ENTRYPOINT = 'docker/start-service.sh';

/**
 * Lints the repository's deployment files: both Dockerfiles (with the root `.dockerignore`),
 * the compose file and the entrypoint's list of services. No Docker needed; no finding means clean.
 */
export function lintDeployFiles(repoRoot: string): LintFinding[] {
  const read = (file: string): string => readFileSync(join(repoRoot, file), 'utf8');
  const inFile = (file: string) => (hits: readonly LintHit[]) => hits.map((hit) => ({ file, ...hit }));
  const pnpmInstallInputs = [
    'package.json',
    'pnpm-lock.yaml',
    'pnpm-workspace.yaml',
    ...workspaceMembers(repoRoot).map((member) => `${member}/package.json`),
  ];
  const services = readdirSync(join(repoRoot, 'services'))
    .filter((name) => existsSync(join(repoRoot, 'services', name, 'src', 'main.ts')))
    .sort();
  const dockerignore = dockerignorePatterns(read('.dockerignore'));
  const entrypoint = read(ENTRYPOINT);
  return [
    ...DOCKERFILES.flatMap((file) =>
      inFile(file)(lintDockerfile(read(file), { pnpmInstallInputs, dockerignore })),
    ),
    ...inFile(ENTRYPOINT)(lintEntrypoint(entrypoint, services)),
    ...inFile(COMPOSE_FILE)(
      lintCompose(read(COMPOSE_FILE), {
        exists: (path) => existsSync(join(repoRoot, 'docker', path)),
        imageServices: entrypointServices(entrypoint) ?? [],
        environmentOf: serviceEnvironment,
      }),
    ),
  ];
}

/** The workspace's package folders: pnpm-workspace.yaml's `packages`, `dir/*` globs expanded. */
function workspaceMembers(repoRoot: string): string[] {
  const workspace = parse(readFileSync(join(repoRoot, 'pnpm-workspace.yaml'), 'utf8')) as {
    packages?: string[];
  };
  return (workspace.packages ?? []).flatMap((pattern) => {
    if (!pattern.endsWith('/*')) return [pattern];
    const parent = pattern.slice(0, -2);
    return readdirSync(join(repoRoot, parent), { withFileTypes: true })
      .filter(
        (entry) => entry.isDirectory() && existsSync(join(repoRoot, parent, entry.name, 'package.json')),
      )
      .map((entry) => `${parent}/${entry.name}`)
      .sort();
  });
}
