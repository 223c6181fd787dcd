import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { request } from 'node:http';
import {
  median,
  pool,
  residentMiB,
  sideBySide,
  sized,
  type TimedResponse,
  timedRequest,
} from '@lunar/dev-kit';

const MODEL = 'llama3.2:3b';
const MiB = 1024 * 1024;

export interface LatencyRow {
  label: string;
  direct: number;
  /** Through a bare `node:http` relay (the cost of the hop alone); absent for cache hits. */
  bare?: number;
  proxied: number;
}

const chat = (index: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    model: MODEL,
    messages: [{ role: 'user', content: `Why is the sky blue? (${index})` }],
    ...extra,
  });

/**
 * Latency added by the proxy (sampled requests, so every call goes to the host), next to what a
 * bare relay adds for the same requests, and hit latency.
 */
export async function benchLatency(
  simUrl: string,
  bareUrl: string,
  proxyUrl: string,
  count: number,
): Promise<LatencyRow[]> {
  const rows: LatencyRow[] = [];
  const measure = async (
    label: string,
    call: (base: string, index: number) => Promise<TimedResponse>,
    pick: (sample: TimedResponse) => number,
  ) => {
    const [direct, bare, proxied] = await sideBySide(count, call, [simUrl, bareUrl, proxyUrl], pick);
    rows.push({ label, direct, bare, proxied });
  };
  const measureHit = async (
    label: string,
    call: (base: string, index: number) => Promise<TimedResponse>,
    pick: (sample: TimedResponse) => number,
  ) => {
    const [direct, proxied] = await sideBySide(count, call, [simUrl, proxyUrl], pick);
    rows.push({ label, direct, proxied });
  };
  const first = (sample: TimedResponse) => sample.firstMs;
  const whole = (sample: TimedResponse) => sample.totalMs;
  // The floor: one more HTTP hop on loopback, for a short answer the proxy relays as it is.
  await measure(
    'GET /api/version (relayed), whole answer',
    (base) => timedRequest(`${base}/api/version`, 'GET', undefined),
    whole,
  );
  const native = (base: string, index: number) => timedRequest(`${base}/api/chat`, 'POST', chat(index));
  const openai = (base: string, index: number) =>
    timedRequest(`${base}/v1/chat/completions`, 'POST', chat(index + 1_000_000, { stream: true }));
  await measure('native stream (/api/chat, sampled: bypass), first chunk', native, first);
  await measure('native stream (/api/chat, sampled: bypass), whole answer', native, whole);
  await measure('/v1 stream (/v1/chat/completions, sampled: bypass), first chunk', openai, first);
  await measure('/v1 stream (/v1/chat/completions, sampled: bypass), whole answer', openai, whole);

  // A deterministic request, stored by one call: the host computes it every time, the proxy answers from memory.
  const fixed = chat(-1, { options: { temperature: 0 } });
  const fixedOpenAI = chat(-1, { temperature: 0, stream: true });
  await timedRequest(`${proxyUrl}/api/chat`, 'POST', fixed);
  await timedRequest(`${proxyUrl}/v1/chat/completions`, 'POST', fixedOpenAI);
  const hit = (path: string, body: string) => async (base: string) => {
    const timed = await timedRequest(`${base}${path}`, 'POST', body);
    if (base === proxyUrl && timed.cache !== 'hit')
      throw new Error(`expected a hit on ${path}, got ${timed.cache}`);
    return timed;
  };
  await measureHit(
    'native stream, deterministic: computed by the host vs a cache hit, whole answer',
    hit('/api/chat', fixed),
    whole,
  );
  await measureHit(
    '/v1 stream, deterministic: computed by the host vs a cache hit, whole answer',
    hit('/v1/chat/completions', fixedOpenAI),
    whole,
  );
  return rows;
}

export interface ThroughputRow {
  label: string;
  unit: string;
  direct: number;
  proxied: number;
}

/** Uploads `size` bytes (a blob whose digest is computed first) to `base`; resolves to MiB/s. */
async function upload(base: string, size: number, seed: number): Promise<number> {
  const chunk = Buffer.alloc(MiB, seed & 0xff);
  chunk.writeUInt32LE(seed, 0);
  const count = size / MiB;
  const hash = createHash('sha256');
  for (let index = 0; index < count; index++) hash.update(chunk);
  const digest = `sha256:${hash.digest('hex')}`;
  const startedAt = performance.now();
  await new Promise<void>((resolve, reject) => {
    const outgoing = request(`${base}/api/blobs/${digest}`, {
      method: 'POST',
      agent: false,
      headers: { 'content-length': size, 'content-type': 'application/octet-stream' },
    });
    outgoing.on('response', (response) => {
      response.resume();
      response.on('end', () =>
        response.statusCode === 201 ? resolve() : reject(new Error(`upload: ${response.statusCode}`)),
      );
    });
    outgoing.on('error', reject);
    void (async () => {
      for (let index = 0; index < count; index++) if (!outgoing.write(chunk)) await once(outgoing, 'drain');
      outgoing.end();
    })().catch(reject);
  });
  return size / MiB / ((performance.now() - startedAt) / 1000);
}

/** Requests per second of `total` streamed chats the cache cannot key (relayed raw), 16 at a time. */
async function relayRate(base: string, total: number): Promise<number> {
  const startedAt = performance.now();
  await pool(total, 16, async (index) => {
    // Bytes after the object: Ollama reads the first JSON value; the cache cannot key it.
    const timed = await timedRequest(`${base}/api/chat`, 'POST', `${chat(index + 2_000_000)} x`);
    if (timed.status !== 200) throw new Error(`relay: ${timed.status}`);
  });
  return total / ((performance.now() - startedAt) / 1000);
}

/** The raw relay's throughput against the simulator called directly, side by side. */
export async function benchThroughput(simUrl: string, proxyUrl: string): Promise<ThroughputRow[]> {
  const size = sized(256, 16) * MiB;
  const uploads = { direct: [] as number[], proxied: [] as number[] };
  const rounds = sized(3, 1);
  for (let round = 0; round < rounds; round++) {
    uploads.direct.push(await upload(simUrl, size, round * 2 + 1));
    uploads.proxied.push(await upload(proxyUrl, size, round * 2 + 2));
  }
  const total = sized(800, 48);
  const direct = await relayRate(simUrl, total);
  const proxied = await relayRate(proxyUrl, total);
  return [
    {
      label: `blob upload, ${size / MiB} MiB (POST /api/blobs, streamed), median of ${rounds}`,
      unit: 'MiB/s',
      direct: median(uploads.direct),
      proxied: median(uploads.proxied),
    },
    {
      label: `streamed chats relayed raw (unkeyable body), 16 at a time, ${total} in all`,
      unit: 'req/s',
      direct,
      proxied,
    },
  ];
}

/** The proxy's resident set growth while a blob of `size` bytes goes through it, in MiB. */
export async function benchUploadMemory(
  proxyUrl: string,
  proxyPid: number,
  size: number,
): Promise<{ before: number; peak: number }> {
  const before = residentMiB(proxyPid);
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, residentMiB(proxyPid));
  }, 5);
  try {
    await upload(proxyUrl, size, 99);
  } finally {
    clearInterval(sampler);
  }
  return { before, peak: Math.max(peak, residentMiB(proxyPid)) };
}
