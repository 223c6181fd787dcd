import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { type OllamaSim, startOllamaSim } from '@lunar/ollama-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODEL } from './harness.js';

// The proxy runs in its own process, so its memory is its own: what it buffers shows in its
// resident set (VmRSS), read from /proc (Linux) every 5 ms while the body goes through.
const FIXTURE = fileURLToPath(new URL('./fixtures/proxy-process.ts', import.meta.url));
const MiB = 1024 * 1024;
const hasProc = existsSync('/proc/self/status');

function residentKiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1]);
}

/** How much the proxy's resident set grew at most while `work` ran, in MiB. */
async function growthMiB(work: () => Promise<void>): Promise<number> {
  const pid = child.pid!;
  const before = residentKiB(pid);
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, residentKiB(pid));
  }, 5);
  try {
    await work();
  } finally {
    clearInterval(sampler);
  }
  return (Math.max(peak, residentKiB(pid)) - before) / 1024;
}

let sim: OllamaSim;
let child: ChildProcess;
let url: string;

beforeAll(async () => {
  sim = await startOllamaSim({ profile: 'fast', preload: [MODEL], maxBodyBytes: 64 * MiB });
  child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', FIXTURE, sim.url], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  url = line.toString().trim();
  // Warm up: the first calls load and compile the code paths (counted once, not per byte).
  await (await fetch(`${url}/api/tags`)).text();
  const warm = Buffer.alloc(9 * MiB, 'x');
  const digest = `sha256:${createHash('sha256').update(warm).digest('hex')}`;
  expect((await send(`/api/blobs/${digest}`, warm.length, () => [warm].values())).status).toBe(201);
}, 60_000);

afterAll(async () => {
  child.kill('SIGTERM');
  if (child.exitCode === null) await once(child, 'exit');
  await sim.close();
}, 30_000);

/** Sends `chunks` as a request body as fast as the socket takes them; resolves with the answer. */
function send(
  path: string,
  length: number,
  chunks: () => Iterator<Buffer> & Iterable<Buffer>,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string; cache: string | undefined }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-length': length, ...headers },
    });
    outgoing.on('response', (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () => {
        const cache = response.headers['x-lunar-cache'];
        resolve({
          status: response.statusCode ?? 0,
          body,
          cache: typeof cache === 'string' ? cache : undefined,
        });
      });
    });
    outgoing.on('error', reject);
    void (async () => {
      for (const chunk of chunks()) if (!outgoing.write(chunk)) await once(outgoing, 'drain');
      outgoing.end();
    })().catch(reject);
  });
}

describe.skipIf(!hasProc)('bounded memory for what Ollama accepts', () => {
  it('relays a 50 MB chat body (a large image) to the host without holding it whole', async () => {
    const image = Buffer.alloc(50 * MiB, 'A').toString('latin1');
    const body = Buffer.from(
      JSON.stringify({
        model: MODEL,
        messages: [{ role: 'user', content: 'What is in this picture?', images: [image] }],
        options: { temperature: 0 },
        stream: false,
      }),
    );
    sim.resetStats();
    let answer: Awaited<ReturnType<typeof send>> | undefined;
    const grown = await growthMiB(async () => {
      answer = await send('/api/chat', body.length, function* () {
        for (let offset = 0; offset < body.length; offset += MiB) yield body.subarray(offset, offset + MiB);
      });
    });
    if (answer === undefined) throw new Error('no answer');
    expect(answer.status).toBe(200);
    expect(answer.cache).toBe('bypass');
    expect(JSON.parse(answer.body)).toMatchObject({ done: true, message: { role: 'assistant' } });
    expect(sim.stats().requests['/api/chat']).toBe(1);
    // Holding the body whole would take 50 MB at least; the proxy holds the parse limit (8 MiB) at most.
    expect(grown).toBeLessThan(40);
  }, 60_000);

  it('streams a 1 GB blob upload to the host in bounded memory, and the host checks its digest', async () => {
    const chunk = Buffer.alloc(MiB);
    for (let index = 0; index < chunk.length; index++) chunk[index] = (index * 31) & 0xff;
    const count = 1024;
    const hash = createHash('sha256');
    for (let index = 0; index < count; index++) hash.update(chunk);
    const digest = `sha256:${hash.digest('hex')}`;
    let upload: Awaited<ReturnType<typeof send>> | undefined;
    const grown = await growthMiB(async () => {
      upload = await send(
        `/api/blobs/${digest}`,
        count * MiB,
        function* () {
          for (let index = 0; index < count; index++) yield chunk;
        },
        { 'content-type': 'application/octet-stream' },
      );
    });
    expect(upload).toMatchObject({ status: 201, body: '', cache: 'bypass' });
    // Holding even a tenth of it would show; the relay holds a few chunks in flight.
    expect(grown).toBeLessThan(64);
    const head = await fetch(`${url}/api/blobs/${digest}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
  }, 120_000);
});
