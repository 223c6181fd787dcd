/**
 * What the tokenizer costs a process, measured in a fresh one: importing the package (nothing
 * is loaded), the first `startOllamaSim` (loads cl100k_base), a later one, and the heap the
 * tables take. Sends the figures to the parent.
 */
const heapBefore = process.memoryUsage().heapUsed;
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
const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 1e6;
process.send?.({ importMs, firstStartMs, laterStartMs, heapMb });
