import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: '@lunar/agent',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  },
});
