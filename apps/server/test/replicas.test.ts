import { type RedisServer, redisServerAvailable, startRedisServer } from '@lunar/dev-kit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { postJson } from './helpers.js';
import { type Cluster, chatBody, proxiedChat, readiness, startCluster } from './replicas-fixture.js';

const available = redisServerAvailable('test/replicas.test.ts (two replicas sharing a real Redis)');

interface TurnAnswer {
  profile: { stages: Array<{ name: string; cache?: string }> };
}

/** A `stream: false` turn; resolves with the cache status of its memory-search stage. */
async function memorySearchCache(
  url: string,
  message: string,
  sessionId: string,
): Promise<string | undefined> {
  const response = await postJson(`${url}/v1/turns`, { message, sessionId, stream: false });
  expect(response.status).toBe(200);
  const answer = (await response.json()) as TurnAnswer;
  return answer.profile.stages.find((stage) => stage.name === 'memory-search')?.cache;
}

async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((entry) => entry.startsWith(`${name} `));
  return line === undefined ? Number.NaN : Number(line.slice(name.length + 1));
}

describe.runIf(available)('two replicas sharing one Redis, three simulators', () => {
  let redis: RedisServer;
  let cluster: Cluster;

  beforeAll(async () => {
    redis = await startRedisServer();
    // Each generation takes ~150 ms before its first byte, so identical requests overlap.
    cluster = await startCluster({ redis: redis.url, sim: { latency: { overheadMs: 150 } } });
  }, 30_000);

  afterAll(async () => {
    await cluster?.close();
    await redis?.stop();
  });

  it('reports Redis as ready in /readyz and /metrics, with the replica id and each Ollama host', async () => {
    const [a] = cluster.replicas;
    const { status, body } = await readiness(a!.url!);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      status: 'ok',
      replica: 'replica-a',
      redis: { state: 'ready', llmCache: { state: 'ready' }, memoryInvalidation: { state: 'ready' } },
    });
    expect(body.ollama.map((host) => host.host)).toEqual(cluster.sims.map((sim) => sim.url));
    for (const host of body.ollama) expect(host).toMatchObject({ state: 'up', inRotation: true });
    const text = await (await fetch(`${a!.url}/metrics`)).text();
    expect(text).toContain('lunar_redis_up{component="llm-cache"} 1');
    expect(text).toContain('lunar_redis_up{component="memory-invalidation"} 1');
    expect(text).toContain('lunar_replica_info{replica="replica-a"} 1');
  });

  it('serves an answer cached through replica A as a hit on replica B, from Redis', async () => {
    const [a, b] = cluster.replicas;
    const before = cluster.chats().reduce((sum, count) => sum + count, 0);
    const remoteBefore = await metric(b!.url!, 'lunar_llm_cache_remote_hits_total');
    const first = await proxiedChat(a!.url!, 'Why is the sea salty? (shared)');
    expect(first).toMatchObject({ outcome: 'ok', cache: 'miss' });
    const second = await proxiedChat(b!.url!, 'Why is the sea salty? (shared)');
    expect(second).toMatchObject({ outcome: 'ok', cache: 'hit' });
    expect(cluster.chats().reduce((sum, count) => sum + count, 0)).toBe(before + 1);
    expect(await metric(b!.url!, 'lunar_llm_cache_remote_hits_total')).toBe(remoteBefore + 1);
    // Asked again on B: from B's own memory, no round trip. (A's notice of its new answer may reach
    // B after B copied it from Redis, and drop that copy once; the next ask is then local.)
    const localBefore = await metric(b!.url!, 'lunar_llm_cache_local_hits_total');
    let local = localBefore;
    for (let ask = 0; ask < 5 && local === localBefore; ask++) {
      expect(await proxiedChat(b!.url!, 'Why is the sea salty? (shared)')).toMatchObject({ cache: 'hit' });
      local = await metric(b!.url!, 'lunar_llm_cache_local_hits_total');
    }
    expect(local).toBe(localBefore + 1);
    expect(cluster.chats().reduce((sum, count) => sum + count, 0)).toBe(before + 1);
  });

  it('sends 40 identical concurrent requests split across both replicas to the simulators once', async () => {
    const [a, b] = cluster.replicas;
    const before = cluster.chats();
    const body = chatBody('Why do cats purr? (forty at once)');
    const responses = await Promise.all(
      Array.from({ length: 40 }, async (_, index) => {
        const response = await postJson(`${(index % 2 === 0 ? a : b)!.url}/api/chat`, body);
        return {
          status: response.status,
          cache: response.headers.get('x-lunar-cache'),
          text: await response.text(),
        };
      }),
    );
    const after = cluster.chats();
    expect(after.reduce((sum, count, index) => sum + count - before[index]!, 0)).toBe(1);
    expect(responses.every((response) => response.status === 200)).toBe(true);
    expect(new Set(responses.map((response) => response.text)).size).toBe(1);
    const statuses = responses.map((response) => response.cache);
    expect(statuses.filter((status) => status === 'miss')).toHaveLength(1);
    expect(statuses.every((status) => status === 'miss' || status === 'joined' || status === 'hit')).toBe(
      true,
    );
  });

  it("invalidates B's memory-search cache when a memory is written through A", async () => {
    const [a, b] = cluster.replicas;
    const question = 'Which city does the user live in?';
    expect(await memorySearchCache(b!.url!, question, 'm1')).toBe('miss');
    expect(await memorySearchCache(b!.url!, question, 'm2')).toBe('hit');
    const received = await metric(b!.url!, 'lunar_memory_invalidations_received_total');
    const written = await postJson(`${a!.url}/v1/memories`, { text: 'The user lives in Lisbon.' });
    expect(written.status).toBe(201);
    // Pub/sub delivers to B asynchronously: wait until B has applied it, then search.
    await expect
      .poll(() => metric(b!.url!, 'lunar_memory_invalidations_received_total'))
      .toBeGreaterThan(received);
    expect(await memorySearchCache(b!.url!, question, 'm3')).toBe('miss');
    // The search ran again on B and finds what A wrote (both replicas use one memory file).
    const found = await fetch(`${b!.url}/v1/memories?query=${encodeURIComponent(question)}`);
    const { memories } = (await found.json()) as { memories: Array<{ text: string }> };
    expect(memories.map((memory) => memory.text)).toContain('The user lives in Lisbon.');
  });
});

describe.runIf(available)('two replicas without Redis (the in-memory defaults)', () => {
  let cluster: Cluster | undefined;

  afterEach(async () => {
    await cluster?.close();
  });

  it('share nothing: B misses what A cached, computes identical requests again, and keeps a stale memory search', async () => {
    cluster = await startCluster({ sim: { latency: { overheadMs: 150 } } });
    const [a, b] = cluster.replicas;
    const body = chatBody('Why do cats purr? (forty at once)');
    await Promise.all(
      Array.from({ length: 40 }, async (_, index) => {
        await (await postJson(`${(index % 2 === 0 ? a : b)!.url}/api/chat`, body)).text();
      }),
    );
    expect(cluster.chats().reduce((sum, count) => sum + count, 0)).toBe(2); // one per replica
    expect((await readiness(a!.url!)).body).not.toHaveProperty('redis');
    expect(await proxiedChat(a!.url!, 'Why is the sea salty?')).toMatchObject({ cache: 'miss' });
    expect(await proxiedChat(b!.url!, 'Why is the sea salty?')).toMatchObject({ cache: 'miss' });
    const question = 'Which city does the user live in?';
    expect(await memorySearchCache(b!.url!, question, 'm1')).toBe('miss');
    expect((await postJson(`${a!.url}/v1/memories`, { text: 'The user lives in Lisbon.' })).status).toBe(201);
    expect(await memorySearchCache(b!.url!, question, 'm2')).toBe('hit');
  });
});
