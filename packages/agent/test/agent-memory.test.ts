import type { OllamaSim } from '@lunar/ollama-sim';
import type { OllamaClient } from '@lunar/ollama-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentEvent, type ConversationHistory, createAgent, openAgentMemory } from '../src/index.js';
import { collect, MODEL, startSim } from './helpers.js';

let sim: OllamaSim;
let client: OllamaClient;

beforeAll(async () => {
  ({ sim, client } = await startSim({ preload: [MODEL, 'nomic-embed-text'] }));
});

afterAll(async () => {
  await client.close();
  await sim.close();
});

function stageOf(events: AgentEvent[], name: string, round?: number) {
  for (const event of events) {
    if (event.type === 'stage' && event.stage.name === name && event.stage.round === round)
      return event.stage;
  }
  throw new Error(`no ${name} stage`);
}

describe('memory', () => {
  it('searches memory on each turn, caches the search, and misses again after a write or delete', async () => {
    const memory = openAgentMemory({ location: ':memory:', client });
    const agent = createAgent({ model: MODEL, client, memory, options: { temperature: 0 } });
    try {
      await memory.store.add('The user lives in Lisbon and likes sardines.');
      const first = await collect(agent.run('Where do I live?', { sessionId: 'a' }));
      expect(stageOf(first, 'memory-search')).toMatchObject({ cache: 'miss', detail: { results: 1 } });

      const second = await collect(agent.run('where do   I live?', { sessionId: 'b' }));
      expect(stageOf(second, 'memory-search').cache).toBe('hit');

      const added = await memory.store.add('The user has a cat named Miso.');
      const third = await collect(agent.run('Where do I live?', { sessionId: 'c' }));
      expect(stageOf(third, 'memory-search')).toMatchObject({ cache: 'miss', detail: { results: 2 } });

      expect(await memory.store.delete(added.id)).toBe(true);
      const fourth = await collect(agent.run('Where do I live?', { sessionId: 'd' }));
      expect(stageOf(fourth, 'memory-search')).toMatchObject({ cache: 'miss', detail: { results: 1 } });
      expect(agent.stats().memoryCache).toMatchObject({ hits: 1, misses: 3 });
    } finally {
      await memory.store.close();
    }
  });

  it('puts the memories found in the prompt the model sees', async () => {
    const memory = openAgentMemory({ location: ':memory:', client });
    const seen: string[] = [];
    const { sim: spy, client: spyClient } = await startSim({
      preload: [MODEL, 'nomic-embed-text'],
      script: (input) => {
        seen.push(input.messages.map((message) => message.content).join('\n'));
        return { content: 'ok' };
      },
    });
    const memoryOnSpy = openAgentMemory({ location: ':memory:', client: spyClient });
    try {
      await memoryOnSpy.store.add('The user is allergic to peanuts.');
      const agent = createAgent({ model: MODEL, client: spyClient, memory: memoryOnSpy });
      await agent.ask('Can I eat this peanut cookie?');
      expect(seen[0]).toContain('The user is allergic to peanuts.');
    } finally {
      await memory.store.close();
      memoryOnSpy.store.close();
      await spyClient.close();
      await spy.close();
    }
  });

  it('serves a repeated query embedding from the embedding cache', async () => {
    const memory = openAgentMemory({ location: ':memory:', client });
    const agent = createAgent({
      model: MODEL,
      client,
      memory,
      optimizations: { memoryCache: false },
    });
    try {
      await memory.store.add('Paris is the capital of France.');
      sim.resetStats();
      await agent.ask('What is the capital of France?', { sessionId: 'x' });
      await agent.ask('What is the capital of France?', { sessionId: 'y' });
      expect(sim.stats().requests['/api/embed']).toBe(1);
      expect(agent.stats().embeddingCache).toMatchObject({ hits: 1, misses: 1 });
    } finally {
      await memory.store.close();
    }
  });
});

describe('history and the LLM cache', () => {
  it('keeps history per session, bounded by turns', async () => {
    const agent = createAgent({ model: MODEL, client, history: { maxTurns: 2 } });
    for (const question of ['One?', 'Two?', 'Three?']) await agent.ask(question, { sessionId: 's' });
    await agent.ask('Other session', { sessionId: 't' });
    const history = agent.history as ConversationHistory;
    expect(history.size('s').turns).toBe(2);
    const messages = history.messages('s');
    expect(messages[0]).toEqual({ role: 'user', content: 'Two?' });
    expect(messages.map((message) => message.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
  });

  it('answers a repeated deterministic question from the cache, with no Ollama call', async () => {
    const agent = createAgent({ model: MODEL, client, options: { temperature: 0 } });
    const first = await agent.ask('Tell me about tides.', { sessionId: 'one' });
    sim.resetStats();
    const second = await agent.ask('Tell me about tides.', { sessionId: 'two' });
    expect(second.text).toBe(first.text);
    expect(sim.stats().requests['/api/chat'] ?? 0).toBe(0);
    expect(second.profile.stages.find((stage) => stage.name === 'llm')?.cache).toBe('hit');
    expect(second.profile.ollamaCalls).toBe(0);
  });

  it('never caches a sampled answer (default temperature)', async () => {
    const agent = createAgent({ model: MODEL, client });
    await agent.ask('Tell me about waves.', { sessionId: 'one' });
    const second = await agent.ask('Tell me about waves.', { sessionId: 'two' });
    expect(second.profile.stages.find((stage) => stage.name === 'llm')?.cache).toBe('bypass');
    expect(second.profile.ollamaCalls).toBe(1);
  });
});
