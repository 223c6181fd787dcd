import { pool, sideBySide, type TimedResponse, timedRequest } from '@lunar/dev-kit';

export interface ProxyRow {
  label: string;
  direct: number;
  proxied: number;
  unit: 'ms' | 'req/s';
}

const MODEL = 'llama3.2:3b';
const sampled = (index: number) => ({
  model: MODEL,
  messages: [{ role: 'user', content: `Why is the sky blue? (${index})` }],
});

type Call = (base: string, index: number) => Promise<TimedResponse>;

async function throughput(base: string, count: number, concurrency: number): Promise<number> {
  const startedAt = performance.now();
  const results = await pool(count, concurrency, (index) =>
    timedRequest(`${base}/api/chat`, 'POST', sampled(index + 100_000)),
  );
  if (results.some((result) => result.status !== 200)) throw new Error('a throughput request failed');
  return count / ((performance.now() - startedAt) / 1000);
}

/** The proxy against the simulator called directly: latency added per request, and throughput. */
export async function benchProxy(simUrl: string, proxyUrl: string, count = 400): Promise<ProxyRow[]> {
  const rows: ProxyRow[] = [];
  /** One latency row: `count` calls each way, interleaved, p50 of the chosen timing. */
  const measure = async (label: string, call: Call, pick: (sample: TimedResponse) => number) => {
    const [direct, proxied] = await sideBySide(count, call, [simUrl, proxyUrl], pick);
    rows.push({ label, direct, proxied, unit: 'ms' });
  };
  const first = (sample: TimedResponse) => sample.firstMs;
  const whole = (sample: TimedResponse) => sample.totalMs;

  const version = (base: string) => timedRequest(`${base}/api/version`, 'GET', undefined);
  await measure('GET /api/version, whole answer, p50', version, whole);

  const chat = (base: string, index: number) => timedRequest(`${base}/api/chat`, 'POST', sampled(index));
  await measure('streamed chat (bypass), first chunk, p50', chat, first);
  await measure('streamed chat (bypass), whole answer, p50', chat, whole);

  // Trailing bytes after the object: Ollama reads the first JSON value, the cache cannot key it, so
  // the proxy relays it raw over its Ollama client's pool.
  const unkeyable = async (base: string, index: number) => {
    const body = `${JSON.stringify(sampled(index + 50_000))} x`;
    const timed = await timedRequest(`${base}/api/chat`, 'POST', body);
    const relayed = base !== proxyUrl || timed.cache === 'bypass';
    if (timed.status !== 200 || !timed.body.includes('"done":true') || !relayed)
      throw new Error(`an unkeyable chat was not relayed whole: ${timed.status} ${timed.body.slice(0, 200)}`);
    return timed;
  };
  await measure('streamed chat, body the cache cannot key (relayed raw), first chunk, p50', unkeyable, first);
  await measure(
    'streamed chat, body the cache cannot key (relayed raw), whole answer, p50',
    unkeyable,
    whole,
  );

  const fixed = { ...sampled(-1), options: { temperature: 0 } };
  const repeat = (base: string) => timedRequest(`${base}/api/chat`, 'POST', fixed);
  await repeat(proxyUrl); // stores the answer
  await measure('deterministic chat repeated (cache hit), whole answer, p50', repeat, whole);

  const directRate = await throughput(simUrl, count * 4, 16);
  const proxiedRate = await throughput(proxyUrl, count * 4, 16);
  rows.push({
    label: `streamed chats (bypass), 16 at a time, ${count * 4} in all`,
    direct: directRate,
    proxied: proxiedRate,
    unit: 'req/s',
  });
  return rows;
}
