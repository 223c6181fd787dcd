import { median, printTable, sized } from '@lunar/dev-kit';
import { OllamaClient } from '../src/index.js';
import { startSimProcess } from './sim-process.js';

const REQUESTS = sized(2000, 100);
const CONCURRENCY = 4;
const ROUNDS = sized(5, 1);

interface Sample {
  ms: number;
  cpuMs: number;
}

/** Run `call` REQUESTS times, CONCURRENCY at a time: wall time and this process's CPU time. */
async function drive(call: () => Promise<string>): Promise<Sample> {
  let next = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < REQUESTS) {
        if ((await call()).length === 0) throw new Error('empty body');
      }
    }),
  );
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { ms, cpuMs: (used.user + used.system) / 1000 };
}

/**
 * What a proxy does for a route the typed methods do not cover: send the request as it came and
 * relay status and body. `client.request()` over the client's pool vs Node's global `fetch` (also
 * undici, also keep-alive), on the same simulator, alternating rounds.
 */
export async function relayBench(): Promise<{ ratio: number }> {
  const sim = await startSimProcess({ preload: ['llama3.2:3b'] });
  const lunar: Sample[] = [];
  const fetched: Sample[] = [];
  const client = new OllamaClient({ host: sim.url });
  const viaRequest = async () => {
    const response = await client.request({ method: 'GET', path: '/api/tags' });
    return response.body.text();
  };
  const viaFetch = async () => {
    const response = await fetch(`${sim.url}/api/tags`);
    return response.text();
  };
  try {
    await drive(viaRequest);
    await drive(viaFetch);
    for (let round = 0; round < ROUNDS; round++) {
      if (round % 2 === 0) {
        lunar.push(await drive(viaRequest));
        fetched.push(await drive(viaFetch));
      } else {
        fetched.push(await drive(viaFetch));
        lunar.push(await drive(viaRequest));
      }
    }
  } finally {
    await client.close();
    await sim.close();
  }
  const perSecond = (samples: Sample[]) => REQUESTS / (median(samples.map((sample) => sample.ms)) / 1000);
  const cpuPerCall = (samples: Sample[]) => (median(samples.map((sample) => sample.cpuMs)) * 1000) / REQUESTS;
  const ratio = perSecond(lunar) / perSecond(fetched);
  printTable(
    `5. Relaying ${REQUESTS} GET /api/tags (status and body as text), ${CONCURRENCY} at a time: client.request() vs fetch; medians of ${ROUNDS}`,
    ['client', 'requests/s', 'CPU/request'],
    [
      [
        'Lunar client.request() + body.text()',
        perSecond(lunar).toFixed(0),
        `${cpuPerCall(lunar).toFixed(1)} µs`,
      ],
      ['fetch() + response.text()', perSecond(fetched).toFixed(0), `${cpuPerCall(fetched).toFixed(1)} µs`],
      [
        'Lunar / fetch',
        `${ratio.toFixed(2)}x`,
        `${(cpuPerCall(fetched) / cpuPerCall(lunar)).toFixed(2)}x less`,
      ],
    ],
  );
  return { ratio };
}
