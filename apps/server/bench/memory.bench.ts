// lunar-server with a large SQLite memory store under concurrent turns: whether the memory search
// holds the event loop (/healthz latency, the first token), with the search on the event loop
// (--memory-threads 0, as before) and on a worker thread (the default), side by side; then where
// the server's own CPU goes per turn, from a CPU profile, at 200 turns at once.
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ChildServer,
  percentile,
  sized,
  summarise,
  type TimedResponse,
  timedRequest,
} from '@lunar/dev-kit';
import { SqliteMemoryStore } from '@lunar/memory';
import { embed } from '@lunar/ollama-sim';
import { startServerProcess, startSimProcess } from './processes.js';

const MODEL = 'llama3.2:3b';

export interface EventLoopRow {
  threads: number;
  healthz: { p50: number; p99: number; samples: number };
  firstToken: { p50: number; p99: number };
  directFirstToken: { p50: number; p99: number };
  errors: number;
}

export interface ProfileResult {
  turns: number;
  concurrency: number;
  /** The server's main thread's CPU (not idle) while the turns ran, per turn, in ms. */
  cpuPerTurnMs: number;
  /** Its worker threads' CPU (the memory searches) while the turns ran, per turn, in ms. */
  workerCpuPerTurnMs: number;
  firstTokenP50: number;
  top: Array<{ name: string; ms: number }>;
}

/** A SQLite memory file of `count` memories, embedded as the simulator embeds (same vectors). */
async function seed(path: string, count: number): Promise<void> {
  const store = SqliteMemoryStore.open({
    path,
    embedder: { embed: async (texts) => texts.map((text) => embed(text)) },
  });
  try {
    for (let offset = 0; offset < count; offset += 1_000) {
      await store.addMany(
        Array.from({ length: Math.min(1_000, count - offset) }, (_, index) => ({
          text: `Memory ${offset + index}: the user talked about topic ${(offset + index) % 997} on day ${index % 31}.`,
        })),
      );
    }
  } finally {
    await store.close();
  }
}

const turn = (url: string, message: string) =>
  timedRequest(`${url}/v1/turns`, 'POST', { message }, 'event: text-delta');
const direct = (url: string, message: string) =>
  timedRequest(
    `${url}/api/chat`,
    'POST',
    { model: MODEL, messages: [{ role: 'user', content: message }], options: { temperature: 0 } },
    '"content":"',
  );

/** `concurrency` turns at once, `rounds` times, while /healthz is asked every 20 ms. */
async function underLoad(
  server: ChildServer,
  simUrl: string,
  concurrency: number,
  rounds: number,
  tag: string,
) {
  const healthz: number[] = [];
  let polling = true;
  const poller = (async () => {
    while (polling) {
      const started = performance.now();
      await timedRequest(`${server.url}/healthz`, 'GET', undefined);
      healthz.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  const turns: TimedResponse[] = [];
  const directs: TimedResponse[] = [];
  for (let round = 0; round < rounds; round++) {
    const messages = Array.from(
      { length: concurrency },
      (_, index) => `Tell me about the sea, ${tag} ${round}-${index}.`,
    );
    directs.push(...(await Promise.all(messages.map((message) => direct(simUrl, `${message} (direct)`)))));
    turns.push(...(await Promise.all(messages.map((message) => turn(server.url, message)))));
  }
  polling = false;
  await poller;
  return { healthz, turns, directs };
}

export async function benchMemoryServer(): Promise<{
  rows: EventLoopRow[];
  profile: ProfileResult;
  memories: number;
}> {
  const memories = sized(100_000, 2_000);
  const dir = await mkdtemp(join(tmpdir(), 'lunar-memory-bench-'));
  const file = join(dir, 'memory.db');
  await seed(file, memories);
  const sim = await startSimProcess('fast', 8);
  try {
    const rows: EventLoopRow[] = [];
    for (const threads of [0, 1]) {
      const server = await startServerProcess(sim.url, [
        '--memory',
        file,
        '--memory-threads',
        String(threads),
      ]);
      try {
        const { healthz, turns, directs } = await underLoad(server, sim.url, 50, sized(3, 1), `t${threads}`);
        const ok = turns.filter((sample) => sample.status === 200 && sample.body.includes('event: done'));
        const firsts = ok.map((sample) => sample.firstMs);
        const directFirsts = directs.map((sample) => sample.firstMs);
        rows.push({
          threads,
          healthz: { p50: percentile(healthz, 0.5), p99: percentile(healthz, 0.99), samples: healthz.length },
          firstToken: { p50: percentile(firsts, 0.5), p99: percentile(firsts, 0.99) },
          directFirstToken: { p50: percentile(directFirsts, 0.5), p99: percentile(directFirsts, 0.99) },
          errors: turns.length - ok.length,
        });
      } finally {
        await server.stop();
      }
    }
    return { rows, profile: await profileTurns(sim.url, file, dir), memories };
  } finally {
    await sim.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** 200 turns at once through a server under `--cpu-prof`; its CPU while they ran, per turn. */
async function profileTurns(simUrl: string, file: string, dir: string): Promise<ProfileResult> {
  const profiles = join(dir, 'profiles');
  const server = await startServerProcess(
    simUrl,
    ['--memory', file],
    ['--cpu-prof', '--cpu-prof-dir', profiles],
  );
  const concurrency = sized(200, 20);
  const rounds = sized(2, 1);
  let window: [number, number];
  let firsts: number[] = [];
  try {
    await underLoad(server, simUrl, 20, 1, 'warm');
    // Both clocks are the system's monotonic clock, in microseconds on the profile's side.
    const from = Number(process.hrtime.bigint() / 1000n);
    const { turns } = await underLoad(server, simUrl, concurrency, rounds, 'profiled');
    window = [from, Number(process.hrtime.bigint() / 1000n)];
    firsts = turns.map((sample) => sample.firstMs);
  } finally {
    await server.stop();
  }
  // One profile per thread, named CPU.<date>.<time>.<pid>.<thread id>.<sequence>.cpuprofile: the
  // main thread is thread 0, the memory search's workers the others.
  const files = readdirSync(profiles).filter((name) => name.endsWith('.cpuprofile'));
  const threadOf = (name: string) => Number(name.split('.')[4]);
  const main = files.find((name) => threadOf(name) === 0);
  if (main === undefined) throw new Error(`no main-thread profile among ${files.join(', ')}`);
  const { busy, self } = busyDuring(join(profiles, main), window);
  let workerBusy = 0;
  for (const name of files) if (name !== main) workerBusy += busyDuring(join(profiles, name), window).busy;
  const turns = concurrency * rounds;
  return {
    turns,
    concurrency,
    cpuPerTurnMs: busy / turns,
    workerCpuPerTurnMs: workerBusy / turns,
    firstTokenP50: summarise(firsts).p50,
    top: [...self.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)
      .map(([name, ms]) => ({ name, ms: ms / turns })),
  };
}

/** A thread's CPU (not idle) within `window` (monotonic microseconds), in ms, and by function. */
function busyDuring(file: string, window: [number, number]): { busy: number; self: Map<string, number> } {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const self = new Map<string, number>();
  let time = profile.startTime;
  let busy = 0;
  profile.samples.forEach((id, index) => {
    time += profile.timeDeltas[index] ?? 0;
    if (time < window[0] || time > window[1]) return;
    const frame = nodes.get(id)!;
    if (frame.functionName === '(idle)') return;
    const delta = (profile.timeDeltas[index] ?? 0) / 1000;
    busy += delta;
    const where =
      frame.url === ''
        ? ''
        : ` ${frame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/(packages|apps)\//, '')}:${frame.lineNumber + 1}`;
    const name = `${frame.functionName || '(anonymous)'}${where}`;
    self.set(name, (self.get(name) ?? 0) + delta);
  });
  return { busy, self };
}
