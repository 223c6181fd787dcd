import { waitFor } from '@lunar/dev-kit';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { entryFingerprint } from '../src/entry-codec.js';
import { RedisCacheStore, type RedisCacheStoreOptions, redisClientOptions } from '../src/index.js';
import { firstText, streamedEntry } from './fixtures.js';
import { useRedisServer } from './redis-fixture.js';

const redis = useRedisServer();

let prefixes = 0;

async function store(options: Partial<RedisCacheStoreOptions> = {}) {
  const created = new RedisCacheStore({ redis: redis.server.url, logger: false, ...options });
  redis.track(created);
  expect(await created.whenReady({ timeoutMs: 10_000 })).toBe(true);
  return created;
}

/**
 * A client of the test's own whose pipelines' replies can be held back after Redis has answered,
 * so a test can invalidate a key while a read of it is known to carry the old value.
 */
function heldClient() {
  const client = new Redis(redis.server.url, redisClientOptions());
  redis.track({ close: async () => client.disconnect() });
  const pipeline = client.pipeline.bind(client);
  let gate: Promise<void> | undefined;
  let open = () => {};
  let held = 0;
  client.pipeline = ((...args: Parameters<typeof pipeline>) => {
    const created = pipeline(...args);
    const exec = created.exec.bind(created);
    created.exec = (async (...execArgs: Parameters<typeof exec>) => {
      const results = await exec(...execArgs);
      const waiting = gate;
      if (waiting !== undefined) {
        held++;
        await waiting;
      }
      return results;
    }) as typeof created.exec;
    return created;
  }) as typeof client.pipeline;
  return {
    client,
    hold() {
      gate = new Promise((resolve) => {
        open = resolve;
      });
    },
    release() {
      gate = undefined;
      open();
    },
    held: () => held,
  };
}

/**
 * A writer replica, and a reader replica on a held client with the old answer under `k` in Redis
 * and a marker in its local tier. `race(read, invalidate)` starts the reader's read, lets Redis
 * answer it with the old value, invalidates through the writer, waits until the reader has heard
 * it, and then delivers the read.
 */
async function readerAndWriter() {
  const prefix = `local${++prefixes}:`;
  const writer = await store({ prefix });
  const held = heldClient();
  const reader = await store({ prefix, redis: held.client, commandTimeoutMs: 30_000 });
  await writer.set('k', streamedEntry('old'), 60_000);
  await writer.set('marker', streamedEntry('marker'), 60_000);
  expect(firstText(await reader.get('marker'))).toBe('marker 0');
  expect(reader.stats().entries).toBe(1);
  const race = async <T>(read: () => Promise<T>, invalidate: () => unknown): Promise<T> => {
    held.hold();
    const reading = read();
    await waitFor(() => held.held() === 1); // Redis answered with the old value; not delivered yet
    await invalidate();
    // Events arrive in order: once the marker is dropped, the invalidation has been heard.
    await writer.set('marker', streamedEntry('marker again'), 60_000);
    await waitFor(() => reader.stats().entries === 0);
    held.release();
    return reading;
  };
  return { writer, reader, race };
}

describe('the local tier and reads in flight', { timeout: 30_000 }, () => {
  it.each([
    ['delete', (reader: RedisCacheStore) => reader.delete('k')],
    ['clear', (reader: RedisCacheStore) => reader.clear()],
  ])('does not keep a value read before a %s on this replica', async (_name, invalidate) => {
    const prefix = `local${++prefixes}:`;
    const writer = await store({ prefix });
    const reader = await store({ prefix });
    const entry = streamedEntry('deleted soon');
    await writer.set('k', entry, 60_000);
    const reading = reader.get('k'); // sent to Redis before the delete
    await invalidate(reader);
    expect(await reading).toEqual(entry); // what Redis held when it was read
    expect(reader.stats().entries).toBe(0);
    expect(await reader.get('k')).toBeUndefined();
  });

  it('keeps a newer answer written on this replica over an older one read before', async () => {
    const prefix = `local${++prefixes}:`;
    const writer = await store({ prefix });
    const reader = await store({ prefix });
    await writer.set('k', streamedEntry('older'), 60_000);
    const reading = reader.get('k');
    const newer = streamedEntry('newer');
    await reader.set('k', newer, 60_000);
    await reading;
    // Never the older answer. (Usually straight from the local tier; if the writer's notice of its
    // older answer arrives late, the reader drops its copy once and reads the newer one from Redis.)
    expect(await reader.get('k')).toEqual(newer);
  });

  it.each([
    ['a delete', (writer: RedisCacheStore) => writer.delete('k')],
    ['a newer answer', (writer: RedisCacheStore) => writer.set('k', streamedEntry('newer'), 60_000)],
    ['a clear', (writer: RedisCacheStore) => writer.clear()],
  ])('does not keep a value read before %s on another replica', async (_name, invalidate) => {
    const { writer, reader, race } = await readerAndWriter();
    const read = await race(
      async () => reader.get('k'),
      () => invalidate(writer),
    );
    expect(read?.chunks[0]?.message?.content).toBe('old 0'); // what Redis held when it was read
    expect(reader.stats().entries).toBe(0);
  });

  it('does not keep a value a waiter read before a delete on another replica', async () => {
    const { writer, reader, race } = await readerAndWriter();
    const found = await race(
      () => reader.waitFor('k', { timeoutMs: 20_000 }),
      () => writer.delete('k'),
    );
    expect(firstText(found)).toBe('old 0'); // what Redis held when it was read
    expect(reader.stats().entries).toBe(0);
  });

  it('keeps a local copy of the very answer another replica announces, drops any other', async () => {
    const prefix = `local${++prefixes}:`;
    const reader = await store({ prefix });
    const entry = streamedEntry('announced');
    await reader.set('k', entry, 60_000);
    await reader.set('marker', streamedEntry('marker'), 60_000);
    const announce = (key: string, fingerprint?: string) =>
      redis.admin.publish(
        `${prefix}events`,
        JSON.stringify({ type: 'set', key, origin: 'other', fingerprint }),
      );
    await announce('k', entryFingerprint(entry));
    await announce('marker', 'another answer');
    await waitFor(() => reader.stats().entries === 1); // the marker went; events arrive in order
    expect(reader.get('k')).toEqual(entry);
    await announce('k', entryFingerprint({ ...entry, durationMs: entry.durationMs + 0.001 }));
    await waitFor(() => reader.stats().entries === 0);

    // An event without a fingerprint (an older replica) drops the copy too.
    await reader.set('k', entry, 60_000);
    await announce('k');
    await waitFor(() => reader.stats().entries === 0);
  });
});
