import { cpus } from 'node:os';
import { redisServerBinary, startRedisServer } from '../test/redis-server.js';
import { hitLatencyBench } from './hit-latency.bench.js';
import { replicasBench } from './replicas.bench.js';
import { valueFormatBench } from './value-format.bench.js';

// Every benchmark needs a real Redis: say so plainly when there is none.
try {
  redisServerBinary();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}

console.log(
  `@lunar/llm-cache-redis benchmarks: Node ${process.version}, ${cpus().length} cores, loopback only`,
);
const redis = await startRedisServer();
try {
  await hitLatencyBench(redis.url);
  await valueFormatBench(redis.url);
  await replicasBench(redis.url);
} finally {
  await redis.stop();
}
