import { redisServerAvailable } from '@lunar/dev-kit';
import { defineProject } from 'vitest/config';

// The tests in test/ start a real redis-server: without one they are left out with a notice
// (CI sets LUNAR_REQUIRE_SYSTEM_DEPS=1, so that a missing one fails the run instead).
const haveRedis = redisServerAvailable('@lunar/llm-cache-redis: the tests against a real Redis (test/)');

export default defineProject({
  test: {
    name: '@lunar/llm-cache-redis',
    include: haveRedis ? ['src/**/*.test.ts', 'test/**/*.test.ts'] : ['src/**/*.test.ts'],
  },
});
