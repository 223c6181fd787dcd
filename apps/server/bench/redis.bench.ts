import {
  type ChildServer,
  percentile,
  pool,
  redisServerAvailable,
  sized,
  startRedisServer,
  type TimedResponse,
  timedRequest,
} from '@lunar/dev-kit';
import { startServerProcess, startSimProcess } from './processes.js';

export interface LatencyRow {
  label: string;
  first: { p50: number; p99: number };
  whole: { p50: number; p99: number };
  samples: number;
}

export interface RedisBenchResult {
  local: LatencyRow;
  redis: LatencyRow;
  miss: LatencyRow;
  /** Hits replica B counted as served from Redis, read from its /metrics (should equal the samples). */
  remoteHits: number;
}

const MODEL = 'llama3.2:3b';
/** Misses timed one at a time: each is a whole generation on the `gpu` profile (~0.5 s). */
const MISSES = sized(16, 2);
/** Further answers computed on A (8 at a time, not timed), so B has more to fetch from Redis. */
const FILL = sized(112, 6);

const question = (index: number) => ({
  model: MODEL,
  messages: [{ role: 'user', content: `Why is the sky blue? Answer ${index}.` }],
  options: { temperature: 0 },
});

function row(label: string, samples: TimedResponse[]): LatencyRow {
  const first = samples.map((sample) => sample.firstMs);
  const whole = samples.map((sample) => sample.totalMs);
  return {
    label,
    first: { p50: percentile(first, 0.5), p99: percentile(first, 0.99) },
    whole: { p50: percentile(whole, 0.5), p99: percentile(whole, 0.99) },
    samples: samples.length,
  };
}

async function ask(base: string, index: number, expected: string): Promise<TimedResponse> {
  const timed = await timedRequest(`${base}/api/chat`, 'POST', question(index));
  if (timed.status !== 200 || timed.cache !== expected) {
    throw new Error(
      `request ${index} to ${base}: status ${timed.status}, x-lunar-cache ${timed.cache}, wanted ${expected}`,
    );
  }
  return timed;
}

async function remoteHits(base: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  return Number(/^lunar_llm_cache_remote_hits_total (\d+)/m.exec(text)?.[1] ?? Number.NaN);
}

/**
 * Hit latency through the proxy, client side, streamed chat: replica A's local tier (the answer in
 * its memory), replica B's Redis tier (B never saw the answer: one round trip to Redis), and a miss
 * that the `gpu` simulator computes. Undefined when there is no redis-server here.
 */
export async function benchRedis(): Promise<RedisBenchResult | undefined> {
  if (!redisServerAvailable('the Redis benchmark')) return undefined;
  const redis = await startRedisServer();
  const children: ChildServer[] = [];
  try {
    const sim = await startSimProcess('gpu', 8);
    children.push(sim);
    for (const replica of ['bench-a', 'bench-b']) {
      children.push(await startServerProcess(sim.url, ['--redis', redis.url, '--replica-id', replica]));
    }
    const [, a, b] = children as [ChildServer, ChildServer, ChildServer];
    const misses: TimedResponse[] = [];
    for (let index = 0; index < MISSES; index++) misses.push(await ask(a.url, index, 'miss'));
    await pool(FILL, 8, (index) => ask(a.url, MISSES + index, 'miss'));
    const before = await remoteHits(b.url);
    const local: TimedResponse[] = [];
    const shared: TimedResponse[] = [];
    // Side by side, one answer at a time: A already holds it; B has never seen it.
    for (let index = 0; index < MISSES + FILL; index++) {
      local.push(await ask(a.url, index, 'hit'));
      shared.push(await ask(b.url, index, 'hit'));
    }
    return {
      local: row('hit, local tier (replica A, which computed it)', local),
      redis: row('hit, Redis tier (replica B, first time it sees it)', shared),
      miss: row('miss (gpu simulator: 150 tokens/s, 68-token answer)', misses),
      remoteHits: (await remoteHits(b.url)) - before,
    };
  } finally {
    await Promise.all(children.map((child) => child.stop()));
    await redis.stop();
  }
}
