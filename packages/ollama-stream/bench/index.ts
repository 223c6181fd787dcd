import { printBenchHeader } from '@lunar/dev-kit';
import { firstTokenBench } from './first-token.bench.js';
import { parseBench } from './parse.bench.js';
import { poolingBench } from './pooling.bench.js';
import { relayBench } from './relay.bench.js';
import { streamingBench } from './streaming.bench.js';

const started = performance.now();
printBenchHeader('@lunar/ollama-stream benchmarks');
await parseBench();
await streamingBench();
await poolingBench();
await firstTokenBench();
await relayBench();
console.log(`\nDone in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
