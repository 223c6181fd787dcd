import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: '@lunar/server',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  },
});
