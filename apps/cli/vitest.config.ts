import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: '@lunar/cli',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  },
});
