import { type RedisServer, redisServerAvailable, startRedisServer, waitFor } from '@lunar/dev-kit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type Cluster,
  type ProxyResult,
  proxiedChat,
  readiness,
  startCluster,
  startLoad,
} from './replicas-fixture.js';

const available = redisServerAvailable(
  'test/replicas-faults.test.ts (Redis and a simulator killed under load)',
);

const count = (results: readonly ProxyResult[], outcome: ProxyResult['outcome']) =>
  results.filter((result) => result.outcome === outcome).length;

/** Fails with the details of the first failed request, if any. */
function expectNoneFailed(results: readonly ProxyResult[]): void {
  expect(results.find((result) => result.outcome === 'failed')?.detail).toBeUndefined();
}

async function redisState(url: string): Promise<string> {
  const { body } = await readiness(url);
  return body.redis!.state;
}

describe.runIf(available)('faults under load: two replicas, three simulators, one Redis', () => {
  let redis: RedisServer;
  let cluster: Cluster | undefined;

  beforeEach(async () => {
    redis = await startRedisServer();
  });

  afterEach(async () => {
    await cluster?.close();
    await redis.stop();
  });

  it('Redis killed mid-run: no request fails, and sharing resumes once it is back', async () => {
    cluster = await startCluster({ redis: redis.url, sim: { latency: { overheadMs: 20 } } });
    const urls = cluster.replicas.map((replica) => replica.url!);
    // A third of the texts new (misses: locks and writes in Redis), the rest 24 texts asked again and
    // again (hits from either tier, joins across replicas).
    const load = startLoad(
      urls,
      6,
      (index) => `Tell me about the sea, part ${index % 3 === 0 ? index : index % 24}.`,
    );
    await expect.poll(() => load.results.length, { timeout: 15_000 }).toBeGreaterThan(40);

    await redis.kill();
    const atKill = load.results.length;
    for (const url of urls) await expect.poll(() => redisState(url), { timeout: 10_000 }).toBe('down');
    const degraded = await readiness(urls[0]!);
    expect(degraded).toMatchObject({ status: 200, body: { status: 'degraded' } });
    // Both replicas go on serving while Redis is down: 30 more requests complete (none may fail).
    await waitFor(() => load.results.length >= atKill + 30, { timeoutMs: 20_000 });

    await redis.restart();
    for (const url of urls) await expect.poll(() => redisState(url), { timeout: 15_000 }).toBe('ready');
    const atRestart = load.results.length;
    await waitFor(() => load.results.length >= atRestart + 10, { timeoutMs: 20_000 });
    const results = await load.stop();

    expectNoneFailed(results);
    expect(count(results, 'failed-streaming')).toBe(0);
    // Logged once each way per replica, whichever component noticed first.
    for (const lines of cluster.logs) {
      expect(lines.filter((line) => line.includes('redis unavailable'))).toHaveLength(1);
      expect(lines.filter((line) => line.includes('redis back'))).toHaveLength(1);
      expect(lines.every((line) => line.includes('"replica":"replica-'))).toBe(true);
    }
    // Sharing has resumed: an answer new to both (Redis restarted empty) cached on A is a hit on B.
    expect(await proxiedChat(urls[0]!, 'Why is the sky blue? (after the outage)')).toMatchObject({
      outcome: 'ok',
      cache: 'miss',
    });
    expect(await proxiedChat(urls[1]!, 'Why is the sky blue? (after the outage)')).toMatchObject({
      outcome: 'ok',
      cache: 'hit',
    });
  }, 60_000);

  it('a simulator killed mid-run: requests not yet streaming are retried on the others, which take the load', async () => {
    // ~150 ms before the first byte and ~1 ms of streaming: at the kill, the dead host's requests are
    // nearly all still waiting for their first byte.
    cluster = await startCluster({ redis: redis.url, sim: { latency: { overheadMs: 150 } } });
    const urls = cluster.replicas.map((replica) => replica.url!);
    const [live1, live2, dying] = cluster.sims;
    // Every text differs, so every request reaches a simulator.
    const load = startLoad(urls, 9, (index) => `Tell me about the mountains, part ${index}.`);
    await expect.poll(() => load.results.length, { timeout: 15_000 }).toBeGreaterThan(20);
    await expect.poll(() => dying!.stats().generationsInFlight, { timeout: 10_000 }).toBeGreaterThan(0);

    const inFlightAtKill = dying!.stats().generationsInFlight;
    const atKill = cluster.chats();
    const doneAtKill = load.results.length;
    await dying!.close();
    // The live simulators take the load: 30 more requests complete after the kill.
    await waitFor(() => load.results.length >= doneAtKill + 30, { timeoutMs: 20_000 });
    const results = await load.stop();
    const after = cluster.chats();

    expectNoneFailed(results);
    // Only requests whose answer had started can fail, and only those that were on the dead host.
    expect(count(results, 'failed-streaming')).toBeLessThanOrEqual(inFlightAtKill);
    expect(after[0]!).toBeGreaterThan(atKill[0]!);
    expect(after[1]!).toBeGreaterThan(atKill[1]!);
    expect(after[2]!).toBe(atKill[2]!);
    expect(live1!.stats().requests['/api/chat']! + live2!.stats().requests['/api/chat']!).toBe(
      after[0]! + after[1]!,
    );
    // Both replicas saw the host fail, took it out of rotation and report it down, still healthy.
    for (const replica of cluster.replicas) {
      const host = replica.client.hosts().find((entry) => entry.url === dying!.url)!;
      expect(host.failures).toBeGreaterThan(0);
      const { status, body } = await readiness(replica.url!);
      expect(status).toBe(200);
      expect(body.ollama.find((entry) => entry.host === dying!.url)).toMatchObject({ state: 'down' });
      expect(body.ollama.filter((entry) => entry.state === 'up')).toHaveLength(2);
    }
  }, 60_000);
});
