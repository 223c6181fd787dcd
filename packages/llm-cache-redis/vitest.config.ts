import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: '@lunar/llm-cache-redis',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  },
});
