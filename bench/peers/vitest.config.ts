import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: '@lunar/bench-peers',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  },
});
