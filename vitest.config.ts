import { defineConfig } from 'vitest/config';

// One vitest project per package and app: `npx vitest --project @lunar/llm-cache` tests one alone.
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', 'bench/*'],
  },
});
