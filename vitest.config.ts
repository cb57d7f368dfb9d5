import { defineConfig } from 'vitest/config';

/**
 * Three tiers, told apart by file suffix (STYLE.md): `*.unit.test.ts` are pure and fast;
 * `*.int.test.ts` start real processes (ffmpeg, nats-server) and get longer timeouts;
 * `*.e2e.test.ts` start the whole platform (nats-server and every service as a process), one
 * file at a time so that two platforms do not fight over two cores.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'packages/*/src/**/*.unit.test.ts',
            'services/*/src/**/*.unit.test.ts',
            'tests/**/*.unit.test.ts',
          ],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: [
            'packages/*/src/**/*.int.test.ts',
            'services/*/src/**/*.int.test.ts',
            'tests/**/*.int.test.ts',
          ],
          testTimeout: 180_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/**/*.e2e.test.ts'],
          testTimeout: 240_000,
          hookTimeout: 120_000,
          pool: 'forks',
          poolOptions: { forks: { singleFork: true } },
        },
      },
    ],
  },
});
