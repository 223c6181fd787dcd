/**
 * Is the simulator ever the bottleneck? Each row measures the simulator and a bare node:http
 * server writing the same NDJSON lines, side by side in the same run, each in its own process
 * (the client gets the other core). Prints a table; see bench/README.md.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { benchShort, median, printBenchHeader, printTable, sized } from '@lunar/dev-kit';

const serverFile = fileURLToPath(new URL('./server-process.ts', import.meta.url));
const startupFile = fileURLToPath(new URL('./startup-process.ts', import.meta.url));
/** A short run (LUNAR_BENCH_SHORT=1): a hundredth of the tokens per row, to check that the bench runs. */
const scale = (tokens: number) => (benchShort ? Math.max(10, Math.round(tokens / 100)) : tokens);
const agent = new Agent({ keepAlive: true, maxSockets: 512 });

interface Server {
  url: string;
  child: ChildProcess;
  ask(message: string): Promise<{ peakInFlight: number }>;
  close(): Promise<void>;
}

async function startServer(args: string[]): Promise<Server> {
  const child = fork(serverFile, args, { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (message) => resolve((message as { url: string }).url));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return {
    url,
    child,
    ask: (message) =>
      new Promise((resolve) => {
        child.once('message', (reply) => resolve(reply as { peakInFlight: number }));
        child.send(message);
      }),
    close: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.send('close');
      }),
  };
}

/** Streams one chat and counts NDJSON lines; resolves with the line count. */
function streamChat(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ model: 'llama3.2:3b', messages: [{ role: 'user', content: 'Go' }] });
    const req = request(`${url}/api/chat`, { method: 'POST', agent }, (response) => {
      let lines = 0;
      response.on('data', (chunk: Buffer) => {
        for (let index = chunk.indexOf(10); index !== -1; index = chunk.indexOf(10, index + 1)) lines++;
      });
      response.on('end', () => resolve(lines));
      response.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function measure(
  url: string,
  streams: number,
  expectedLines: number,
): Promise<{ chunksPerSecond: number; seconds: number }> {
  await streamChat(url);
  const started = performance.now();
  const counts = await Promise.all(Array.from({ length: streams }, () => streamChat(url)));
  const seconds = (performance.now() - started) / 1000;
  for (const count of counts) {
    if (count !== expectedLines)
      throw new Error(`a stream ended after ${count} lines, expected ${expectedLines}`);
  }
  return { chunksPerSecond: (streams * (expectedLines - 1)) / seconds, seconds };
}

const format = (value: number) => Math.round(value).toLocaleString('en-US');
const rows: string[][] = [];

async function throughputRow(label: string, streams: number, tokens: number, goal: number) {
  const sim = await startServer(['sim', String(tokens), 'Infinity']);
  const bare = await startServer(['bare', String(tokens)]);
  try {
    const simulated = await measure(sim.url, streams, tokens + 1);
    const baseline = await measure(bare.url, streams, tokens + 1);
    rows.push([
      label,
      `${format(simulated.chunksPerSecond)} chunks/s`,
      `${format(baseline.chunksPerSecond)} chunks/s`,
      (simulated.chunksPerSecond / baseline.chunksPerSecond).toFixed(2),
      `${format(goal)} chunks/s`,
      (simulated.chunksPerSecond / goal).toFixed(2),
    ]);
  } finally {
    await Promise.all([sim.close(), bare.close()]);
  }
}

async function pacedRow(streams: number, tokens: number, tokensPerSecond: number) {
  const sim = await startServer(['sim', String(tokens), String(tokensPerSecond)]);
  try {
    const ideal = tokens / tokensPerSecond;
    const { seconds } = await measure(sim.url, streams, tokens + 1);
    const { peakInFlight } = await sim.ask('stats');
    rows.push([
      `${streams} streams paced at ${tokensPerSecond} tok/s x ${tokens} tokens (wall time)`,
      `${seconds.toFixed(2)} s`,
      '-',
      '-',
      `${ideal.toFixed(2)} s (ideal)`,
      (ideal / seconds).toFixed(2),
    ]);
    rows.push([
      '  peak concurrent generations',
      String(peakInFlight),
      '-',
      '-',
      String(streams),
      (peakInFlight / streams).toFixed(2),
    ]);
  } finally {
    await sim.close();
  }
}

/** Median of three fresh processes: what the tokenizer adds to a process and a simulator start. */
async function startupFigures(): Promise<Record<string, number>> {
  const runs: Array<Record<string, number>> = [];
  for (let run = 0; run < sized(3, 1); run++) {
    const child = fork(startupFile, [], { execArgv: ['--import', 'tsx', '--expose-gc'], stdio: 'inherit' });
    runs.push(
      await new Promise((resolve) =>
        child.once('message', (message) => resolve(message as Record<string, number>)),
      ),
    );
    await new Promise((resolve) => child.once('exit', resolve));
  }
  return Object.fromEntries(
    ['importMs', 'firstStartMs', 'laterStartMs', 'heapMb', 'rssMb'].map((key) => [
      key,
      median(runs.map((figures) => figures[key] ?? 0)),
    ]),
  );
}

printBenchHeader('@lunar/ollama-sim bench');
await throughputRow('1 connection, zero latency', 1, scale(100_000), 20_000);
await throughputRow('200 concurrent streams, zero latency (aggregate)', 200, scale(1_000), 20_000);
await pacedRow(200, sized(100, 10), 50);
agent.destroy();
const startup = await startupFigures();

printTable(
  'The simulator and a bare node:http server writing the same NDJSON lines (the client in this process, each server in its own)',
  ['benchmark', 'simulator', 'bare node:http', 'sim/bare', 'goal', 'sim/goal'],
  rows,
);
console.log(
  `\nTokenizer cost per process (median of fresh processes, through tsx): importing the package ${startup.importMs?.toFixed(0)} ms (no tokenizer loaded); first startOllamaSim ${startup.firstStartMs?.toFixed(0)} ms (loads cl100k_base); a later one ${startup.laterStartMs?.toFixed(1)} ms; the process grew by ${startup.rssMb?.toFixed(0)} MB of RSS (${startup.heapMb?.toFixed(0)} MB of heap).`,
);
