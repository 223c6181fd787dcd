import { percentile, pool, type Timed, timedRequest } from './timed-http.js';

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

/** Sequential calls to both, interleaved one by one; p50 of the chosen timing. */
async function sideBySide(
  count: number,
  call: (base: string, index: number) => Promise<Timed>,
  simUrl: string,
  proxyUrl: string,
  pick: (sample: Timed) => number,
): Promise<[number, number]> {
  const direct: number[] = [];
  const proxied: number[] = [];
  for (let index = 0; index < count; index++) {
    direct.push(pick(await call(simUrl, index)));
    proxied.push(pick(await call(proxyUrl, index)));
  }
  return [percentile(direct, 50), percentile(proxied, 50)];
}

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
  const version = (base: string) => timedRequest(`${base}/api/version`, 'GET', undefined);
  const [versionDirect, versionProxied] = await sideBySide(
    count,
    version,
    simUrl,
    proxyUrl,
    (s) => s.totalMs,
  );
  rows.push({
    label: 'GET /api/version, whole answer, p50',
    direct: versionDirect,
    proxied: versionProxied,
    unit: 'ms',
  });

  const chat = (base: string, index: number) => timedRequest(`${base}/api/chat`, 'POST', sampled(index));
  const [firstDirect, firstProxied] = await sideBySide(count, chat, simUrl, proxyUrl, (s) => s.firstMs);
  rows.push({
    label: 'streamed chat (bypass), first chunk, p50',
    direct: firstDirect,
    proxied: firstProxied,
    unit: 'ms',
  });
  const [totalDirect, totalProxied] = await sideBySide(count, chat, simUrl, proxyUrl, (s) => s.totalMs);
  rows.push({
    label: 'streamed chat (bypass), whole answer, p50',
    direct: totalDirect,
    proxied: totalProxied,
    unit: 'ms',
  });

  // Trailing bytes after the object: Ollama reads the first JSON value, the cache cannot key it, so
  // the proxy relays it raw over its Ollama client's pool.
  const unkeyable = async (base: string, index: number) => {
    const body = `${JSON.stringify(sampled(index + 50_000))} x`;
    const timed = await timedRequest(`${base}/api/chat`, 'POST', body);
    if (
      timed.status !== 200 ||
      !timed.body.includes('"done":true') ||
      (base === proxyUrl && timed.cache !== 'bypass')
    )
      throw new Error(`an unkeyable chat was not relayed whole: ${timed.status} ${timed.body.slice(0, 200)}`);
    return timed;
  };
  const [rawFirstDirect, rawFirstProxied] = await sideBySide(
    count,
    unkeyable,
    simUrl,
    proxyUrl,
    (s) => s.firstMs,
  );
  rows.push({
    label: 'streamed chat, body the cache cannot key (relayed raw), first chunk, p50',
    direct: rawFirstDirect,
    proxied: rawFirstProxied,
    unit: 'ms',
  });
  const [rawDirect, rawProxied] = await sideBySide(count, unkeyable, simUrl, proxyUrl, (s) => s.totalMs);
  rows.push({
    label: 'streamed chat, body the cache cannot key (relayed raw), whole answer, p50',
    direct: rawDirect,
    proxied: rawProxied,
    unit: 'ms',
  });

  const fixed = { ...sampled(-1), options: { temperature: 0 } };
  const repeat = (base: string) => timedRequest(`${base}/api/chat`, 'POST', fixed);
  await repeat(proxyUrl); // stores the answer
  const [hitDirect, hitProxied] = await sideBySide(count, repeat, simUrl, proxyUrl, (s) => s.totalMs);
  rows.push({
    label: 'deterministic chat repeated (cache hit), whole answer, p50',
    direct: hitDirect,
    proxied: hitProxied,
    unit: 'ms',
  });

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
