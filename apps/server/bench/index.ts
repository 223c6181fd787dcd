import {
  type ChildServer,
  closeTimedRequests,
  median,
  peakResidentMiB,
  printBenchHeader,
  sized,
  table,
} from '@lunar/dev-kit';
import { benchEventLoop } from './event-loop.bench.js';
import { benchMemoryServer } from './memory.bench.js';
import { startServerProcess, startSimProcess } from './processes.js';
import { benchProxy } from './proxy.bench.js';
import { benchRedis, type LatencyRow } from './redis.bench.js';
import { benchTurns } from './turns.bench.js';

const fmt = (value: number, digits = 2) => value.toFixed(digits);

/** Table 1: concurrent streamed turns, direct and through the server. */
async function printTurns(simUrl: string, server: ChildServer): Promise<void> {
  const turns = await benchTurns(simUrl, server, sized(200, 20), sized(3, 1));
  console.log(
    `1. ${turns.turns} concurrent streamed turns, ${turns.rounds} rounds (time to first token, client side)\n`,
  );
  console.log(
    table(
      ['', 'simulator direct (model call alone)', 'through lunar-server (whole turn)', 'added by the server'],
      [
        [
          'p50',
          `${fmt(turns.direct.p50)} ms`,
          `${fmt(turns.server.p50)} ms`,
          `${fmt(turns.server.p50 - turns.direct.p50)} ms`,
        ],
        [
          'p99',
          `${fmt(turns.direct.p99)} ms`,
          `${fmt(turns.server.p99)} ms`,
          `${fmt(turns.server.p99 - turns.direct.p99)} ms`,
        ],
        [
          `p50, ${turns.sequential.count} turns one at a time`,
          `${fmt(turns.sequential.direct)} ms`,
          `${fmt(turns.sequential.server)} ms`,
          `${fmt(turns.sequential.server - turns.sequential.direct)} ms`,
        ],
        ['errors', String(turns.direct.errors), String(turns.server.errors), '(goal 0)'],
        ['server peak RSS', '', `${fmt(turns.peakRssMiB, 1)} MiB`, ''],
      ],
    ),
  );
}

/** Tables 1 and 2 (or 2 alone): one server in front of one simulator. */
async function benchOneServer(withTurns: boolean): Promise<void> {
  const startedAt = performance.now();
  const sim = await startSimProcess('fast', 8);
  const server = await startServerProcess(sim.url);
  try {
    console.log(
      `lunar-server bench: simulator (fast profile, 8 slots) and server each in its own process, client here.\n`,
    );

    if (withTurns) await printTurns(sim.url, server);

    const rows = await benchProxy(sim.url, server.url, sized(400, 20));
    console.log(`\n2. Ollama proxy against the simulator called directly (goal: under 1 ms added at p50)\n`);
    console.log(
      table(
        ['', 'direct', 'through the proxy', 'added', 'proxy / direct'],
        rows.map((row) =>
          row.unit === 'ms'
            ? [
                row.label,
                `${fmt(row.direct, 3)} ms`,
                `${fmt(row.proxied, 3)} ms`,
                `${fmt(row.proxied - row.direct, 3)} ms`,
                `${fmt(row.proxied / row.direct)}x`,
              ]
            : [
                row.label,
                `${fmt(row.direct, 0)} req/s`,
                `${fmt(row.proxied, 0)} req/s`,
                '',
                `${fmt(row.proxied / row.direct)}x`,
              ],
        ),
      ),
    );
    console.log(
      `\nserver peak RSS after both: ${fmt(peakResidentMiB(server.pid), 1)} MiB; whole run ${fmt((performance.now() - startedAt) / 1000, 1)} s`,
    );
  } finally {
    closeTimedRequests();
    await server.stop();
    await sim.stop();
  }
}

/** Table 3: two replicas sharing one Redis. */
async function benchReplicas(): Promise<void> {
  const startedAt = performance.now();
  console.log(
    '\n3. Two replicas sharing one Redis, both in front of one `gpu` simulator (8 slots), each in its own process: streamed chat hit latency, client side\n',
  );
  const result = await benchRedis();
  if (result === undefined) return;
  const { local, redis, miss } = result;
  const cells = (entry: LatencyRow) => [
    entry.label,
    `${fmt(entry.first.p50, 3)} ms`,
    `${fmt(entry.first.p99, 3)} ms`,
    `${fmt(entry.whole.p50, 3)} ms`,
    `${fmt(entry.whole.p99, 3)} ms`,
    `${fmt(miss.whole.p50 / entry.whole.p50, entry === miss ? 2 : 0)}x`,
    String(entry.samples),
  ];
  console.log(
    table(
      [
        'case',
        'first chunk p50',
        'first chunk p99',
        'whole answer p50',
        'whole answer p99',
        'faster than the miss (whole, p50)',
        'samples',
      ],
      [cells(local), cells(redis), cells(miss)],
    ),
  );
  console.log(
    `\nRedis tier / local tier, whole answer p50: ${fmt(redis.whole.p50 / local.whole.p50)}x; hits replica B counted from Redis: ${result.remoteHits} of ${redis.samples}; ${fmt((performance.now() - startedAt) / 1000, 1)} s`,
  );
}

/** Tables 4 and 5: a large memory store under concurrent turns, and the server's CPU per turn. */
async function benchMemory(): Promise<void> {
  const startedAt = performance.now();
  const { rows, profile, memories } = await benchMemoryServer();
  console.log(
    `\n4. ${memories.toLocaleString('en')} memories in SQLite, 50 concurrent streamed turns (each searches them), /healthz asked every 20 ms meanwhile (goal: /healthz p99 under 20 ms with the search off the event loop)\n`,
  );
  console.log(
    table(
      [
        'memory search',
        '/healthz p50',
        '/healthz p99',
        'first token p50',
        'first token p99',
        'added by the server p50',
        'errors',
      ],
      rows.map((row) => [
        row.threads === 0
          ? 'on the event loop (--memory-threads 0)'
          : `on ${row.threads} worker thread (default)`,
        `${fmt(row.healthz.p50)} ms`,
        `${fmt(row.healthz.p99)} ms`,
        `${fmt(row.firstToken.p50)} ms`,
        `${fmt(row.firstToken.p99)} ms`,
        `${fmt(row.firstToken.p50 - row.directFirstToken.p50)} ms`,
        String(row.errors),
      ]),
    ),
  );
  console.log(
    `\n5. ${profile.turns} turns, ${profile.concurrency} at once, under --cpu-prof: the server's own CPU per turn ${fmt(profile.cpuPerTurnMs)} ms on its main thread (mean over the load; goal under 30 ms) and ${fmt(profile.workerCpuPerTurnMs)} ms on its memory search's worker threads, first token p50 ${fmt(profile.firstTokenP50)} ms (the rest is waiting: at the simulator, and in line for the CPU). Top items by self time, per turn:\n`,
  );
  console.log(
    table(
      ['function', 'ms per turn'],
      profile.top.map((item) => [item.name, fmt(item.ms, 3)]),
    ),
  );
  console.log(`\n${fmt((performance.now() - startedAt) / 1000, 1)} s`);
}

/** Table 6: the server's event loop under large and hostile bodies. */
async function printEventLoop(): Promise<void> {
  const startedAt = performance.now();
  const { rows, parseAndKeyMs } = await benchEventLoop();
  console.log(
    `\n6. 8 bodies at once, ${rows[0]!.maxDelayMs.length} rounds: the longest delay of the server's event loop during each round (perf_hooks.monitorEventLoopDelay in the server process, 10 ms resolution)\n`,
  );
  console.log(
    table(
      ['bodies', 'server CPU per request', 'longest delay, median of the rounds', 'worst round', 'answers'],
      rows.map((row) => [
        row.label,
        `${fmt(median(row.cpuPerRequestMs))} ms`,
        `${fmt(median(row.maxDelayMs))} ms`,
        `${fmt(Math.max(...row.maxDelayMs))} ms`,
        row.statuses,
      ]),
    ),
  );
  console.log(
    `\nFor scale, in this process: JSON.parse and the cache key of one 340,000-message body take ${fmt(parseAndKeyMs)} ms (before any validation): what each such body would hold the loop for if it were parsed. ${fmt((performance.now() - startedAt) / 1000, 1)} s`,
  );
}

printBenchHeader('lunar-server bench');

// `bench` runs every table; `bench server` tables 1 and 2, `bench proxy` table 2, `bench redis`
// table 3, `bench memory` tables 4 and 5, `bench loop` table 6.
const only = process.argv[2];
if (only !== undefined && !['server', 'proxy', 'redis', 'memory', 'loop'].includes(only)) {
  throw new Error(`unknown part ${JSON.stringify(only)}: expected server, proxy, redis, memory or loop`);
}
if (only === undefined || only === 'server' || only === 'proxy') await benchOneServer(only !== 'proxy');
if (only === undefined || only === 'redis') await benchReplicas();
if (only === undefined || only === 'memory') await benchMemory();
if (only === undefined || only === 'loop') await printEventLoop();
