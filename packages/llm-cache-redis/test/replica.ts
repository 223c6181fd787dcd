import { LLMCache } from '@lunar/llm-cache';
import { expect } from 'vitest';
import { RedisCacheStore, type RedisCacheStoreOptions } from '../src/index.js';
import type { RedisFixture } from './redis-fixture.js';

/**
 * One replica on the fixture's Redis: its own store (own connections, own local tier) under
 * `prefix`, ready, closed after the test, and an `LLMCache` in front of it.
 */
export async function replicaOn(
  redis: RedisFixture,
  prefix: string,
  cacheOptions: ConstructorParameters<typeof LLMCache>[0] = {},
  storeOptions: Partial<RedisCacheStoreOptions> = {},
) {
  const store = new RedisCacheStore({ redis: redis.server.url, prefix, logger: false, ...storeOptions });
  redis.track(store);
  expect(await store.whenReady({ timeoutMs: 10_000 })).toBe(true);
  return { store, cache: new LLMCache({ store, ...cacheOptions }) };
}
