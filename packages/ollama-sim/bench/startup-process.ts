/**
 * What the tokenizer costs a process, measured in a fresh one: importing the package (nothing
 * is loaded), the first `startOllamaSim` (loads cl100k_base), a later one, and the memory the
 * process grew by. Sends the figures to the parent.
 */
const before = process.memoryUsage();
let started = performance.now();
const { startOllamaSim } = await import('../src/index.js');
const importMs = performance.now() - started;
started = performance.now();
const first = await startOllamaSim();
const firstStartMs = performance.now() - started;
await first.close();
started = performance.now();
const second = await startOllamaSim();
const laterStartMs = performance.now() - started;
await second.close();
global.gc?.();
const after = process.memoryUsage();
const heapMb = (after.heapUsed - before.heapUsed) / 1e6;
const rssMb = (after.rss - before.rss) / 1e6;
process.send?.({ importMs, firstStartMs, laterStartMs, heapMb, rssMb });
