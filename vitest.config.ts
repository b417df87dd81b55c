import { defineConfig } from 'vitest/config';

export default defineConfig({
  // graphql 16 ships CommonJS and ESM copies; Vite would pick the ESM one for our files while Node
  // gives Yoga and Pothos the CommonJS one, and two copies of graphql refuse each other's types.
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/support/check-kept-texts.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
