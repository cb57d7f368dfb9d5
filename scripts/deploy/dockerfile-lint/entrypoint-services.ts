import type { LintHit } from './lint-finding.ts';

const SERVICES_LINE = /^SERVICES='([^']*)'/m;

/** The services docker/start-service.sh runs (its `SERVICES='…'` line), or null without one. */
export function entrypointServices(script: string): string[] | null {
  const match = script.match(SERVICES_LINE);
  return match ? (match[1] ?? '').split(/\s+/).filter(Boolean) : null;
}

/**
 * LQ201: the entrypoint runs exactly the services that have a `services/<name>/src/main.ts`
 * (`present`), so a new service is not left out of the image's command.
 */
export function lintEntrypoint(script: string, present: readonly string[]): LintHit[] {
  const listed = entrypointServices(script);
  const line = script.slice(0, script.match(SERVICES_LINE)?.index ?? 0).split('\n').length;
  if (listed === null) return [{ line: 1, code: 'LQ201', message: "no SERVICES='…' line" }];
  return [
    ...present
      .filter((name) => !listed.includes(name))
      .map((name) => ({
        line,
        code: 'LQ201',
        message: `services/${name}/src/main.ts exists but ${name} is not in SERVICES`,
      })),
    ...listed
      .filter((name) => !present.includes(name))
      .map((name) => ({
        line,
        code: 'LQ201',
        message: `${name} is in SERVICES but services/${name}/src/main.ts does not exist`,
      })),
  ];
}
