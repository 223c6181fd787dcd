export { isLunarServerError, LunarServerError, type LunarServerErrorCode } from './errors.js';
export type { MemoryHealth } from './health/memory-check.js';
export type { OllamaHostHealth, ReadinessReport } from './health/readiness.js';
export { isLoopbackHost } from './http/loopback.js';
export {
  DEFAULT_BODY_LIMIT,
  DEFAULT_PORT,
  DEFAULT_REQUEST_TIMEOUT_MS,
  type ResolvedServerOptions,
  type ServerOptions,
} from './options.js';
export type { RedisHealth, RedisSharing } from './redis/redis-sharing.js';
export { type CloseOptions, createServer, LunarServer, startServer } from './server.js';
