import { peakRssMiB, startServerProcess, startSimProcess } from './processes.js';
import { benchProxy } from './proxy.bench.js';
import { agent } from './timed-http.js';
import { benchTurns } from './turns.bench.js';

const fmt = (value: number, digits = 2) => value.toFixed(digits);

function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  return [
    line(header),
    `| ${widths.map((width) => '-'.repeat(width)).join(' | ')} |`,
    ...rows.map(line),
  ].join('\n');
}

const startedAt = performance.now();
const sim = await startSimProcess('fast', 8);
const server = await startServerProcess(sim.url);
try {
  console.log(
    `lunar-server bench: simulator (fast profile, 8 slots) and server each in its own process, client here.\n`,
  );

  const turns = await benchTurns(sim.url, server);
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

  const rows = await benchProxy(sim.url, server.url);
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
    `\nserver peak RSS after both: ${fmt(peakRssMiB(server.pid), 1)} MiB; whole run ${fmt((performance.now() - startedAt) / 1000, 1)} s`,
  );
} finally {
  agent.destroy();
  await server.stop();
  await sim.stop();
}
