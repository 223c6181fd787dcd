import { arch, cpus, platform } from 'node:os';
import { table } from './measure.js';
import { benchOverhead } from './overhead.bench.js';
import { benchParallel } from './parallel.bench.js';

const fixed = (value: number, digits = 1) => value.toFixed(digits);

console.log(
  `@lunar/tools-parallel benchmarks: Node ${process.version}, ${platform()} ${arch()}, ${cpus().length} cores\n`,
);

const parallel = await benchParallel();
const sequential = parallel[0];
const concurrent = parallel.at(-1);
console.log('1. Five tools of 100 ms each (median of 5 rounds)\n');
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
    `\nparallel / sequential: ${fixed(concurrent.medianMs / sequential.medianMs, 3)} (${fixed(speedup, 2)}x faster); ` +
      `parallel is ${fixed(over, 2)} ms over 100 ms (goal: within 5 ms) ${over <= 5 ? 'MET' : 'MISSED'}\n`,
  );
}

const overhead = await benchOverhead();
console.log('2. 10,000 no-op tool calls (median of 7 interleaved rounds)\n');
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
      `${defaultRow.overheadUs < 20 ? 'MET' : 'MISSED'}`,
  );
}
