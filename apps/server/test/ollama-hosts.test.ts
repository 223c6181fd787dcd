import { createServer as createNetServer } from 'node:net';
import { startOllamaSim } from '@lunar/ollama-sim';
import { describe, expect, it } from 'vitest';
import { type ReadinessReport, startServer } from '../src/index.js';
import { MODEL, postJson } from './helpers.js';

/** A chat body the cache cannot key (trailing bytes after the object): relayed over the client's pool. */
const unkeyable = (content: string, extra: Record<string, unknown> = {}) =>
  `${JSON.stringify({ model: MODEL, messages: [{ role: 'user', content }], options: { temperature: 0 }, ...extra })} trailing`;

/** A loopback port nothing listens on. */
async function deadPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('several Ollama hosts, one refusing connections', () => {
  it('answers every unkeyable request from the live host, and /readyz and /metrics say which is skipped', async () => {
    const sim = await startOllamaSim({ profile: 'fast', preload: [MODEL] });
    const dead = `http://127.0.0.1:${await deadPort()}`;
    const server = await startServer({ ollamaHosts: [dead, sim.url], port: 0 });
    try {
      for (let i = 0; i < 6; i++) {
        const response = await postJson(`${server.url}/api/chat`, unkeyable(`Hi ${i}`, { stream: false }));
        expect(response.status).toBe(200);
        expect(await response.json()).toMatchObject({ done: true });
      }
      expect(sim.stats().requests['/api/chat']).toBe(6);
      const ready = await fetch(`${server.url}/readyz`);
      expect(ready.status).toBe(200);
      const report = (await ready.json()) as ReadinessReport;
      expect(report).toMatchObject({
        status: 'ok',
        ollama: [
          { host: dead, state: 'down', inRotation: false },
          { host: sim.url, state: 'up', inRotation: true },
        ],
      });
      // In words, without a library's code.
      expect(report.ollama[0]!.error).toContain('the connection was refused');
      expect(report.ollama[0]!.error).not.toMatch(/ECONNREFUSED|UND_ERR/);
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      const sample = (name: string, host: string) =>
        Number(new RegExp(`^${name}\\{host="${host}"\\} (\\S+)$`, 'm').exec(metrics)?.[1]);
      expect(sample('lunar_ollama_up', dead)).toBe(0);
      expect(sample('lunar_ollama_down_until_seconds', dead)).toBeGreaterThan(Date.now() / 1000 - 1);
      expect(sample('lunar_ollama_down_until_seconds', sim.url)).toBe(0);
      expect(sample('lunar_ollama_queued', sim.url)).toBe(0);
      expect(sample('lunar_ollama_free_connections', sim.url)).toBeGreaterThanOrEqual(1);
    } finally {
      await server.close();
      await sim.close();
    }
  });
});
