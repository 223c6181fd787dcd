// Table 6: how long the server's event loop is held by large or hostile bodies, 8 at a time. The
// server (its own process) measures it itself: prom-client's `nodejs_eventloop_lag_max_seconds`
// is perf_hooks.monitorEventLoopDelay's longest delay since the last scrape.

import { type ChildServer, median, sized, timedRequest } from '@lunar/dev-kit';
import { cacheKey } from '@lunar/llm-cache';
import { startServerProcess, startSimProcess } from './processes.js';

const MODEL = 'llama3.2:3b';

export interface LoopRow {
  label: string;
  /** The longest event-loop delay in the server during each round, in ms. */
  maxDelayMs: number[];
  /** The server's CPU time (user and system) per request, each round, in ms. */
  cpuPerRequestMs: number[];
  /** The answers' statuses, for the reader to see what happened to the bodies. */
  statuses: string;
}

export interface LoopResult {
  rows: LoopRow[];
  /** In this process, for scale: JSON.parse and the cache key of one 340,000-message body, in ms. */
  parseAndKeyMs: number;
}

const messages = (count: number, message: string) =>
  `{"model":"${MODEL}","stream":false,"options":{"temperature":0},"messages":[${Array(count).fill(message).join(',')}]}`;

/**
 * The longest event-loop delay in the server since the last scrape (the scrape resets it), and
 * the CPU time the server has used since it started, both in ms, from its `/metrics`.
 */
async function serverLoop(server: ChildServer): Promise<{ lagMaxMs: number; cpuMs: number }> {
  const text = (await timedRequest(`${server.url}/metrics`, 'GET', undefined)).body;
  const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]) * 1000;
  return { lagMaxMs: value('nodejs_eventloop_lag_max_seconds'), cpuMs: value('process_cpu_seconds_total') };
}

export async function benchEventLoop(): Promise<LoopResult> {
  const rounds = sized(5, 1);
  const hostile = messages(340_000, '{}');
  const sim = await startSimProcess('fast', 8);
  const server = await startServerProcess(sim.url);
  const cases: Array<{ label: string; path: string; body: (round: number, index: number) => string }> = [
    {
      label: 'small chats (a baseline)',
      path: '/api/chat',
      body: (round, index) => messages(1, `{"role":"user","content":"Hello ${round}.${index}."}`),
    },
    {
      label: 'chats of 1,990 messages, 74 KiB (within the limits: parsed, keyed, validated)',
      path: '/api/chat',
      body: (round, index) => messages(1_990, `{"role":"user","content":"Hi ${round}.${index}"}`),
    },
    {
      label: 'chats of 9,000 messages, 0.3 MiB (past the limits: relayed unparsed)',
      path: '/api/chat',
      body: (round, index) => messages(9_000, `{"role":"user","content":"Hi ${round}.${index}"}`),
    },
    {
      label: 'chats of 340,000 messages, 1 MiB (past the limits: relayed unparsed)',
      path: '/api/chat',
      body: () => hostile,
    },
    {
      label: 'memories with metadata nested 2,000 levels (refused before parsing)',
      path: '/v1/memories',
      body: () => `{"text":"a note","metadata":${'{"a":'.repeat(2_000)}1${'}'.repeat(2_000)}}`,
    },
  ];
  try {
    const rows: LoopRow[] = [];
    for (const entry of cases) {
      const maxDelayMs: number[] = [];
      const cpuPerRequestMs: number[] = [];
      const statuses = new Set<number>();
      for (let round = 0; round < rounds; round++) {
        const bodies = Array.from({ length: 8 }, (_, index) => entry.body(round, index));
        const before = await serverLoop(server);
        const answers = await Promise.all(
          bodies.map((body) => timedRequest(`${server.url}${entry.path}`, 'POST', body)),
        );
        for (const answer of answers) statuses.add(answer.status);
        const after = await serverLoop(server);
        maxDelayMs.push(after.lagMaxMs);
        // The scrape's own CPU is in it too: the baseline row shows how much that is.
        cpuPerRequestMs.push((after.cpuMs - before.cpuMs) / bodies.length);
      }
      rows.push({ label: entry.label, maxDelayMs, cpuPerRequestMs, statuses: [...statuses].join(', ') });
    }
    const parseAndKey = Array.from({ length: rounds }, () => {
      const startedAt = performance.now();
      cacheKey(JSON.parse(hostile), 'chat');
      return performance.now() - startedAt;
    });
    return { rows, parseAndKeyMs: median(parseAndKey) };
  } finally {
    await server.stop();
    await sim.stop();
  }
}
