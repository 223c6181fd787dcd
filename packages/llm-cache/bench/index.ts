import { arch, cpus, platform } from 'node:os';
import { firstChunkBench } from './first-chunk.bench.js';
import { hitLatencyBench } from './hit-latency.bench.js';
import { insertFlatBench } from './insert-flat.bench.js';
import { memoryBench } from './memory.bench.js';

const started = performance.now();
console.log(
  `@lunar/llm-cache benchmarks: Node ${process.version}, ${platform()} ${arch()}, ${cpus().length} CPUs` +
    `${typeof (globalThis as { gc?: unknown }).gc === 'function' ? ', --expose-gc' : ''}`,
);
await hitLatencyBench();
await insertFlatBench();
await memoryBench();
await firstChunkBench();
console.log(`\nDone in ${((performance.now() - started) / 1000).toFixed(1)} s`);
