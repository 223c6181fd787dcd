import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: '@lunar/ollama-sim',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  },
});
