export { benchShort, printBenchHeader, sized, verdict } from './bench-mode.js';
export {
  type ChildServer,
  type ChildServerOptions,
  peakResidentMiB,
  residentMiB,
  startChildServer,
} from './child-server.js';
export { formatBytes, formatDuration, formatRatio, formatSpeedup, printTable, table } from './format.js';
export { freePort } from './free-port.js';
export { ndjsonLines, postJson } from './json-http.js';
export { decodeOtlpJson, type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from './otlp-receiver.js';
export {
  findPostgresBin,
  POSTGRES,
  type PostgresServer,
  postgresAvailable,
  startPostgresServer,
} from './postgres-server.js';
export { mulberry32 } from './random.js';
export {
  REDIS_SERVER,
  type RedisServer,
  redisServerAvailable,
  startRedisServer,
} from './redis-server.js';
export { median, percentile, type Summary, summarise } from './statistics.js';
export { type SystemProgram, systemProgramAvailable } from './system-program.js';
export {
  closeTimedRequests,
  pool,
  sideBySide,
  type TimedResponse,
  timedRequest,
} from './timed-request.js';
export { collectGarbage, type RaceOptions, race, timeRounds } from './timing.js';
export { nextEvent, type WaitForOptions, waitFor } from './wait-for.js';
