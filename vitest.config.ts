import { defineConfig } from 'vitest/config';

// Workspace packages export a `source` condition pointing at their TypeScript,
// so tests run against src without a build; child processes run the built dist.
const resolve = { conditions: ['source'] };
const exclude = ['**/node_modules/**', '**/dist/**'];

export default defineConfig({
  resolve,
  test: {
    projects: [
      {
        resolve,
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'services/*/src/**/*.test.ts', 'test/unit/**/*.test.ts'],
          exclude: [...exclude, '**/*.int.test.ts'],
        },
      },
      {
        resolve,
        test: {
          name: 'integration',
          include: [
            'packages/*/src/**/*.int.test.ts',
            'services/*/src/**/*.int.test.ts',
            'test/**/*.int.test.ts',
          ],
          exclude,
          globalSetup: ['test/infra/global-setup.ts'],
          // Responses are checked against the route schemas, which the OpenAPI document shows.
          setupFiles: ['test/infra/response-checks.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Integration files share one broker and one database; they use random
          // topic and database names, but running them one at a time keeps the
          // 2-core machine from timing out consumer-group rebalances.
          fileParallelism: false,
        },
      },
    ],
  },
});
