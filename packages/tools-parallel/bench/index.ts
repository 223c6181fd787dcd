import { formatRatio, printBenchHeader, table, verdict } from '@lunar/dev-kit';
import { benchOverhead, CALLS, ROUNDS as OVERHEAD_ROUNDS } from './overhead.bench.js';
import { benchParallel, ROUNDS as PARALLEL_ROUNDS } from './parallel.bench.js';

const fixed = (value: number, digits = 1) => value.toFixed(digits);

printBenchHeader('@lunar/tools-parallel benchmarks');
console.log('');

const parallel = await benchParallel();
const sequential = parallel[0];
const concurrent = parallel.at(-1);
console.log(`1. Five tools of 100 ms each (median of ${PARALLEL_ROUNDS} rounds)\n`);
console.log(
  table(
    ['variant', 'median ms', 'min ms', 'max ms'],
    parallel.map((row) => [row.label, fixed(row.medianMs), fixed(row.minMs), fixed(row.maxMs)]),
  ),
);
if (sequential && concurrent) {
  const speedup = sequential.medianMs / concurrent.medianMs;
  const over = concurrent.medianMs - 100;
  console.log(
    `\nparallel / sequential: ${fixed(concurrent.medianMs / sequential.medianMs, 3)} (${formatRatio(speedup)} faster); ` +
      `parallel is ${fixed(over, 2)} ms over 100 ms (goal: within 5 ms) ${verdict(over <= 5)}\n`,
  );
}

const overhead = await benchOverhead();
console.log(
  `2. ${CALLS.toLocaleString('en')} no-op tool calls (median of ${OVERHEAD_ROUNDS} interleaved rounds)\n`,
);
console.log(
  table(
    ['variant', 'total ms', 'us / call', 'overhead us / call', 'x baseline'],
    overhead.map((row) => [
      row.label,
      fixed(row.totalMs),
      fixed(row.perCallUs, 2),
      fixed(row.overheadUs, 2),
      fixed(row.totalMs / (overhead[0]?.totalMs ?? 1), 1),
    ]),
  ),
);
const defaultRow = overhead.find((row) => row.label.includes('(default)'));
if (defaultRow) {
  console.log(
    `\nrunTools overhead at the default concurrency: ${fixed(defaultRow.overheadUs, 2)} us per call (goal: under 20 us) ` +
      verdict(defaultRow.overheadUs < 20),
  );
}
