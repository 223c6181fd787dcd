export { LunarServerError, type LunarServerErrorCode } from './errors.js';
export type { UpstreamHealth } from './health/health-probe.js';
export { isLoopbackHost } from './http/loopback.js';
export {
  DEFAULT_BODY_LIMIT,
  DEFAULT_MODEL,
  DEFAULT_PORT,
  type ResolvedServerOptions,
  type ServerOptions,
} from './options.js';
export type { RedisHealth, RedisSharing } from './redis/redis-sharing.js';
export { type CloseOptions, createServer, LunarServer, startServer } from './server.js';
