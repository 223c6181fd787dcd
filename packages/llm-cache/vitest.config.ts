import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: '@lunar/llm-cache',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  },
});
