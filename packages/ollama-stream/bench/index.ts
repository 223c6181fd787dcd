import { parseBench } from './parse.bench.js';
import { streamingBench } from './streaming.bench.js';

console.log(`@lunar/ollama-stream benchmarks: Node ${process.version}, ${process.platform} ${process.arch}`);
await parseBench();
await streamingBench();
