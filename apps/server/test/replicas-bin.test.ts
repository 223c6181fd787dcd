import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { redisServerAvailable, startRedisServer, waitFor } from '@lunar/dev-kit';
import { startOllamaSim } from '@lunar/ollama-sim';
import { describe, expect, it } from 'vitest';
import { MODEL } from './helpers.js';

const available = redisServerAvailable('test/replicas-bin.test.ts (the bin with --redis)');
const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

interface LogLine {
  msg: string;
  replica?: string;
  url?: string;
  redis?: string;
}

describe.runIf(available)('lunar-server --redis (the built bin)', () => {
  it('starts while Redis is down (degraded, logged once), shares once it is up, and exits 0 on SIGTERM', async () => {
    if (!existsSync(BIN))
      throw new Error('dist/bin.js is missing: run `pnpm --filter @lunar/server build` first');
    const redis = await startRedisServer();
    await redis.kill();
    const sim = await startOllamaSim({ profile: 'fast', preload: [MODEL, 'nomic-embed-text'] });
    const { LUNAR_API_TOKEN: _token, ...env } = process.env;
    const args = ['--port', '0', '--ollama-host', sim.url, '--redis', redis.url, '--replica-id', 'gpu-box-1'];
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    const exited = once(child, 'exit') as Promise<[number | null, string | null]>;
    // Whole lines only: the last piece is empty, or a line still being written.
    const lines = () =>
      stdout
        .split('\n')
        .slice(0, -1)
        .map((line) => JSON.parse(line) as LogLine);
    const readyz = async () => {
      const response = await fetch(`${url}/readyz`);
      return {
        status: response.status,
        body: (await response.json()) as { status: string; replica: string },
      };
    };
    let url = '';
    try {
      await waitFor(() => lines().some((line) => line.url !== undefined), {
        events: [[child.stdout, 'data']],
        timeoutMs: 15_000,
        message: 'the line saying where it listens',
      });
      const listening = lines().find((line) => line.url !== undefined)!;
      expect(listening).toMatchObject({
        replica: 'gpu-box-1',
        redis: `${redis.url}`,
        url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      });
      url = listening.url!;
      expect(await readyz()).toEqual({
        status: 200,
        body: expect.objectContaining({ status: 'degraded', replica: 'gpu-box-1' }),
      });
      const chat = { model: MODEL, messages: [{ role: 'user', content: 'Hi' }], options: { temperature: 0 } };
      const served = await fetch(`${url}/api/chat`, { method: 'POST', body: JSON.stringify(chat) });
      expect(served.status).toBe(200);
      await served.text();

      await redis.restart();
      await expect.poll(async () => (await readyz()).body.status, { timeout: 15_000 }).toBe('ok');
      const messages = lines().map((line) => line.msg);
      expect(messages.filter((message) => message.includes('redis unavailable'))).toHaveLength(1);
      expect(messages.filter((message) => message.includes('redis back'))).toHaveLength(1);
      expect(lines().every((line) => line.replica === 'gpu-box-1')).toBe(true);

      // The store's and relay's connections are closed on shutdown, or the process would not exit.
      child.kill('SIGTERM');
      expect(await exited).toEqual([0, null]);
    } finally {
      child.kill('SIGKILL');
      await sim.close();
      await redis.stop();
    }
  }, 45_000);
});
