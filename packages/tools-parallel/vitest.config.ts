import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: '@lunar/tools-parallel',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  },
});
