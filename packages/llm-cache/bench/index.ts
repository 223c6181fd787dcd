import { printBenchHeader } from '@lunar/dev-kit';
import { firstChunkBench } from './first-chunk.bench.js';
import { hitLatencyBench } from './hit-latency.bench.js';
import { insertFlatBench } from './insert-flat.bench.js';
import { memoryBench } from './memory.bench.js';

const started = performance.now();
printBenchHeader('@lunar/llm-cache benchmarks');
await hitLatencyBench();
await insertFlatBench();
await memoryBench();
await firstChunkBench();
console.log(`\nDone in ${((performance.now() - started) / 1000).toFixed(1)} s`);
