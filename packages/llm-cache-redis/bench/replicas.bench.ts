import { formatDuration, median, printTable, sized } from '@lunar/dev-kit';
import { LLMCache, MemoryCacheStore } from '@lunar/llm-cache';
import { RedisCacheStore } from '../src/index.js';
import { gpuSimulator, question } from './sim.js';

/**
 * Bench 3: 40 identical concurrent calls split over two replicas, against the `gpu` simulator.
 * Each replica with its own memory store (what one server does alone) vs both on Redis.
 */
export async function replicasBench(redisUrl: string): Promise<void> {
  const { sim, client, close } = await gpuSimulator();
  const stores = [0, 1].map(
    () => new RedisCacheStore({ redis: redisUrl, prefix: 'bench:replicas:', logger: false }),
  );
  try {
    await Promise.all(stores.map((store) => store.whenReady()));
    const setups = {
      'memory store per replica': [new LLMCache({ store: new MemoryCacheStore() }), new LLMCache()],
      'RedisCacheStore per replica': stores.map((store) => new LLMCache({ store })),
    };
    const rows: string[][] = [];
    let round = 0;
    for (const [name, replicas] of Object.entries(setups)) {
      const calls: number[] = [];
      const times: number[] = [];
      for (let repeat = 0; repeat < sized(3, 1); repeat++) {
        const request = question(`replicas ${round++}`);
        const before = sim.stats().requests['/api/chat'] ?? 0;
        const started = performance.now();
        await Promise.all(
          Array.from({ length: 40 }, (_item, index) =>
            replicas[index % 2]!.getOrCompute(request, (signal) =>
              client.chat({ ...request, stream: false }, { signal }),
            ),
          ),
        );
        times.push(performance.now() - started);
        calls.push((sim.stats().requests['/api/chat'] ?? 0) - before);
      }
      rows.push([name, calls.join(', '), formatDuration(median(times))]);
    }
    printTable(
      `3. 40 identical concurrent calls, 20 on each of two replicas, gpu simulator (${sized(3, 1)} runs)`,
      ['stores', 'upstream calls per run', 'wall time (median)'],
      rows,
    );
  } finally {
    await Promise.all(stores.map((store) => store.close()));
    await close();
  }
}
