// `pnpm --filter @lunar/server soak`: lunar-server under mixed traffic for a bounded time, once
// without faults and once with them, side by side. Loopback only; needs the built server
// (`pnpm --filter @lunar/server... build`) and redis-server (left out, with a notice, without it).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  benchShort,
  type ChildServer,
  closeTimedRequests,
  formatDuration,
  percentile,
  printBenchHeader,
  printTable,
  type RedisServer,
  redisServerAvailable,
  residentMiB,
  sized,
  startRedisServer,
  timedRequest,
  verdict,
} from '@lunar/dev-kit';
import type { Fault, OllamaSim } from '@lunar/ollama-sim';
import { startOllamaSim } from '@lunar/ollama-sim';
import { startServerProcess } from './processes.js';
import {
  KINDS,
  type Kind,
  kindOf,
  loadReferences,
  MODEL,
  type References,
  type RequestRecord,
  send,
} from './soak-traffic.js';

/** A span during which a fault acted: a request in flight during it may fail, and only such a one. */
interface FaultWindow {
  what: string;
  from: number;
  to: number;
}

interface RunReport {
  faults: boolean;
  seconds: number;
  records: RequestRecord[];
  windows: FaultWindow[];
  readiness: { checks: number; notReady: string[] };
  /** Server RSS in MiB, one sample a second. */
  rss: number[];
  events: string[];
}

/** The simulators: the `fast` profile slowed to 1,000 tokens/s and 100-token answers (about 0.1 s a stream). */
function startSim(port = 0): Promise<OllamaSim> {
  return startOllamaSim({
    port,
    profile: 'fast',
    parallel: 8,
    preload: [MODEL, 'nomic-embed-text'],
    latency: { tokensPerSecond: 1_000 },
    models: [
      { name: MODEL, answerTokens: 100 },
      { name: 'nomic-embed-text', capabilities: ['embedding'] },
    ],
  });
}

/** The faults injected in turn, each on the next two `/api/chat` calls of a simulator, and how long they act once met. */
const FAULTS: Array<{ fault: Fault; actsMs: number }> = [
  { fault: { type: 'stall', ms: 3_000, afterChunks: 2 }, actsMs: 3_500 },
  { fault: { type: 'drop', afterChunks: 3 }, actsMs: 500 },
  { fault: { type: 'error-line', afterChunks: 2, message: 'the GPU fell over' }, actsMs: 500 },
  { fault: { type: 'status', status: 500, message: 'the GPU fell over' }, actsMs: 500 },
  { fault: { type: 'stall', ms: 3_000 }, actsMs: 3_500 },
];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function runSoak(
  seconds: number,
  workers: number,
  faults: boolean,
  references: References,
  useRedis: boolean,
): Promise<RunReport> {
  const dir = await mkdtemp(path.join(tmpdir(), 'lunar-soak-'));
  const redis: RedisServer | undefined = useRedis ? await startRedisServer() : undefined;
  const sims = [await startSim(), await startSim()];
  const simPorts = sims.map((sim) => Number(new URL(sim.url).port));
  let server: ChildServer | undefined;
  const report: RunReport = {
    faults,
    seconds,
    records: [],
    windows: [],
    readiness: { checks: 0, notReady: [] },
    rss: [],
    events: [],
  };
  const t0 = performance.now();
  const at = () => `${((performance.now() - t0) / 1000).toFixed(1)} s`;
  try {
    server = await startServerProcess(
      sims.map((sim) => sim.url),
      [
        ...(redis === undefined ? [] : ['--redis', redis.url]),
        ['--memory', path.join(dir, 'memory.db')],
        ['--idle-timeout-ms', '1000', '--headers-timeout-ms', '10000', '--grace-ms', '2000'],
      ].flat(),
    );
    const url = server.url;
    const pid = server.pid;
    const deadline = performance.now() + seconds * 1000;
    let running = true;

    const rssSampler = (async () => {
      while (running) {
        report.rss.push(residentMiB(pid));
        await sleep(1_000);
      }
    })();
    // Readiness while at least one simulator answers (always: only one is ever killed at a time).
    const readinessSampler = (async () => {
      while (running) {
        const answer = await timedRequest(`${url}/readyz`, 'GET', undefined);
        report.readiness.checks++;
        if (answer.status !== 200) report.readiness.notReady.push(`${at()}: ${answer.status} ${answer.body}`);
        await sleep(250);
      }
    })();

    let next = 0;
    const worker = async () => {
      while (performance.now() < deadline) {
        const index = next++;
        report.records.push(await send(url, kindOf(index), index, references));
      }
    };
    const traffic = Promise.all(Array.from({ length: workers }, worker));

    if (faults) await injectFaults(sims, simPorts, redis, deadline, report, at);
    await traffic;
    running = false;
    await Promise.all([rssSampler, readinessSampler]);
    return report;
  } finally {
    await server?.stop();
    await Promise.all(sims.map((sim) => sim.close()));
    await redis?.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The fault run's schedule: a fault rule every 1.5 s on a live simulator; simulator B killed at
 * 30% of the run and started again on its port at 45%; Redis killed at 60% and started again at
 * 75%. Each fault's window runs from its start until its last effect can have ended.
 */
async function injectFaults(
  sims: OllamaSim[],
  simPorts: number[],
  redis: RedisServer | undefined,
  deadline: number,
  report: RunReport,
  at: () => string,
): Promise<void> {
  const started = performance.now();
  const length = deadline - started;
  const milestones = [
    { when: 0.3, act: 'kill sim B' },
    { when: 0.45, act: 'restart sim B' },
    ...(redis === undefined
      ? []
      : [
          { when: 0.6, act: 'kill Redis' },
          { when: 0.75, act: 'restart Redis' },
        ]),
  ];
  let simBAlive = true;
  let rule = 0;
  // Rules waiting to be met: the simulator's /api/chat count at injection, and how long they act.
  const pending: Array<{ sim: OllamaSim; countAt: number; actsMs: number; window: FaultWindow }> = [];
  const chats = (sim: OllamaSim) => sim.stats().requests['/api/chat'] ?? 0;
  let nextRuleAt = started + 1_500;
  while (performance.now() < deadline - 1_000) {
    const now = performance.now();
    for (const entry of [...pending]) {
      if (chats(entry.sim) >= entry.countAt + 2) {
        entry.window.to = now + entry.actsMs;
        pending.splice(pending.indexOf(entry), 1);
      }
    }
    const milestone = milestones[0];
    if (milestone !== undefined && now - started >= milestone.when * length) {
      milestones.shift();
      report.events.push(`${at()}: ${milestone.act}`);
      if (milestone.act === 'kill sim B') {
        simBAlive = false;
        for (const entry of pending.filter((item) => item.sim === sims[1])) {
          entry.window.to = now + 500;
          pending.splice(pending.indexOf(entry), 1);
        }
        report.windows.push({ what: 'sim B killed', from: now, to: now + 1_000 });
        await sims[1]!.close();
      } else if (milestone.act === 'restart sim B') {
        sims[1] = await startSim(simPorts[1]);
        simBAlive = true;
      } else if (milestone.act === 'kill Redis') {
        report.windows.push({ what: 'Redis killed', from: now, to: now + 1_000 });
        await redis!.kill();
      } else {
        await redis!.restart();
      }
    }
    if (now >= nextRuleAt) {
      nextRuleAt = now + 1_500;
      const { fault, actsMs } = FAULTS[rule % FAULTS.length]!;
      const sim = simBAlive && rule % 2 === 1 ? sims[1]! : sims[0]!;
      rule++;
      const window: FaultWindow = { what: fault.type, from: now, to: Number.POSITIVE_INFINITY };
      pending.push({ sim, countAt: chats(sim), actsMs, window });
      report.windows.push(window);
      sim.injectFault({ fault, route: '/api/chat', times: 2 });
    }
    await sleep(50);
  }
  report.events.push(
    `${at()}: ${rule} fault rules injected (${FAULTS.map((entry) => entry.fault.type).join(', ')} in turn)`,
  );
  // Rules never met by the end act on until then.
  for (const entry of pending) entry.window.to = Number.POSITIVE_INFINITY;
}

function inFlightAtFault(record: RequestRecord, windows: FaultWindow[]): boolean {
  return windows.some((window) => record.startedAt <= window.to && record.endedAt >= window.from);
}

interface Summary {
  requests: number;
  perSecond: number;
  ok: number;
  failedAtFault: number;
  failedElsewhere: RequestRecord[];
  wrong: RequestRecord[];
  latency: Map<Kind, { p50: number; p99: number; samples: number }>;
  /** The highest RSS of each third of the run, in MiB. */
  rssThirds: number[];
  rssPeak: number;
}

function summarise(report: RunReport): Summary {
  const failed = report.records.filter((record) => record.outcome === 'failed');
  const latency = new Map<Kind, { p50: number; p99: number; samples: number }>();
  for (const kind of Object.keys(KINDS) as Kind[]) {
    const times = report.records
      .filter((record) => record.kind === kind && record.outcome === 'ok')
      .map((record) => record.endedAt - record.startedAt);
    latency.set(kind, { p50: percentile(times, 0.5), p99: percentile(times, 0.99), samples: times.length });
  }
  const third = (index: number) => {
    const size = Math.max(1, Math.floor(report.rss.length / 3));
    return Math.max(...report.rss.slice(index * size, index === 2 ? undefined : (index + 1) * size));
  };
  return {
    requests: report.records.length,
    perSecond: report.records.length / report.seconds,
    ok: report.records.filter((record) => record.outcome === 'ok').length,
    failedAtFault: failed.filter((record) => inFlightAtFault(record, report.windows)).length,
    failedElsewhere: failed.filter((record) => !inFlightAtFault(record, report.windows)),
    wrong: report.records.filter((record) => record.outcome === 'wrong'),
    latency,
    rssThirds: [0, 1, 2].map(third),
    rssPeak: Math.max(...report.rss),
  };
}

function printReports(calm: RunReport, stormy: RunReport): boolean {
  const [quiet, faulted] = [summarise(calm), summarise(stormy)];
  const both = (cell: (summary: Summary, report: RunReport) => string) => [
    cell(quiet, calm),
    cell(faulted, stormy),
  ];
  const mib = (value: number) => `${value.toFixed(1)} MiB`;
  const rows: string[][] = [
    ['requests (per second)', ...both((s) => `${s.requests} (${s.perSecond.toFixed(0)}/s)`)],
    ['answered whole and right', ...both((s) => String(s.ok))],
    ['failed, in flight at a fault', ...both((s) => String(s.failedAtFault))],
    ['failed, not at a fault (goal 0)', ...both((s) => String(s.failedElsewhere.length))],
    ['wrong answers (goal 0)', ...both((s) => String(s.wrong.length))],
    ...(Object.keys(KINDS) as Kind[]).map((kind) => [
      `${kind}: p50 / p99 (whole answer)`,
      ...both((s) => {
        const entry = s.latency.get(kind)!;
        return `${formatDuration(entry.p50)} / ${formatDuration(entry.p99)}`;
      }),
    ]),
    [
      '/readyz checks, not 200 (goal 0)',
      ...both((_, r) => `${r.readiness.checks}, ${r.readiness.notReady.length}`),
    ],
    [
      'server RSS, highest of each third (MiB)',
      ...both((s) => s.rssThirds.map((value) => value.toFixed(0)).join(' / ')),
    ],
    ['server RSS peak', ...both((s) => mib(s.rssPeak))],
  ];
  printTable(
    `lunar-server soak: ${calm.seconds} s each, side by side`,
    ['', 'without faults', 'with faults'],
    rows,
  );
  console.log('\nFaults of the second run:');
  for (const event of stormy.events) console.log(`  ${event}`);
  console.log('\nRSS over time (MiB, one sample a second):');
  for (const report of [calm, stormy]) {
    const series = report.rss.filter((_, index) => index % 5 === 0).map((value) => value.toFixed(0));
    console.log(`  ${report.faults ? 'with faults   ' : 'without faults'}: ${series.join(' ')}`);
  }
  for (const [name, summary, report] of [
    ['without faults', quiet, calm],
    ['with faults', faulted, stormy],
  ] as const) {
    for (const record of [...summary.failedElsewhere, ...summary.wrong].slice(0, 5)) {
      console.log(`  ${name}: ${record.outcome} ${record.kind}: ${record.detail}`);
    }
    for (const line of report.readiness.notReady.slice(0, 5)) console.log(`  ${name}: /readyz ${line}`);
  }
  // Caches and the heap grow to their size in the first third; a leak goes on growing after it.
  const flat = (summary: Summary) => summary.rssThirds[2]! <= 1.1 * summary.rssThirds[1]!;
  const checks: Array<[string, boolean]> = [
    ['0 wrong answers', quiet.wrong.length + faulted.wrong.length === 0],
    [
      '0 failed requests that were not in flight at a fault',
      quiet.failedElsewhere.length + faulted.failedElsewhere.length === 0,
    ],
    [
      '/readyz never other than 200 while a host answers',
      calm.readiness.notReady.length + stormy.readiness.notReady.length === 0,
    ],
    ["RSS flat (the last third's peak at most 10% over the second's)", flat(quiet) && flat(faulted)],
  ];
  console.log('');
  for (const [goal, met] of checks) console.log(`${goal}: ${verdict(met)}`);
  return checks.every(([, met]) => met);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { seconds: { type: 'string' }, workers: { type: 'string' } },
  });
  const seconds = Number(values.seconds ?? sized(120, 12));
  const workers = Number(values.workers ?? 16);
  if (!(seconds >= 5) || !(workers >= 1)) {
    console.error('lunar-server soak: --seconds (at least 5) and --workers (at least 1) take whole numbers');
    return 2;
  }
  printBenchHeader('lunar-server soak');
  const useRedis = redisServerAvailable('the soak (Redis killed and restarted)');
  console.log(
    `Two simulators (fast profile, 1,000 tokens/s, 100-token answers, 8 slots) in this process, lunar-server (the built bin) in its own${useRedis ? ', redis-server in its own' : ''}; ${workers} clients at once for ${seconds} s a run, all on loopback.`,
  );
  const referenceSim = await startSim();
  const references = await loadReferences(referenceSim.url);
  await referenceSim.close();
  const calm = await runSoak(seconds, workers, false, references, useRedis);
  const stormy = await runSoak(seconds, workers, true, references, useRedis);
  closeTimedRequests();
  const met = printReports(calm, stormy);
  return met || benchShort ? 0 : 1;
}

process.exitCode = await main();
