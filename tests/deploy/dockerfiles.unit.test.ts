import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { interpolateCompose } from '../../scripts/deploy/dockerfile-lint/compose-interpolation.ts';
import { DOCKERFILE_RULES } from '../../scripts/deploy/dockerfile-lint/dockerfile-rules.ts';
import { lintEntrypoint } from '../../scripts/deploy/dockerfile-lint/entrypoint-services.ts';
import { lintCompose } from '../../scripts/deploy/dockerfile-lint/lint-compose.ts';
import { lintDeployFiles } from '../../scripts/deploy/dockerfile-lint/lint-deploy-files.ts';
import { lintDockerfile } from '../../scripts/deploy/dockerfile-lint/lint-dockerfile.ts';
import type { LintHit } from '../../scripts/deploy/dockerfile-lint/lint-finding.ts';
import { serviceEnvironment } from '../../scripts/deploy/dockerfile-lint/service-environments.ts';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

const codesOf = (hits: readonly LintHit[]): string[] => hits.map((hit) => hit.code);

describe("the repository's docker/ files", () => {
  it('have no findings (Dockerfiles, compose file, entrypoint)', () => {
    expect(lintDeployFiles(REPO_ROOT)).toEqual([]);
  });
});

/** A Dockerfile every rule accepts; each case below breaks one thing in it. */
const GOOD_DOCKERFILE = `# syntax=docker/dockerfile:1
FROM node:20.20.2-bookworm-slim AS build
WORKDIR /app
COPY package.json pnpm-lock.yaml ./
COPY packages/a/package.json packages/a/
RUN npm install --global pnpm@10 && pnpm install --frozen-lockfile --prod

FROM node:20.20.2-bookworm-slim
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN apt-get update \\
 && apt-get install -y --no-install-recommends ffmpeg \\
 && rm -rf /var/lib/apt/lists/*
RUN ffmpeg -version | head -n 1
COPY --from=build /app /app
COPY --chmod=0755 docker/start-service.sh /app/docker/
USER 10001:10001
ENTRYPOINT ["/app/docker/start-service.sh"]
CMD ["gateway"]
`;
const PNPM_INPUTS = ['package.json', 'pnpm-lock.yaml', 'packages/a/package.json'];
const DOCKERIGNORE = ['**/node_modules', '**/*.test.ts', 'docker', '!docker/start-service.sh'];
const lintWith = (text: string, dockerignore: readonly string[] = DOCKERIGNORE): string[] =>
  codesOf(lintDockerfile(text, { pnpmInstallInputs: PNPM_INPUTS, dockerignore }));

/** `GOOD_DOCKERFILE` with one change; fails if `from` is not in it (a case that breaks nothing). */
function breakDockerfile(from: string, to: string): string {
  expect(GOOD_DOCKERFILE).toContain(from);
  return GOOD_DOCKERFILE.replace(from, to);
}

const DOCKERFILE_CASES: readonly {
  readonly code: string;
  readonly bad: () => string;
  readonly dockerignore?: readonly string[];
}[] = [
  { code: 'DL3002', bad: () => breakDockerfile('USER 10001:10001', 'USER root') },
  { code: 'DL3003', bad: () => breakDockerfile('RUN ffmpeg -version', 'RUN cd /tmp && ffmpeg -version') },
  { code: 'DL3004', bad: () => breakDockerfile('RUN ffmpeg -version', 'RUN sudo ffmpeg -version') },
  {
    code: 'DL3006',
    bad: () => breakDockerfile('FROM node:20.20.2-bookworm-slim\nSHELL', 'FROM node\nSHELL'),
  },
  { code: 'DL3007', bad: () => breakDockerfile('FROM node:20.20.2-bookworm-slim AS', 'FROM node:latest AS') },
  { code: 'DL3009', bad: () => breakDockerfile(' \\\n && rm -rf /var/lib/apt/lists/*', '') },
  { code: 'DL3014', bad: () => breakDockerfile('install -y --no', 'install --no') },
  { code: 'DL3015', bad: () => breakDockerfile(' --no-install-recommends', '') },
  { code: 'DL3016', bad: () => breakDockerfile('pnpm@10 ', 'pnpm ') },
  { code: 'DL3020', bad: () => breakDockerfile('COPY package.json', 'ADD package.json') },
  { code: 'DL3022', bad: () => breakDockerfile('--from=build', '--from=bulid') },
  { code: 'DL3025', bad: () => breakDockerfile('CMD ["gateway"]', 'CMD gateway') },
  { code: 'DL3027', bad: () => breakDockerfile('apt-get install', 'apt install') },
  { code: 'DL4006', bad: () => breakDockerfile('SHELL ["/bin/bash", "-o", "pipefail", "-c"]\n', '') },
  { code: 'LQ001', bad: () => breakDockerfile('USER 10001:10001\n', '') },
  { code: 'LQ002', bad: () => breakDockerfile('COPY packages/a/package.json packages/a/\n', '') },
  { code: 'LQ003', bad: () => GOOD_DOCKERFILE, dockerignore: [...DOCKERIGNORE, '**/package.json'] },
];

describe('each Dockerfile rule', () => {
  it('accepts the good Dockerfile', () => {
    expect(lintWith(GOOD_DOCKERFILE)).toEqual([]);
  });

  it.each(DOCKERFILE_CASES)('$code fires on a Dockerfile that breaks it', ({ code, bad, dockerignore }) => {
    expect(lintWith(bad(), dockerignore)).toContain(code);
  });

  it('has a case above, each', () => {
    expect(DOCKERFILE_CASES.map((c) => c.code).sort()).toEqual(DOCKERFILE_RULES.map((r) => r.code).sort());
  });

  it("reports dockerfile-utils' syntax and instruction errors", () => {
    expect(codesOf(lintDockerfile(breakDockerfile('WORKDIR /app', 'WORKDIR app')))).toContain(
      'DU:WORKDIR_IS_NOT_ABSOLUTE',
    );
    expect(codesOf(lintDockerfile(breakDockerfile('RUN ffmpeg', 'RUM ffmpeg')))).toContain(
      'DU:UNKNOWN_INSTRUCTION',
    );
  });
});

describe('the Dockerfile rules read the shell as sh does', () => {
  const lintRun = (run: string): string[] =>
    codesOf(lintDockerfile(breakDockerfile('RUN ffmpeg -version | head -n 1', run)));

  it('DL4006: a | inside quotes or a || is no pipe; `set -o pipefail` in the RUN is enough', () => {
    const withoutShell = (run: string): string[] =>
      codesOf(
        lintDockerfile(
          breakDockerfile('SHELL ["/bin/bash", "-o", "pipefail", "-c"]\n', '').replace(
            'RUN ffmpeg -version | head -n 1',
            run,
          ),
        ),
      );
    expect(withoutShell('RUN echo "a | b" \'c|d\' || true')).not.toContain('DL4006');
    expect(withoutShell('RUN set -euo pipefail; ffmpeg -version | head -n 1')).not.toContain('DL4006');
    expect(withoutShell('RUN ffmpeg -version|head -n 1')).toContain('DL4006');
  });

  it('finds apt-get behind assignments and inside if/then', () => {
    expect(lintRun('RUN DEBIAN_FRONTEND=noninteractive apt-get install -y ffmpeg')).toContain('DL3015');
    expect(lintRun('RUN if true; then apt-get install --no-install-recommends ffmpeg; fi')).toContain(
      'DL3014',
    );
  });

  it('DL3009 looks only at what the final image is made of', () => {
    const buildStageApt = breakDockerfile(
      'WORKDIR /app\n',
      'WORKDIR /app\nRUN apt-get update && apt-get install -y --no-install-recommends git\n',
    );
    expect(lintWith(buildStageApt)).toEqual([]);
  });

  it('LQ003 reads .dockerignore as Docker does: folders, **, and ! exceptions (last match wins)', () => {
    expect(lintWith(GOOD_DOCKERFILE, ['docker'])).toContain('LQ003');
    expect(lintWith(GOOD_DOCKERFILE, ['packages/**/package.json'])).toContain('LQ003');
    expect(lintWith(GOOD_DOCKERFILE, ['!docker/start-service.sh', 'docker'])).toContain('LQ003');
    expect(lintWith(GOOD_DOCKERFILE, ['docker', '!docker/start-service.sh'])).not.toContain('LQ003');
  });

  it('DL3016: a scoped package needs a version after its scope; paths are not packages', () => {
    expect(lintRun('RUN npm install --prefix /opt/x @scope/tool')).toContain('DL3016');
    expect(lintRun('RUN npm install --prefix /opt/x "@scope/tool@1.2.3" ./local.tgz')).not.toContain(
      'DL3016',
    );
  });

  it('DL3006: an ARG with a default resolves; one without cannot be checked', () => {
    const withArg = (arg: string): string[] =>
      lintWith(
        `${arg}\n${breakDockerfile('FROM node:20.20.2-bookworm-slim AS', `FROM node:\${V}-bookworm-slim AS`)}`,
      );
    expect(withArg('ARG V=20.20.2')).not.toContain('DL3006');
    expect(withArg('ARG V')).toContain('DL3006');
  });
});

/** A compose file every check accepts; each case below breaks one thing in it. */
const GOOD_COMPOSE = `x-platform-env: &platform-env
  NATS_URL: nats://nats:4222
  LACQUER_BLOB_STORE: s3
  S3_BUCKET: lacquer
  S3_FORCE_PATH_STYLE: "true"
services:
  nats:
    image: nats:2.10-alpine
    healthcheck:
      test: ["CMD", "node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT)"]
  gateway:
    build:
      context: ..
      dockerfile: docker/Dockerfile
    command: ["gateway"]
    depends_on:
      nats:
        condition: service_healthy
    environment:
      <<: *platform-env
      PORT: "8080"
      LACQUER_API_KEY: \${LACQUER_API_KEY:?set LACQUER_API_KEY}
  mastering:
    image: ghcr.io/lacquer/lacquer:\${LACQUER_VERSION:-0.1.0}
    command: ["mastering"]
    environment:
      <<: *platform-env
      LACQUER_SHUTDOWN_GRACE_SECONDS: "20"
      OTEL_SERVICE_NAME: mastering
`;
const EXISTING = new Set(['..', '../docker/Dockerfile']);
const lintGoodCompose = (text: string): string[] =>
  codesOf(
    lintCompose(text, {
      exists: (path) => EXISTING.has(path),
      imageServices: ['gateway', 'analyzer', 'decision', 'mastering'],
      environmentOf: serviceEnvironment,
    }),
  );

function breakCompose(from: string, to: string): string {
  expect(GOOD_COMPOSE).toContain(from);
  return GOOD_COMPOSE.replace(from, to);
}

const COMPOSE_CASES: readonly { readonly code: string; readonly name: string; readonly bad: () => string }[] =
  [
    { code: 'LQ101', name: 'YAML that does not parse', bad: () => breakCompose('services:', 'services: [') },
    {
      code: 'LQ102',
      name: 'a Dockerfile that does not exist',
      bad: () => breakCompose('docker/Dockerfile', 'docker/Dockerfil'),
    },
    {
      code: 'LQ103',
      name: 'a variable no code reads',
      bad: () => breakCompose('PORT: "8080"', 'PORT: "8080"\n      LACQUER_PORT: "8080"'),
    },
    {
      code: 'LQ103',
      name: "a gateway secret in a worker's environment",
      bad: () =>
        breakCompose(
          'OTEL_SERVICE_NAME: mastering',
          'OTEL_SERVICE_NAME: mastering\n      LACQUER_API_KEY: x',
        ),
    },
    {
      code: 'LQ104',
      name: 'an environment loadConfig refuses',
      bad: () => breakCompose('S3_BUCKET: lacquer', 'S3_BUCKET: ""'),
    },
    {
      code: 'LQ104',
      name: 'a gateway without an API key',
      bad: () => breakCompose(`LACQUER_API_KEY: \${LACQUER_API_KEY:?set LACQUER_API_KEY}`, 'LOG_LEVEL: info'),
    },
    {
      code: 'LQ105',
      name: 'a command the entrypoint does not run',
      bad: () => breakCompose('["mastering"]', '["separator"]'),
    },
    {
      code: 'LQ106',
      name: 'depends_on an undefined service',
      bad: () => breakCompose('      nats:\n        condition', '      natz:\n        condition'),
    },
    {
      code: 'LQ107',
      name: 'a reference compose refuses',
      bad: () => breakCompose("' + process.env.PORT)", `\${process.env.PORT}')`),
    },
    { code: 'LQ108', name: 'an untagged image', bad: () => breakCompose('nats:2.10-alpine', 'nats') },
    { code: 'LQ108', name: 'a latest image', bad: () => breakCompose('nats:2.10-alpine', 'nats:latest') },
  ];

describe('the compose checks', () => {
  it('accept the good compose file', () => {
    expect(lintGoodCompose(GOOD_COMPOSE)).toEqual([]);
  });

  it.each(COMPOSE_CASES)('$code fires on $name', ({ code, bad }) => {
    expect(lintGoodCompose(bad())).toContain(code);
  });

  it('interpolate as compose does', () => {
    expect(interpolateCompose(`\${A:-x} \${B-y} $$HOME \${C}`, { B: '' }).value).toBe('x  $HOME ');
    expect(interpolateCompose(`\${KEY:?required}`, {}).value).toBe('sample-key');
    expect(interpolateCompose(`\${KEY:?required}`, { KEY: 'set' }).value).toBe('set');
    expect(interpolateCompose(`\${a.b}`, {}).problems).toHaveLength(1);
  });
});

describe('LQ201: the entrypoint runs exactly the services that exist', () => {
  const script = "#!/bin/sh\nSERVICES='gateway analyzer'\n";

  it('accepts the same set', () => {
    expect(lintEntrypoint(script, ['analyzer', 'gateway'])).toEqual([]);
  });

  it('fires on a service left out, a service that is gone, and a missing list', () => {
    expect(codesOf(lintEntrypoint(script, ['analyzer', 'gateway', 'separator']))).toEqual(['LQ201']);
    expect(codesOf(lintEntrypoint(script, ['gateway']))).toEqual(['LQ201']);
    expect(codesOf(lintEntrypoint('#!/bin/sh\n', ['gateway']))).toEqual(['LQ201']);
  });
});
