import { parseBench } from './parse.bench.js';

console.log(`@lunar/ollama-stream benchmarks: Node ${process.version}, ${process.platform} ${process.arch}`);
await parseBench();
