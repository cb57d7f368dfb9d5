import { posix } from 'node:path';
import { type ComposeService, parseComposeDocument } from './compose-document.ts';
import { interpolateCompose } from './compose-interpolation.ts';
import { parseImageReference } from './image-reference.ts';
import type { LintHit } from './lint-finding.ts';
import type { ServiceEnvironment } from './service-environments.ts';

/** Options of {@link lintCompose}. */
export interface ComposeLintOptions {
  /** Whether a path, relative to the compose file's folder, exists. */
  readonly exists: (path: string) => boolean;
  /** The services the image's entrypoint runs (docker/start-service.sh). */
  readonly imageServices: readonly string[];
  /** What each of those services reads (see `serviceEnvironment`). */
  readonly environmentOf: (service: string) => ServiceEnvironment;
  /** The shell environment `${…}` is read from (default: none; required ones get samples). */
  readonly shell?: Readonly<Record<string, string>>;
}

/**
 * Lints a compose file without Docker:
 * - LQ101 the YAML parses; LQ107 every `${…}` is one compose accepts;
 * - LQ108 every image is tagged, and not `latest` (DL3006 and DL3007 for compose);
 * - LQ102 every `build` context and Dockerfile exists;
 * - LQ106 every `depends_on` names a service of the file;
 * for each service of the Lacquer image (it has a `build`, or a ghcr.io/lacquer image):
 * - LQ105 its `command` names a service the entrypoint runs;
 * - LQ103 every variable of its `environment` is one that service reads;
 * - LQ104 its environment, interpolated, passes the service's own `loadConfig`.
 */
export function lintCompose(text: string, options: ComposeLintOptions): LintHit[] {
  const document = parseComposeDocument(text);
  const hits: LintHit[] = document.errors.map(({ line, message }) => ({ line, code: 'LQ101', message }));
  const shell = options.shell ?? {};
  const interpolate = (value: string): string => interpolateCompose(value, shell).value;
  for (const { value, line } of document.scalars) {
    for (const message of interpolateCompose(value, shell).problems)
      hits.push({ line, code: 'LQ107', message });
  }
  const names = new Set(document.services.map((service) => service.name));
  for (const service of document.services) {
    hits.push(...checkImage(service, interpolate), ...checkBuild(service, options.exists));
    for (const dependency of service.dependsOn.filter((d) => !names.has(d.name))) {
      hits.push({
        line: dependency.line,
        code: 'LQ106',
        message: `${service.name} depends on an undefined service ${dependency.name}`,
      });
    }
    if (service.build !== null || service.image?.startsWith('ghcr.io/lacquer/')) {
      hits.push(...checkLacquerService(service, options, interpolate));
    }
  }
  return hits.sort((a, b) => a.line - b.line || a.code.localeCompare(b.code));
}

function checkImage(service: ComposeService, interpolate: (value: string) => string): LintHit[] {
  if (service.image === null) return [];
  const image = interpolate(service.image);
  const { tag, digest } = parseImageReference(image);
  if (tag === null && digest === null)
    return [{ line: service.line, code: 'LQ108', message: `tag the image: ${image}` }];
  return tag === 'latest'
    ? [{ line: service.line, code: 'LQ108', message: `pin a version instead of latest: ${image}` }]
    : [];
}

function checkBuild(service: ComposeService, exists: (path: string) => boolean): LintHit[] {
  const build = service.build;
  if (build === null) return [];
  const dockerfile = posix.join(build.context, build.dockerfile);
  if (!exists(build.context))
    return [{ line: build.line, code: 'LQ102', message: `build context ${build.context} does not exist` }];
  return exists(dockerfile)
    ? []
    : [
        {
          line: build.line,
          code: 'LQ102',
          message: `${build.dockerfile} does not exist in ${build.context}`,
        },
      ];
}

function checkLacquerService(
  service: ComposeService,
  options: ComposeLintOptions,
  interpolate: (value: string) => string,
): LintHit[] {
  const command = service.command?.[0];
  if (command === undefined || !options.imageServices.includes(command)) {
    const message = `${service.name}: command ${command ?? '(none)'} is not one of ${options.imageServices.join(', ')}`;
    return [{ line: service.line, code: 'LQ105', message }];
  }
  const environment = options.environmentOf(command);
  const hits: LintHit[] = service.environment
    .filter((entry) => !environment.reads(entry.name))
    .map((entry) => ({ line: entry.line, code: 'LQ103', message: `${command} does not read ${entry.name}` }));
  try {
    environment.load(
      Object.fromEntries(service.environment.map((entry) => [entry.name, interpolate(entry.value)])),
    );
  } catch (error) {
    const message = `${command} refuses this environment: ${error instanceof Error ? error.message.replaceAll(/\s*\n\s*/g, ' ') : String(error)}`;
    hits.push({ line: service.line, code: 'LQ104', message });
  }
  return hits;
}
