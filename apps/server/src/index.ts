export { LunarServerError, type LunarServerErrorCode } from './errors.js';
export type { UpstreamHealth } from './health-probe.js';
export { isLoopbackHost } from './loopback.js';
export {
  DEFAULT_BODY_LIMIT,
  DEFAULT_MODEL,
  DEFAULT_PORT,
  type ResolvedServerOptions,
  type ServerOptions,
} from './options.js';
export type { RedisHealth, RedisSharing } from './redis-sharing.js';
export { type CloseOptions, createServer, LunarServer, startServer } from './server.js';
