import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as pause } from 'node:timers/promises';
import { type OllamaSim, type OllamaSimOptions, startOllamaSim } from '@lunar/ollama-sim';
import pino from 'pino';
import { type LunarServer, type ReadinessReport, type ServerOptions, startServer } from '../src/index.js';
import { MODEL, ndjsonLines, parseSse, postJson } from './helpers.js';

/** Three simulators and two server replicas in front of all three, sharing one Redis and one memory file. */
export interface Cluster {
  sims: OllamaSim[];
  replicas: LunarServer[];
  /** Log lines (pino JSON) of each replica. */
  logs: string[][];
  /** Requests each simulator answered on `/api/chat`. */
  chats(): number[];
  close(): Promise<void>;
}

export interface ClusterOptions {
  /** Redis URL; none: the replicas share nothing (the in-memory defaults). */
  redis?: string;
  sim?: OllamaSimOptions;
  server?: ServerOptions;
}

export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const dir = await mkdtemp(join(tmpdir(), 'lunar-replicas-'));
  const sims: OllamaSim[] = [];
  const replicas: LunarServer[] = [];
  const logs: string[][] = [];
  const close = async () => {
    await Promise.all(replicas.map((replica) => replica.close({ graceMs: 1_000 })));
    await Promise.all(sims.map((sim) => sim.close()));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (let index = 0; index < 3; index++) {
      sims.push(
        await startOllamaSim({
          profile: 'fast',
          preload: [MODEL, 'nomic-embed-text'],
          parallel: 8,
          ...options.sim,
        }),
      );
    }
    for (const name of ['a', 'b']) {
      const lines: string[] = [];
      logs.push(lines);
      const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
      replicas.push(
        await startServer({
          ollamaHosts: sims.map((sim) => sim.url),
          port: 0,
          // One SQLite file for both, so a memory written through one is searched through the other.
          memory: join(dir, 'memory.db'),
          replicaId: `replica-${name}`,
          logger,
          ...(options.redis === undefined ? {} : { redis: options.redis }),
          ...options.server,
        }),
      );
    }
  } catch (error) {
    await close();
    throw error;
  }
  return {
    sims,
    replicas,
    logs,
    chats: () => sims.map((sim) => sim.stats().requests['/api/chat'] ?? 0),
    close,
  };
}

export const chatBody = (content: string) => ({
  model: MODEL,
  messages: [{ role: 'user', content }],
  options: { temperature: 0 },
});

/** How one request of a load ended. */
export type Outcome =
  /** The whole answer arrived. */
  | 'ok'
  /** It failed after part of the answer had been sent (allowed when a host dies under it). */
  | 'failed-streaming'
  /** It failed before any of the answer was sent. */
  | 'failed';

export interface ProxyResult {
  outcome: Outcome;
  cache: string | null;
  detail: string;
}

/** A streamed `/api/chat` through a replica, read to the end. */
export async function proxiedChat(url: string, content: string): Promise<ProxyResult> {
  try {
    const response = await postJson(`${url}/api/chat`, chatBody(content));
    const cache = response.headers.get('x-lunar-cache');
    const text = await response.text();
    if (response.status !== 200) return { outcome: 'failed', cache, detail: `${response.status} ${text}` };
    const lines = ndjsonLines(text) as Array<{ done?: boolean; error?: string }>;
    if (lines.at(-1)?.done === true) return { outcome: 'ok', cache, detail: '' };
    const streamed = lines.some((line) => line.error === undefined);
    return { outcome: streamed ? 'failed-streaming' : 'failed', cache, detail: text };
  } catch (error) {
    return { outcome: 'failed', cache: null, detail: String(error) };
  }
}

/** An SSE turn through a replica, read to the end (its own session, so its prompt is the message's alone). */
export async function streamedTurn(url: string, message: string, sessionId: string): Promise<ProxyResult> {
  try {
    const response = await postJson(`${url}/v1/turns`, { message, sessionId });
    const text = await response.text();
    if (response.status !== 200)
      return { outcome: 'failed', cache: null, detail: `${response.status} ${text}` };
    const events = parseSse(text);
    const llm = events.find(
      (event) => event.event === 'stage' && (event.data as { stage: { name: string } }).stage.name === 'llm',
    );
    const cache = (llm?.data as { stage: { cache?: string } } | undefined)?.stage.cache ?? null;
    if (events.at(-1)?.event === 'done') return { outcome: 'ok', cache, detail: '' };
    const streamed = events.some((event) => event.event === 'text-delta' || event.event === 'tool-call');
    return { outcome: streamed ? 'failed-streaming' : 'failed', cache, detail: text };
  } catch (error) {
    return { outcome: 'failed', cache: null, detail: String(error) };
  }
}

export interface Load {
  /** Stops the workers and resolves with every result. */
  stop(): Promise<ProxyResult[]>;
  /** Results so far. */
  readonly results: ProxyResult[];
}

/**
 * Steady load until stopped: `workers` loops, each request alternating replica and kind (a proxied
 * chat, then an agent turn), its text from `text(index)`.
 */
export function startLoad(urls: string[], workers: number, text: (index: number) => string): Load {
  const results: ProxyResult[] = [];
  let stopped = false;
  let next = 0;
  const loop = async () => {
    while (!stopped) {
      const index = next++;
      const url = urls[index % urls.length]!;
      const result =
        Math.floor(index / urls.length) % 2 === 0
          ? await proxiedChat(url, text(index))
          : await streamedTurn(url, text(index), `load-${index}`);
      results.push(result);
      // Pacing, not a wait: a worker whose request failed pauses, so it does not spin.
      if (result.outcome === 'failed') await pause(5);
    }
  };
  const running = Promise.all(Array.from({ length: workers }, loop));
  return {
    results,
    async stop() {
      stopped = true;
      await running;
      return results;
    },
  };
}

/** The answer of `GET /readyz` of a replica. */
export async function readiness(url: string): Promise<{ status: number; body: ReadinessReport }> {
  const response = await fetch(`${url}/readyz`);
  return { status: response.status, body: (await response.json()) as ReadinessReport };
}
