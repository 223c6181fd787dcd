import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: '@lunar/dev-kit',
    include: ['src/**/*.test.ts'],
  },
});
