import { printBenchHeader, sized } from '@lunar/dev-kit';
import { Bm25Index } from './bm25.js';
import { generateDocuments, generateQueries } from './documents.js';
import { benchHitLatency } from './hit-latency.bench.js';
import { benchSingleFlight } from './single-flight.bench.js';

const DOCUMENTS = sized(10_000, 1_000);

const started = performance.now();
const documents = generateDocuments(DOCUMENTS);
const buildStart = performance.now();
const index = new Bm25Index(documents);
const buildMs = performance.now() - buildStart;
const queries = generateQueries(50);

printBenchHeader('@lunar/memory-cache benchmarks');
console.log(
  `corpus: ${DOCUMENTS.toLocaleString('en')} generated memories, ${index.terms.toLocaleString('en')} distinct terms, BM25 index built in ${buildMs.toFixed(0)} ms`,
);

await benchHitLatency(index, queries);
await benchSingleFlight(index, queries);

console.log(`\ntotal: ${((performance.now() - started) / 1_000).toFixed(1)} s`);
