import { defineConfig } from 'vitest/config';

/**
 * Two tiers, told apart by file suffix (STYLE.md): `*.unit.test.ts` are pure and fast;
 * `*.int.test.ts` start real processes (ffmpeg, nats-server) and get longer timeouts.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.unit.test.ts', 'services/*/src/**/*.unit.test.ts'],
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
    ],
  },
});
