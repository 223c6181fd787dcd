import { waitFor } from '@lunar/dev-kit';
import { startOllamaSim } from '@lunar/ollama-sim';
import { describe, expect, it } from 'vitest';
import { type ReadinessReport, startServer } from '../src/index.js';
import { MODEL, postHead, postJson, rawConnection, startHarness } from './helpers.js';

async function readiness(url: string): Promise<{ status: number; body: ReadinessReport }> {
  const response = await fetch(`${url}/readyz`);
  return { status: response.status, body: (await response.json()) as ReadinessReport };
}

describe('GET /healthz and GET /readyz', () => {
  it('/healthz says the process serves; /readyz is 200 while a host answers, 503 with the reason when none does', async () => {
    const sim = await startOllamaSim({ profile: 'fast' });
    const server = await startServer({ ollamaHosts: [sim.url], port: 0 });
    try {
      const live = await fetch(`${server.url}/healthz`);
      expect(live.status).toBe(200);
      expect(await live.json()).toEqual({ status: 'ok', replica: server.options.replicaId });
      const ready = await readiness(server.url!);
      expect(ready).toMatchObject({
        status: 200,
        body: {
          status: 'ok',
          replica: server.options.replicaId,
          ollama: [{ host: sim.url, state: 'up', version: '0.33.0', inRotation: true }],
          memory: { engine: 'sqlite', state: 'ready' },
        },
      });
      expect(ready.body).not.toHaveProperty('reason');

      await sim.close();
      // A probe's answer serves the checks of the next second: the next one after it says 503.
      await waitFor(async () => (await fetch(`${server.url}/readyz`)).status === 503);
      const down = await readiness(server.url!);
      expect(down.body).toMatchObject({
        status: 'unavailable',
        reason: expect.stringContaining(`no Ollama host answers (${sim.url}: Cannot connect to Ollama at`),
        ollama: [{ host: sim.url, state: 'down' }],
      });
      expect(JSON.stringify(down.body)).not.toMatch(/ECONNREFUSED|UND_ERR/);
      // Alive all the same: a restart would not bring Ollama back.
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    } finally {
      await server.close();
      await sim.close();
    }
  });

  it('stays 200 with 40 chats in flight on a GPU-speed simulator, every connection of the pool busy', async () => {
    // 16 connections for 40 chats: 24 wait in the pool, 8 generate, 8 wait in the simulator's queue.
    const harness = await startHarness(
      { connections: 16 },
      {
        profile: 'gpu',
        parallel: 8,
        models: [
          { name: MODEL, answerTokens: 150 },
          { name: 'nomic-embed-text', capabilities: ['embedding'] },
        ],
      },
    );
    try {
      const chats = Array.from({ length: 40 }, async (_, index) => {
        const body = { model: MODEL, messages: [{ role: 'user', content: `Tell me a story (${index}).` }] };
        const response = await postJson(`${harness.url}/api/chat`, body);
        const text = await response.text();
        return response.status === 200 && text.includes('"done":true');
      });
      let settled = 0;
      for (const chat of chats) void chat.finally(() => settled++);
      await waitFor(() => harness.server.client.hosts()[0]!.queued! > 0, { timeoutMs: 20_000 });
      const probesBefore = harness.sim.stats().requests['/api/version'] ?? 0;
      const statuses: number[] = [];
      while (settled < 40) statuses.push((await fetch(`${harness.url}/readyz`)).status);
      expect(await Promise.all(chats)).toEqual(Array(40).fill(true));
      expect(statuses.length).toBeGreaterThan(0);
      expect(statuses.filter((status) => status !== 200)).toEqual([]);
      // The host was asked again while the chats ran (its answers are shared for a second only).
      expect(harness.sim.stats().requests['/api/version'] ?? 0).toBeGreaterThan(probesBefore);
    } finally {
      await harness.close();
    }
  }, 60_000);

  it('answers a flood of checks with one probe of the host', async () => {
    const harness = await startHarness();
    try {
      const before = harness.sim.stats().requests['/api/version'] ?? 0;
      const statuses = await Promise.all(
        Array.from({ length: 200 }, async () => (await fetch(`${harness.url}/readyz`)).status),
      );
      expect(statuses).toEqual(Array(200).fill(200));
      // One probe, or two when the flood straddled the end of a probe's second.
      expect((harness.sim.stats().requests['/api/version'] ?? 0) - before).toBeLessThanOrEqual(2);
    } finally {
      await harness.close();
    }
  });

  it('is degraded, still 200, when the memory store does not answer', async () => {
    const harness = await startHarness();
    try {
      await harness.server.memory.close();
      await waitFor(async () => (await readiness(harness.url)).body.status === 'degraded');
      const { status, body } = await readiness(harness.url);
      expect(status).toBe(200);
      expect(body).toMatchObject({
        memory: { engine: 'sqlite', state: 'failing', error: 'the memory store is closed' },
        reason: expect.stringContaining('the memory store does not answer'),
      });
    } finally {
      await harness.close();
    }
  });

  it('says 503 "shutting down" once close() has begun, while /healthz stays 200', async () => {
    const harness = await startHarness({}, { latency: { tokensPerSecond: 20 }, parallel: 4 });
    try {
      // Each request is sent once close() has begun, on a connection a turn in flight keeps open.
      const connections = await Promise.all(
        ['/healthz', '/readyz', '/v1/memories'].map(() => turnInFlight(harness.url)),
      );
      const closed = harness.server.close({ graceMs: 10_000 });
      const answers = await Promise.all(
        connections.map((connection, index) =>
          connection.ask(['/healthz', '/readyz', '/v1/memories'][index]!),
        ),
      );
      await closed;
      expect(answers.map((answer) => answer.status)).toEqual([200, 503, 503]);
      expect(answers[1]!.body).toContain('"status":"unavailable","reason":"shutting down"');
      expect(answers[2]!.body).toContain('"code":"SERVER_SHUTTING_DOWN"');
      for (const answer of answers) expect(answer.turn).toContain('event: done');
    } finally {
      await harness.close();
    }
  });
});

/**
 * A raw connection with a streamed turn in flight (its first text arrived); `ask(path)` sends a
 * GET on it and resolves with the turn's answer and the GET's status and body once it closes.
 */
async function turnInFlight(url: string) {
  const connection = await rawConnection(url);
  const turn = JSON.stringify({ message: 'Tell me a story.' });
  connection.socket.write(`${postHead('/v1/turns', turn.length)}${turn}`);
  await waitFor(() => connection.received().includes('event: text-delta'));
  return {
    async ask(path: string) {
      connection.socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
      await connection.closed;
      const received = connection.received();
      const second = received.lastIndexOf('HTTP/1.1 ');
      const [head, body] = received.slice(second).split('\r\n\r\n', 2);
      return { turn: received.slice(0, second), status: Number(head!.slice(9, 12)), body: body! };
    },
  };
}
