import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MemorySearchCache } from '@lunar/memory-cache';
import { OllamaClient } from '@lunar/ollama-stream';
import { defineTool } from '@lunar/tools-parallel';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  createAgent,
  HashEmbedder,
  type MemorySearchResult,
  type MemoryStore,
  SqliteMemoryStore,
} from '../src/index.js';
import { collect, MODEL, startSim, untilAborted } from './helpers.js';

describe('memory wired by hand, searching every scope', () => {
  it('misses after a write, whatever scope it went to', async () => {
    const { sim, client } = await startSim();
    const cache = new MemorySearchCache<MemorySearchResult[]>();
    const store = SqliteMemoryStore.open({ path: ':memory:', embedder: new HashEmbedder(), cache });
    try {
      await store.add('My favourite colour is green.', { scope: 'alice' });
      const agent = createAgent({ model: MODEL, client, memory: { store, cache } });
      const searchStage = async () => {
        const answer = await agent.ask('What is my favourite colour?', { sessionId: crypto.randomUUID() });
        return answer.profile.stages.find((stage) => stage.name === 'memory-search')!;
      };
      expect((await searchStage()).cache).toBe('miss');
      expect((await searchStage()).cache).toBe('hit');
      await store.add('My favourite colour is now blue.', { scope: 'bob' });
      expect(await searchStage()).toMatchObject({ cache: 'miss', detail: { results: 2 } });
    } finally {
      await store.close();
      await client.close();
      await sim.close();
    }
  });
});

describe('leaving a turn early', () => {
  it('aborts the memory search still running', async () => {
    const { sim, client } = await startSim();
    let aborted!: (reason: unknown) => void;
    const searchAborted = new Promise<unknown>((resolve) => {
      aborted = resolve;
    });
    const store = SqliteMemoryStore.open({ path: ':memory:', embedder: new HashEmbedder() });
    await store.add('Something to find.');
    // An embedder that answers only when it is aborted: the search is still running when the turn ends.
    const embedder = {
      embed(_texts: string[], options: { signal?: AbortSignal } = {}): Promise<number[][]> {
        const signal = options.signal!;
        signal.addEventListener('abort', () => aborted(signal.reason), { once: true });
        return untilAborted(signal);
      },
    };
    const agentStore = Object.assign(Object.create(store), {
      search: (query: string, options: Parameters<MemoryStore['search']>[1]) =>
        store.search(query, { ...options, embedder }),
    }) as MemoryStore;
    try {
      const agent = createAgent({ model: MODEL, client, memory: { store: agentStore } });
      for await (const event of agent.run('Find it')) if (event.type === 'stage') break;
      expect(await searchAborted).toMatchObject({ code: 'AGENT_ABORTED', message: 'the turn ended' });
    } finally {
      await store.close();
      await client.close();
      await sim.close();
    }
  });
});

describe('tool output shown to the user', () => {
  it('goes through the output guards; the model still reads it whole', async () => {
    const key = `sk-${'Zz09Yy18'.repeat(4)}`;
    const seenByModel: string[] = [];
    const { sim, client } = await startSim({
      script: (input) => {
        const last = input.messages.at(-1)!;
        if (last.role === 'tool') {
          seenByModel.push(last.content);
          return { content: 'Done.' };
        }
        return { toolCalls: [{ name: 'read_env', arguments: {} }] };
      },
    });
    const readEnv = defineTool({
      name: 'read_env',
      description: 'Read the environment file.',
      parameters: z.object({}),
      readOnly: true,
      execute: () => `OPENAI_API_KEY=${key}`,
    });
    try {
      const agent = createAgent({ model: MODEL, client, tools: [readEnv] });
      const events = await collect(agent.run('Show me the env'));
      const result = events.find((event) => event.type === 'tool-result');
      expect(result?.type === 'tool-result' && result.output).toBe('OPENAI_API_KEY=[redacted openai-key]');
      expect(seenByModel[0]).toContain(key);
    } finally {
      await client.close();
      await sim.close();
    }
  });
});

describe('tool calls without an id', () => {
  it('get one id shared by the tool-call and its tool-result, with eager tools off too', async () => {
    let calls = 0;
    const server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        calls += 1;
        response.writeHead(200, { 'content-type': 'application/x-ndjson' });
        const base = { model: MODEL, created_at: new Date().toISOString() };
        if (calls === 1) {
          const call = { function: { name: 'noop', arguments: {} } };
          response.write(
            `${JSON.stringify({ ...base, message: { role: 'assistant', content: '', tool_calls: [call] }, done: false })}\n`,
          );
        } else {
          response.write(
            `${JSON.stringify({ ...base, message: { role: 'assistant', content: 'ok' }, done: false })}\n`,
          );
        }
        response.end(
          `${JSON.stringify({ ...base, message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop' })}\n`,
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client = new OllamaClient({ host: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
    const noop = defineTool({
      name: 'noop',
      description: 'Do nothing.',
      parameters: z.object({}),
      readOnly: true,
      execute: () => 'nothing',
    });
    try {
      const agent = createAgent({
        model: MODEL,
        client,
        tools: [noop],
        optimizations: { eagerTools: false },
      });
      const events = await collect(agent.run('Go'));
      const call = events.find((event) => event.type === 'tool-call');
      const result = events.find((event) => event.type === 'tool-result');
      expect(call?.type === 'tool-call' && call.callId).toMatch(/^call_[a-z0-9]{8}$/);
      expect(result?.type === 'tool-result' && result.callId).toBe(call?.type === 'tool-call' && call.callId);
      expect(events.at(-1)).toMatchObject({ type: 'done', text: 'ok' });
    } finally {
      await client.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
