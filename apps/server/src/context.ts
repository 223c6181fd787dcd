import type { LLMCache } from '@lunar/llm-cache';
import type { MemoryStore } from '@lunar/memory';
import type { InFlight } from '@lunar/ollama-proxy';
import type { OllamaClient } from '@lunar/ollama-stream';
import type { ReadinessSources } from './health/readiness.js';
import type { BearerAuth } from './http/auth.js';
import type { ServerMetrics } from './metrics/server-metrics.js';
import type { ResolvedServerOptions } from './options.js';
import type { RedisSharing } from './redis/redis-sharing.js';
import type { AgentPool } from './turns/agent-pool.js';

/** What every route group gets: the wired packages and the server's own state. */
export interface ServerContext {
  readonly options: ResolvedServerOptions;
  readonly client: OllamaClient;
  readonly llmCache: LLMCache;
  readonly agents: AgentPool;
  readonly memory: MemoryStore;
  readonly metrics: ServerMetrics;
  /** The link to the other replicas, with the `redis` option. */
  readonly redis: RedisSharing | undefined;
  /** Agent turns in flight. */
  readonly turns: InFlight;
  /** What `/readyz` asks. */
  readonly readiness: ReadinessSources;
  /** The token check, when the server has a token. */
  readonly auth: BearerAuth | undefined;
  /** True once `close()` has begun. */
  closing(): boolean;
}
