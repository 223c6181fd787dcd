import { Counter, Gauge, type Registry } from 'prom-client';
import type { RedisHealth } from './redis-sharing.js';

type Read = (health: RedisHealth) => number;

/** How a metric is read at scrape time: a counter from a cumulative count, a gauge from a value now. */
type ReadMetric = ['counter' | 'gauge', string, string, Read];

const LLM_CACHE_METRICS: ReadMetric[] = [
  [
    'counter',
    'lunar_llm_cache_local_hits_total',
    "LLM cache: hits served from this replica's memory (no Redis round trip).",
    (health) => health.llmCache.localHits,
  ],
  [
    'counter',
    'lunar_llm_cache_remote_hits_total',
    'LLM cache: hits served from Redis (an answer another replica computed, or evicted locally).',
    (health) => health.llmCache.remoteHits,
  ],
  [
    'gauge',
    'lunar_llm_cache_waiters',
    "LLM cache: calls waiting for another replica's answer now.",
    (health) => health.llmCache.waiters,
  ],
];

const RELAY_METRICS: ReadMetric[] = [
  [
    'counter',
    'lunar_memory_invalidations_published_total',
    'Memory-search cache: invalidations sent to the other replicas.',
    (health) => health.memoryInvalidation?.published ?? 0,
  ],
  [
    'counter',
    'lunar_memory_invalidations_received_total',
    'Memory-search cache: invalidations from other replicas applied here.',
    (health) => health.memoryInvalidation?.received ?? 0,
  ],
  [
    'gauge',
    'lunar_memory_invalidations_pending',
    'Memory-search cache: invalidations kept while Redis is down, sent when it is back.',
    (health) => health.memoryInvalidation?.pending ?? 0,
  ],
];

/**
 * Redis's share of `/metrics`, read at scrape time: whether each component reaches Redis, where
 * LLM cache hits came from (this replica's memory or Redis), and the memory invalidations relayed
 * (when the relay runs: not with memories on PostgreSQL).
 */
export function registerRedisMetrics(registry: Registry, source: () => RedisHealth): void {
  const registers = [registry];
  const relay = source().memoryInvalidation !== undefined;
  new Gauge({
    name: 'lunar_redis_up',
    help: 'Redis: 1 while the component reaches it, 0 while it works locally (llm-cache, memory-invalidation).',
    labelNames: ['component'],
    registers,
    collect() {
      const health = source();
      this.set({ component: 'llm-cache' }, health.llmCache.state === 'ready' ? 1 : 0);
      if (health.memoryInvalidation !== undefined) {
        this.set({ component: 'memory-invalidation' }, health.memoryInvalidation.state === 'ready' ? 1 : 0);
      }
    },
  });
  new Counter({
    name: 'lunar_redis_errors_total',
    help: 'Redis: failed or timed-out commands and unreadable values, by component (each served locally).',
    labelNames: ['component'],
    registers,
    collect() {
      const health = source();
      this.reset();
      this.inc({ component: 'llm-cache' }, health.llmCache.errors);
      if (health.memoryInvalidation !== undefined) {
        this.inc({ component: 'memory-invalidation' }, health.memoryInvalidation.errors);
      }
    },
  });
  for (const [kind, name, help, read] of [...LLM_CACHE_METRICS, ...(relay ? RELAY_METRICS : [])]) {
    if (kind === 'counter') {
      new Counter({
        name,
        help,
        registers,
        collect() {
          this.reset();
          this.inc(read(source()));
        },
      });
    } else {
      new Gauge({
        name,
        help,
        registers,
        collect() {
          this.set(read(source()));
        },
      });
    }
  }
}
