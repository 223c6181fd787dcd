import { firstTokenBench } from './first-token.bench.js';
import { parseBench } from './parse.bench.js';
import { poolingBench } from './pooling.bench.js';
import { relayBench } from './relay.bench.js';
import { streamingBench } from './streaming.bench.js';

const started = performance.now();
console.log(`@lunar/ollama-stream benchmarks: Node ${process.version}, ${process.platform} ${process.arch}`);
await parseBench();
await streamingBench();
await poolingBench();
await firstTokenBench();
await relayBench();
console.log(`\nDone in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
