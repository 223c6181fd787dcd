import { fileURLToPath } from 'node:url';
import {
  closeTimedRequests,
  printBenchHeader,
  sized,
  startChildServer,
  table,
  verdict,
} from '@lunar/dev-kit';
import { benchLatency, benchThroughput, benchUploadMemory } from './proxy.bench.js';

// `pnpm bench`: the proxy against the simulator called directly, side by side in one run, each in
// its own process (the client is this one). LUNAR_BENCH_SHORT=1 runs a few iterations and judges nothing.
const fmt = (value: number, digits = 3) => value.toFixed(digits);

const startedAt = performance.now();
/** A TypeScript file next to this one, run in a Node process of its own. */
const startFile = (relative: string, args: string[] = []) =>
  startChildServer(fileURLToPath(new URL(relative, import.meta.url)), args, {
    nodeFlags: ['--import', 'tsx'],
  });
const sim = await startFile('./sim-process.ts');
const bare = await startFile('./bare-relay-process.ts', [sim.url]);
const proxy = await startFile('../test/fixtures/proxy-process.ts', [sim.url]);
try {
  printBenchHeader('@lunar/ollama-proxy bench');
  console.log(
    'The simulator (fast profile, 8 slots, 200-token answers), a bare node:http relay and the proxy each in its own process.\n',
  );
  const latency = await benchLatency(sim.url, bare.url, proxy.url, sized(400, 20));
  const streams = latency.filter((row) => row.label.includes('sampled'));
  const met = streams.every((row) => row.proxied - row.direct < 0.5);
  console.log(`1. Latency, p50 (goal: under 0.5 ms added for a stream: ${verdict(met)})\n`);
  const ms = (value: number | undefined) => (value === undefined ? '' : `${fmt(value)} ms`);
  console.log(
    table(
      [
        '',
        'simulator direct',
        'bare relay',
        'through the proxy',
        'added by the bare relay',
        'added by the proxy',
      ],
      latency.map((row) => [
        row.label,
        ms(row.direct),
        ms(row.bare),
        ms(row.proxied),
        ms(row.bare === undefined ? undefined : row.bare - row.direct),
        ms(row.proxied - row.direct),
      ]),
    ),
  );
  console.log(
    '\nThe bare relay pipes the request and the answer through a keep-alive node:http agent and does nothing else: what it adds is the cost of one more HTTP hop on this machine, the floor of any proxy.',
  );
  const throughput = await benchThroughput(sim.url, proxy.url);
  console.log('\n2. The raw relay against the simulator called directly\n');
  console.log(
    table(
      ['', 'direct', 'through the proxy', 'proxy / direct'],
      throughput.map((row) => [
        row.label,
        `${fmt(row.direct, 0)} ${row.unit}`,
        `${fmt(row.proxied, 0)} ${row.unit}`,
        `${fmt(row.proxied / row.direct, 2)}x`,
      ]),
    ),
  );
  const size = sized(1024, 64) * 1024 * 1024;
  const memory = await benchUploadMemory(proxy.url, proxy.pid, size);
  console.log(
    `\n3. A ${size / 1024 / 1024} MiB blob upload through the proxy: its resident set ${fmt(memory.before, 1)} MiB before, ${fmt(memory.peak, 1)} MiB at most during (grew ${fmt(memory.peak - memory.before, 1)} MiB)`,
  );
  console.log(`\nwhole run ${fmt((performance.now() - startedAt) / 1000, 1)} s`);
} finally {
  closeTimedRequests();
  await proxy.stop();
  await bare.stop();
  await sim.stop();
}
