import {
  type PostgresServer,
  postgresAvailable,
  type RedisServer,
  redisServerAvailable,
  startPostgresServer,
  startRedisServer,
} from '@lunar/dev-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReadinessReport } from '../src/index.js';
import { postJson } from './helpers.js';
import { type Cluster, type ProxyResult, startCluster, startLoad } from './replicas-fixture.js';

const suite = 'test/replicas-postgres.test.ts (two replicas on one PostgreSQL and one Redis)';
const available = postgresAvailable(suite) && redisServerAvailable(suite);

interface Stage {
  name: string;
  cache?: string;
  detail?: { results?: number; historyMessages?: number };
}

/** A `stream: false` turn through `url`; resolves with its stages. */
async function turnStages(url: string, message: string, sessionId: string): Promise<Stage[]> {
  const response = await postJson(`${url}/v1/turns`, { message, sessionId, stream: false });
  expect(response.status).toBe(200);
  return ((await response.json()) as { profile: { stages: Stage[] } }).profile.stages;
}

const stage = (stages: Stage[], name: string) => stages.find((entry) => entry.name === name)!;

describe.runIf(available)('two replicas on one PostgreSQL and one Redis', () => {
  let postgres: PostgresServer;
  let redis: RedisServer;
  let cluster: Cluster;
  let urls: string[];

  beforeAll(async () => {
    [postgres, redis] = await Promise.all([startPostgresServer(), startRedisServer()]);
    cluster = await startCluster({
      redis: redis.url,
      server: { memory: postgres.url, memoryVectorSearch: 'exact' },
    });
    urls = cluster.replicas.map((replica) => replica.url!);
  }, 60_000);

  afterAll(async () => {
    await cluster?.close();
    await Promise.all([postgres?.stop(), redis?.stop()]);
  });

  it('finds a memory written through A when searching through B at once, its cached searches dropped', async () => {
    const [a, b] = urls as [string, string];
    // PostgreSQL's notifications carry the invalidations: Redis does not relay them a second time.
    for (const replica of cluster.replicas) expect(replica.redis!.relay).toBeUndefined();
    const ready = (await (await fetch(`${b}/readyz`)).json()) as ReadinessReport;
    expect(ready.redis).toMatchObject({ state: 'ready', llmCache: { state: 'ready' } });
    expect(ready.redis).not.toHaveProperty('memoryInvalidation');
    const before = stage(await turnStages(b, 'Which tea do I like?', 'tea-1'), 'memory-search');
    expect(before.cache).toBe('miss');
    expect(stage(await turnStages(b, 'Which tea do I like?', 'tea-2'), 'memory-search').cache).toBe('hit');
    for (let round = 0; round < 5; round++) {
      const written = await postJson(`${a}/v1/memories`, {
        text: `The user likes oolong tea, note ${round}`,
      });
      expect(written.status).toBe(201);
      const { id } = (await written.json()) as { id: string };
      // At once, through B: the turn's search misses and finds one memory more.
      const after = stage(await turnStages(b, 'Which tea do I like?', `tea-after-${round}`), 'memory-search');
      expect(after).toMatchObject({
        cache: 'miss',
        detail: { results: Math.min(4, before.detail!.results! + round + 1) },
      });
      const found = (await (await fetch(`${b}/v1/memories?query=oolong&k=10`)).json()) as {
        memories: Array<{ id: string }>;
      };
      expect(found.memories.map((memory) => memory.id)).toContain(id);
    }
  });

  it('goes on with a conversation started on A when its next turn reaches B', async () => {
    const [a, b] = urls as [string, string];
    expect(
      stage(await turnStages(a, 'My name is Ada.', 'moving'), 'build-prompt').detail?.historyMessages,
    ).toBe(0);
    const onB = stage(await turnStages(b, 'What is my name?', 'moving'), 'build-prompt');
    expect(onB.detail?.historyMessages).toBe(2);
    const backOnA = stage(await turnStages(a, 'And again?', 'moving'), 'build-prompt');
    expect(backOnA.detail?.historyMessages).toBe(4);
  });

  it('rides out a PostgreSQL restart under load: no turn fails but those in flight, and memory works after', async () => {
    const load = startLoad(urls, 6, (index) => `Tell me about the sea, part ${index}.`);
    await expect.poll(() => load.results.length, { timeout: 15_000 }).toBeGreaterThan(30);
    const inFlight = cluster.replicas.reduce((sum, replica) => sum + replica.turnsInFlight, 0);
    await postgres.restart();
    const atRestart = load.results.length;
    await expect.poll(() => load.results.length, { timeout: 20_000 }).toBeGreaterThan(atRestart + 30);
    const results = await load.stop();
    const failed = results.filter((result: ProxyResult) => result.outcome !== 'ok');
    expect(failed.length).toBeLessThanOrEqual(inFlight);
    // The pools reconnected: a write through A is found through B.
    const written = await postJson(`${urls[0]}/v1/memories`, { text: 'Written after the restart' });
    expect(written.status).toBe(201);
    const { id } = (await written.json()) as { id: string };
    expect((await fetch(`${urls[1]}/v1/memories/${id}`)).status).not.toBe(500);
    const found = (await (await fetch(`${urls[1]}/v1/memories?query=restart`)).json()) as {
      memories: Array<{ id: string }>;
    };
    expect(found.memories.map((memory) => memory.id)).toContain(id);
  }, 60_000);
});
