import { existsSync } from 'node:fs';
import { printBenchHeader, REDIS_SERVER, startRedisServer } from '@lunar/dev-kit';
import { hitLatencyBench } from './hit-latency.bench.js';
import { replicasBench } from './replicas.bench.js';
import { valueFormatBench } from './value-format.bench.js';

// Every benchmark needs a real Redis: say so plainly when there is none.
if (!existsSync(REDIS_SERVER.path)) {
  console.error(`${REDIS_SERVER.name} not found at ${REDIS_SERVER.path}: ${REDIS_SERVER.install}`);
  process.exit(1);
}

printBenchHeader('@lunar/llm-cache-redis benchmarks (loopback only)');
const redis = await startRedisServer();
try {
  await hitLatencyBench(redis.url);
  await valueFormatBench(redis.url);
  await replicasBench(redis.url);
} finally {
  await redis.stop();
}
