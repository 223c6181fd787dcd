import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: '@lunar/cli',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // The tests run the built CLI as processes: generous, on a loaded 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
