import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: '@lunar/ollama-proxy',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  },
});
