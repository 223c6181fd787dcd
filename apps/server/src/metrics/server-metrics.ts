import type { StageRecord, TurnProfile } from '@lunar/agent';
import type { LLMCacheStats } from '@lunar/llm-cache';
import type { HostStats } from '@lunar/ollama-stream';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { registerRedisMetrics } from '../redis/redis-metrics.js';
import type { RedisHealth } from '../redis/redis-sharing.js';

/** Where the metrics read at scrape time come from. */
export interface MetricSources {
  cache(): LLMCacheStats;
  hosts(): HostStats[];
  turnsInFlight(): number;
  proxiedInFlight(): number;
  /** This replica's id, in `lunar_replica_info`. */
  replicaId: string;
  /** Redis's state and counters, when the server shares its caches through Redis. */
  redis?: () => RedisHealth;
}

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
const STAGE_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** A counter whose value is read from a cumulative source at scrape time. */
function readCounter(registry: Registry, name: string, help: string, read: () => number): void {
  new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      this.reset();
      this.inc(read());
    },
  });
}

/** The server's Prometheus registry: its own (not prom-client's global one), so servers never collide. */
export class ServerMetrics {
  readonly registry = new Registry();
  readonly #requests: Counter<'method' | 'route' | 'status'>;
  readonly #turnFirstToken: Histogram<string>;
  readonly #turnDuration: Histogram<'outcome'>;
  readonly #stageDuration: Histogram<'stage'>;
  readonly #proxyFirstChunk: Histogram<'route' | 'cache'>;
  readonly #proxyDuration: Histogram<'route' | 'cache'>;
  readonly #proxyBusy: Counter<'route'>;

  constructor(sources: MetricSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.#requests = new Counter({
      name: 'lunar_http_requests_total',
      help: "HTTP requests answered, by method, route and status (499: the client left before the answer ended; an answer cut by the server's shutdown counts as 503).",
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    const histogram = <L extends string>(
      name: string,
      help: string,
      labelNames: L[],
      buckets = LATENCY_BUCKETS,
    ) => new Histogram<L>({ name, help, labelNames, buckets, registers });
    this.#turnFirstToken = histogram(
      'lunar_turn_time_to_first_token_seconds',
      'Agent turns: from the start of the turn to the first text for the user.',
      [],
    );
    this.#turnDuration = histogram(
      'lunar_turn_duration_seconds',
      'Agent turns: whole duration, by outcome (done or the error code).',
      ['outcome'],
    );
    this.#stageDuration = histogram(
      'lunar_stage_duration_seconds',
      'Agent turns: duration of each pipeline stage.',
      ['stage'],
      STAGE_BUCKETS,
    );
    this.#proxyFirstChunk = histogram(
      'lunar_proxy_time_to_first_chunk_seconds',
      'Ollama proxy: from the request to the first byte of the answer, by route and cache status.',
      ['route', 'cache'],
    );
    this.#proxyDuration = histogram(
      'lunar_proxy_duration_seconds',
      'Ollama proxy: from the request to the end of the answer, by route and cache status.',
      ['route', 'cache'],
    );
    this.#proxyBusy = new Counter({
      name: 'lunar_proxy_busy_total',
      help: 'Ollama proxy: calls refused with 503 because maxProxied calls were in flight, by route.',
      labelNames: ['route'],
      registers,
    });
    new Gauge({
      name: 'lunar_proxy_in_flight',
      help: 'Ollama proxy: proxied calls running now (at most maxProxied).',
      registers,
      collect() {
        this.set(sources.proxiedInFlight());
      },
    });
    new Gauge({
      name: 'lunar_turns_in_flight',
      help: 'Agent turns running now.',
      registers,
      collect() {
        this.set(sources.turnsInFlight());
      },
    });
    new Gauge({
      name: 'lunar_replica_info',
      help: "This server replica's id (as in its logs and /healthz); always 1.",
      labelNames: ['replica'],
      registers,
    }).set({ replica: sources.replicaId }, 1);
    this.#cacheMetrics(sources);
    this.#ollamaMetrics(sources);
    if (sources.redis !== undefined) registerRedisMetrics(this.registry, sources.redis);
  }

  request(method: string, route: string, status: number): void {
    this.#requests.inc({ method, route, status: String(status) });
  }

  turn(profile: TurnProfile, outcome: string): void {
    if (profile.timeToFirstTokenMs !== null) this.#turnFirstToken.observe(profile.timeToFirstTokenMs / 1000);
    this.#turnDuration.observe({ outcome }, profile.totalMs / 1000);
  }

  stage(stage: StageRecord): void {
    this.#stageDuration.observe({ stage: stage.name }, stage.durationMs / 1000);
  }

  proxyFirstChunk(route: string, cache: string, seconds: number): void {
    this.#proxyFirstChunk.observe({ route, cache }, seconds);
  }

  proxyDone(route: string, cache: string, seconds: number): void {
    this.#proxyDuration.observe({ route, cache }, seconds);
  }

  proxyBusy(route: string): void {
    this.#proxyBusy.inc({ route });
  }

  /** The Prometheus text exposition. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  #cacheMetrics(sources: MetricSources): void {
    const counters: Array<[string, string, (stats: LLMCacheStats) => number]> = [
      ['lunar_llm_cache_hits_total', 'LLM cache: answers served from the store.', (stats) => stats.hits],
      ['lunar_llm_cache_misses_total', 'LLM cache: calls that went to Ollama.', (stats) => stats.misses],
      [
        'lunar_llm_cache_joins_total',
        'LLM cache: calls that joined an identical call in flight.',
        (stats) => stats.joins,
      ],
      [
        'lunar_llm_cache_bypasses_total',
        'LLM cache: calls not cacheable (sampled, or Cache-Control).',
        (stats) => stats.bypasses,
      ],
      [
        'lunar_llm_cache_evictions_total',
        'LLM cache: entries dropped to make room.',
        (stats) => stats.evictions ?? 0,
      ],
    ];
    for (const [name, help, read] of counters)
      readCounter(this.registry, name, help, () => read(sources.cache()));
    const gauges: Array<[string, string, (stats: LLMCacheStats) => number]> = [
      ['lunar_llm_cache_entries', 'LLM cache: entries in the store.', (stats) => stats.entries ?? 0],
      ['lunar_llm_cache_bytes', 'LLM cache: estimated bytes in the store.', (stats) => stats.bytes ?? 0],
      ['lunar_llm_cache_in_flight', 'LLM cache: calls to Ollama running now.', (stats) => stats.inFlight],
    ];
    for (const [name, help, read] of gauges) {
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          this.set(read(sources.cache()));
        },
      });
    }
  }

  #ollamaMetrics(sources: MetricSources): void {
    const registers = [this.registry];
    const perHost = (name: string, help: string, read: (host: HostStats) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['host'],
        registers,
        collect() {
          this.reset();
          for (const host of sources.hosts()) this.set({ host: host.url }, read(host));
        },
      });
    perHost('lunar_ollama_connections', 'Ollama hosts: connections open now.', (host) => host.connected);
    perHost(
      'lunar_ollama_free_connections',
      'Ollama hosts: open connections idle now, ready for the next request.',
      (host) => host.free ?? 0,
    );
    perHost('lunar_ollama_running', 'Ollama hosts: requests running now.', (host) => host.running);
    perHost(
      'lunar_ollama_queued',
      'Ollama hosts: requests waiting for a free connection now (more at once than the pool has connections).',
      (host) => host.queued ?? 0,
    );
    perHost(
      'lunar_ollama_up',
      'Ollama hosts: 1 while in rotation, 0 while skipped after refusing connections.',
      (host) => (host.down ? 0 : 1),
    );
    perHost(
      'lunar_ollama_down_until_seconds',
      'Ollama hosts: while skipped, when it is tried again (Unix time in seconds); 0 while in rotation.',
      (host) => (host.down && host.downUntil !== undefined ? host.downUntil / 1000 : 0),
    );
    for (const [name, help, field] of [
      ['lunar_ollama_requests_total', 'Ollama hosts: requests sent (retries included).', 'requests'],
      ['lunar_ollama_failures_total', 'Ollama hosts: attempts that failed before a response.', 'failures'],
    ] as const) {
      new Counter({
        name,
        help,
        labelNames: ['host'],
        registers,
        collect() {
          this.reset();
          for (const host of sources.hosts()) this.inc({ host: host.url }, host[field]);
        },
      });
    }
  }
}
