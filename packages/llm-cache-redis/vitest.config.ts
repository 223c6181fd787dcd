import { existsSync } from 'node:fs';
import { defineProject } from 'vitest/config';

// The tests in test/ start a real redis-server. Where there is none (a machine with only Node and
// npm), they are left out with a notice; CI installs redis-server and sets LUNAR_REQUIRE_SYSTEM_DEPS=1
// so that a missing one fails the run instead.
const redisServer = process.env.REDIS_SERVER ?? '/usr/bin/redis-server';
const haveRedis = existsSync(redisServer);
if (!haveRedis) {
  const message = `redis-server not found at ${redisServer}: install it (apt-get install redis-server) or set REDIS_SERVER`;
  if (process.env.LUNAR_REQUIRE_SYSTEM_DEPS === '1') throw new Error(message);
  console.warn(`[@lunar/llm-cache-redis] ${message}; the tests against a real Redis are left out.`);
}

export default defineProject({
  test: {
    name: '@lunar/llm-cache-redis',
    include: haveRedis ? ['src/**/*.test.ts', 'test/**/*.test.ts'] : ['src/**/*.test.ts'],
  },
});
