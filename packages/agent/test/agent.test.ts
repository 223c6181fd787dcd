import type { OllamaSim } from '@lunar/ollama-sim';
import type { OllamaClient } from '@lunar/ollama-stream';
import { defineTool } from '@lunar/tools-parallel';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type AgentEvent, ALL_OFF, createAgent, STAGE_NAMES } from '../src/index.js';
import { collect, failingTool, kinds, MODEL, stockTool, useSim, weatherTool } from './helpers.js';

const shared = useSim();
let sim: OllamaSim;
let client: OllamaClient;
beforeAll(() => {
  ({ sim, client } = shared);
});

afterEach(() => {
  sim.resetStats();
  sim.clearFaults();
});

const textOf = (events: AgentEvent[]) =>
  events.flatMap((event) => (event.type === 'text-delta' ? [event.text] : [])).join('');

describe('a plain answer', () => {
  it('streams text between the stages, in pipeline order, and ends with done', async () => {
    const agent = createAgent({ model: MODEL, client, options: { temperature: 0 } });
    const events = await collect(agent.run('Why is the sky blue?'));
    const order = kinds(events);
    expect(order[0]).toBe('stage:input-guards');
    expect(order[1]).toBe('stage:memory-search');
    expect(order[2]).toBe('stage:build-prompt');
    expect(order.indexOf('text-delta')).toBeGreaterThan(2);
    expect(order.indexOf('stage:llm#1')).toBeGreaterThan(order.indexOf('text-delta'));
    expect(order.slice(-3)).toEqual(['stage:parse-tool-calls#1', 'stage:output-guards', 'done']);
    expect(order.filter((kind) => kind === 'text-delta').length).toBeGreaterThan(5);

    const done = events.at(-1);
    if (done?.type !== 'done') throw new Error('no done event');
    expect(done.text).toBe(textOf(events));
    expect(done.text).toMatch(/sky|blue/i);
    const { profile } = done;
    expect(profile.stages.every((stage) => (STAGE_NAMES as readonly string[]).includes(stage.name))).toBe(
      true,
    );
    expect(profile.timeToFirstTokenMs).toBeGreaterThan(0);
    expect(profile.timeToFirstTokenMs!).toBeLessThanOrEqual(profile.totalMs);
    expect(profile.ollamaCalls).toBe(1);
    expect(profile.tokens.output).toBeGreaterThan(0);
    expect(sim.stats().requests['/api/chat']).toBe(1);
  });

  it('without streaming, gives the whole answer as one delta', async () => {
    const agent = createAgent({ model: MODEL, client, optimizations: ALL_OFF });
    const events = await collect(agent.run('Why is the sky blue?'));
    expect(kinds(events).filter((kind) => kind === 'text-delta')).toHaveLength(1);
    expect(events.at(-1)?.type).toBe('done');
  });
});

describe('tools', () => {
  it('runs one tool round: call, result, then the answer that uses it', async () => {
    const agent = createAgent({ model: MODEL, client, tools: [weatherTool()] });
    const events = await collect(agent.run('What is the weather in Paris?'));
    const order = kinds(events);
    expect(order.indexOf('tool-call')).toBeLessThan(order.indexOf('stage:llm#1'));
    expect(order.indexOf('tool-result')).toBeGreaterThan(order.indexOf('stage:parse-tool-calls#1'));
    expect(order).toContain('stage:tools#1');
    expect(order).toContain('stage:llm#2');
    const call = events.find((event) => event.type === 'tool-call');
    expect(call).toMatchObject({ name: 'get_weather', arguments: { city: 'Paris' }, round: 1 });
    const result = events.find((event) => event.type === 'tool-result');
    expect(result).toMatchObject({ name: 'get_weather', ok: true });
    const done = events.at(-1);
    expect(done?.type === 'done' && done.text).toContain('get_weather');
    expect(done?.type === 'done' && done.profile.ollamaCalls).toBe(2);
  });

  it('runs two tools at once and feeds both results back', async () => {
    // Each tool finishes only once both have started: run one after the other, the first would
    // wait until its deadline and fail.
    let started = 0;
    let bothStarted!: () => void;
    const together = new Promise<void>((resolve) => {
      bothStarted = resolve;
    });
    const onStart = () => {
      started += 1;
      if (started === 2) bothStarted();
    };
    const agent = createAgent({
      model: MODEL,
      client,
      tools: [weatherTool(together, [], onStart), stockTool(together, onStart)],
      toolTimeoutMs: 5_000,
    });
    const answer = await agent.ask('What is the weather in Oslo and the stock price of ACME?');
    expect(answer.toolResults.map((result) => result.name)).toEqual(['get_weather', 'get_stock_price']);
    expect(answer.toolResults.every((result) => result.ok)).toBe(true);
    expect(answer.text).toMatch(
      /^get_weather returned city Oslo\b.*\. get_stock_price returned symbol ACME\b/,
    );
    expect(answer.profile.stages.find((stage) => stage.name === 'tools')?.detail).toMatchObject({
      calls: 2,
      parallel: true,
    });
  });

  it('turns a failing tool into a result the model reads', async () => {
    const agent = createAgent({ model: MODEL, client, tools: [failingTool()] });
    const answer = await agent.ask('What is my horoscope for Leo?');
    expect(answer.toolResults).toHaveLength(1);
    expect(answer.toolResults[0]).toMatchObject({ ok: false, errorCode: 'failed' });
    expect(answer.toolResults[0]!.output).toContain('the stars are not aligned');
    expect(answer.text).toContain('get_horoscope');
  });
});

describe('cacheable tools', () => {
  it('reuses a cacheable read-only tool result within its TTL, and only when the switch is on', async () => {
    const seen: AbortSignal[] = [];
    const agent = createAgent({
      model: MODEL,
      client,
      tools: [weatherTool('instant', seen)],
      cacheableTools: { get_weather: 60_000 },
    });
    const first = await agent.ask('What is the weather in Quito?', { sessionId: 'one' });
    const second = await agent.ask('What is the weather in Quito?', { sessionId: 'two' });
    expect(seen).toHaveLength(1);
    expect(second.toolResults[0]!.output).toBe(first.toolResults[0]!.output);
    const toolsStage = (answer: typeof first) =>
      answer.profile.stages.find((stage) => stage.name === 'tools');
    expect(toolsStage(first)).toMatchObject({ cache: 'miss', detail: { fromCache: 0 } });
    expect(toolsStage(second)).toMatchObject({ cache: 'hit', detail: { fromCache: 1 } });
    await agent.ask('What is the weather in Quito?', {
      sessionId: 'three',
      optimizations: { toolCache: false },
    });
    expect(seen).toHaveLength(2);
  });

  it('refuses to cache a tool that is not read-only, or one that does not exist', () => {
    const sideEffect = defineTool({
      name: 'send_email',
      description: 'Send an email.',
      parameters: z.object({ to: z.string() }),
      execute: () => 'sent',
    });
    expect(() =>
      createAgent({ model: MODEL, client, tools: [sideEffect], cacheableTools: { send_email: 1_000 } }),
    ).toThrow(/send_email is not readOnly/);
    expect(() => createAgent({ model: MODEL, client, cacheableTools: { nope: 1_000 } })).toThrow(
      /nope, which is not a tool/,
    );
  });
});
