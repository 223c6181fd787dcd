/**
 * The optimizations that use Ollama's physics: speculative read-only tools, a prefill of the next
 * call while the tools run, and a warm prefix for the next turn. What each sends to the engine,
 * and that nothing of it reaches the user.
 */
import { defaultScript, type ScriptInput } from '@lunar/ollama-sim';
import { defineTool } from '@lunar/tools-parallel';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type AgentEvent, ALL_OFF, createAgent } from '../src/index.js';
import { collect, MODEL, startSim, untilAborted, weatherTool } from './helpers.js';

/** A simulator that records every chat and generate request its model answers. */
async function recordingSim(
  latency: { promptTokensPerSecond?: number; tokensPerSecond?: number } = {},
  onRequest: (input: ScriptInput) => void = () => {},
) {
  const requests: ScriptInput[] = [];
  const started = await startSim({
    latency,
    script: (input) => {
      requests.push(input);
      onRequest(input);
      return defaultScript(input);
    },
  });
  running.push(started);
  return { ...started, requests };
}

const running: Array<Awaited<ReturnType<typeof startSim>>> = [];
afterEach(async () => {
  for (const { client, sim } of running.splice(0)) {
    await client.close();
    await sim.close();
  }
});

const only = (...names: Array<keyof typeof ALL_OFF>) => ({
  ...ALL_OFF,
  streaming: true,
  eagerTools: true,
  parallelTools: true,
  ...Object.fromEntries(names.map((name) => [name, true])),
});

/** A weather tool that logs each run's city and signal, and runs as `pace(city)` says. */
function loggedWeather(pace: (city: string, signal: AbortSignal) => Promise<void> = async () => {}) {
  const runs: Array<{ city: string; signal: AbortSignal }> = [];
  const tool = defineTool({
    name: 'get_weather',
    description: 'Get the current weather in a city.',
    parameters: z.object({ city: z.string() }),
    readOnly: true,
    async execute({ city }, { signal }) {
      runs.push({ city, signal });
      await pace(city, signal);
      return { city, temperature: 21 };
    },
  });
  return { tool, runs };
}

const textOf = (events: AgentEvent[]) =>
  events.map((event) => (event.type === 'text-delta' ? event.text : '')).join('');

describe('speculativeTools', () => {
  it('starts a predicted call before the model asks; the call the model makes takes its result', async () => {
    const { client } = await recordingSim();
    const order: string[] = [];
    const { tool, runs } = loggedWeather(async () => {
      order.push('tool started');
    });
    const agent = createAgent({
      model: MODEL,
      client,
      tools: [tool],
      toolPredictors: { get_weather: (message) => (/Paris/.test(message) ? { city: 'Paris' } : undefined) },
      optimizations: only('speculativeTools'),
    });
    for await (const event of agent.run('What is the weather in Paris?')) {
      if (event.type === 'tool-call' || event.type === 'tool-result') order.push(event.type);
    }
    expect(order).toEqual(['tool started', 'tool-call', 'tool-result']);
    expect(runs.map((run) => run.city)).toEqual(['Paris']);
    expect(agent.stats().speculation).toEqual({ started: 1, used: 1 });
  });

  it('shows the tool in the profile where it ran: from the guess, before the model call, for its own time', async () => {
    // A slow writer: the model's tool call comes long after the guess has its result.
    const { client } = await recordingSim({ tokensPerSecond: 100 });
    const { tool } = loggedWeather();
    const agent = createAgent({
      model: MODEL,
      client,
      tools: [tool],
      toolPredictors: { get_weather: () => ({ city: 'Paris' }) },
      optimizations: only('speculativeTools'),
    });
    const events = await collect(agent.run('What is the weather in Paris?'));
    const done = events.find((event) => event.type === 'done');
    if (done?.type !== 'done') throw new Error('no done event');
    const { stages, toolSpans } = done.profile;
    const model = stages.find((stage) => stage.name === 'llm' && stage.round === 1)!;
    const tools = stages.find((stage) => stage.name === 'tools' && stage.round === 1)!;
    expect(toolSpans).toHaveLength(1);
    expect(toolSpans[0]!.startMs).toBeLessThanOrEqual(model.startMs);
    expect(toolSpans[0]!.early).toBe(true);
    expect(toolSpans[0]!.durationMs).toBeLessThan(model.durationMs / 2);
    expect(tools.startMs).toBe(toolSpans[0]!.startMs);
    // The tool ended long before the model did: the round then waited for the model.
    expect(stages.find((stage) => stage.name === 'wait' && stage.round === 1)?.waitingFor).toBe('llm');
  });

  it('never shows a wrong guess: no event, not in the model calls, aborted once the calls are known', async () => {
    const { tool, runs } = loggedWeather(async (city, signal) => {
      if (city === 'Rome') await untilAborted(signal);
    });
    const abortedBySecondCall: boolean[] = [];
    const { client, requests } = await recordingSim({}, (input) => {
      if (input.messages.at(-1)?.role === 'tool') abortedBySecondCall.push(runs[0]?.signal.aborted ?? false);
    });
    const agent = createAgent({
      model: MODEL,
      client,
      tools: [tool],
      toolPredictors: { get_weather: () => ({ city: 'Rome' }) },
      optimizations: only('speculativeTools'),
    });
    const events = await collect(agent.run('What is the weather in Paris?'));
    const mentioned = JSON.stringify(events.filter((event) => event.type !== 'done'));
    expect(mentioned).toContain('Paris');
    expect(mentioned).not.toContain('Rome');
    expect(JSON.stringify(requests.map((request) => request.messages))).not.toContain('Rome');
    expect(runs.map((run) => run.city)).toEqual(['Rome', 'Paris']);
    expect(abortedBySecondCall).toEqual([true]);
    expect(textOf(events)).toContain('Paris');
    expect(agent.stats().speculation).toEqual({ started: 1, used: 0 });
  });

  it('starts nothing for a prediction its schema rejects, or with the optimization off', async () => {
    const { client } = await recordingSim();
    const { tool, runs } = loggedWeather();
    const predictors = { get_weather: () => ({ city: 42 }) };
    const agent = createAgent({ model: MODEL, client, tools: [tool], toolPredictors: predictors });
    await agent.ask('What is the weather in Paris?');
    const off = createAgent({
      model: MODEL,
      client,
      tools: [tool],
      toolPredictors: { get_weather: () => ({ city: 'Paris' }) },
      optimizations: { speculativeTools: false },
    });
    await off.ask('What is the weather in Paris?');
    expect(agent.stats().speculation.started + off.stats().speculation.started).toBe(0);
    expect(runs.map((run) => run.city)).toEqual(['Paris', 'Paris']);
  });

  it('refuses a predictor for a tool with side effects, or for no tool', () => {
    const send = defineTool({
      name: 'send_email',
      description: 'Send an email.',
      parameters: z.object({ to: z.string() }),
      execute: () => 'sent',
    });
    expect(() =>
      createAgent({ model: MODEL, tools: [send], toolPredictors: { send_email: () => ({}) } }),
    ).toThrow(/send_email, which is not readOnly/);
    expect(() =>
      createAgent({ model: MODEL, tools: [send], toolPredictors: { get_weather: () => ({}) } }),
    ).toThrow(/get_weather, which is not a tool/);
  });
});

describe('prefillAhead', () => {
  it("while the tools run, sends the next call's messages up to the tool results, and shows none of its output", async () => {
    const { client, requests } = await recordingSim();
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let requestsWhileRunning = 0;
    const { tool } = loggedWeather(async () => {
      // The tool finishes once the engine has seen a request after the first call.
      while (requests.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
      requestsWhileRunning = requests.length;
      release();
    });
    const agent = createAgent({ model: MODEL, client, tools: [tool], optimizations: only('prefillAhead') });
    const events = await collect(agent.run('What is the weather in Paris?'));
    await released;
    expect(requestsWhileRunning).toBe(2);
    expect(requests).toHaveLength(3);
    const [, ahead, second] = requests;
    expect(ahead?.options).toMatchObject({ num_predict: 1 });
    expect(ahead?.messages.at(-1)).toMatchObject({ role: 'assistant' });
    expect(ahead?.messages).toEqual(second?.messages.filter((message) => message.role !== 'tool'));
    expect(second?.options.num_predict).toBeUndefined();
    const done = events.at(-1);
    expect(done?.type === 'done' && done.text).toBe(textOf(events));
    expect(textOf(events)).toMatch(/^get_weather returned city Paris/);
  });

  it('sends nothing more with the optimization off', async () => {
    const { client, requests } = await recordingSim();
    const agent = createAgent({ model: MODEL, client, tools: [weatherTool()], optimizations: only() });
    await agent.ask('What is the weather in Paris?');
    expect(requests).toHaveLength(2);
  });

  it('is aborted when the turn ends before it is done', async () => {
    // A slow prefill: the ahead request is still being evaluated when the turn is stopped.
    const { client, sim, requests } = await recordingSim({ promptTokensPerSecond: 200 });
    const controller = new AbortController();
    const { tool } = loggedWeather(async (_city, signal) => {
      while (requests.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
      controller.abort(new Error('the user left'));
      await untilAborted(signal);
    });
    const agent = createAgent({ model: MODEL, client, tools: [tool], optimizations: only('prefillAhead') });
    const disconnectsBefore = sim.stats().clientDisconnects;
    const events = await collect(agent.run('What is the weather in Paris?', { signal: controller.signal }));
    expect(events.at(-1)).toMatchObject({ type: 'error', code: 'AGENT_ABORTED' });
    await expect.poll(() => sim.stats().clientDisconnects - disconnectsBefore, { timeout: 5_000 }).toBe(1);
    expect(requests).toHaveLength(2);
  });
});

describe('prefixWarmup', () => {
  const question = 'What is the weather in Paris?';

  /** Prompt tokens the engine evaluated for one ask in `sessionId`, after `before` ran. */
  async function evaluatedFor(
    prefixWarmup: boolean,
    before: (agent: ReturnType<typeof createAgent>) => Promise<unknown>,
  ) {
    const { client, sim, requests } = await recordingSim();
    const agent = createAgent({
      model: MODEL,
      client,
      system: 'You are a helpful assistant. Answer briefly.',
      tools: [weatherTool()],
      optimizations: prefixWarmup ? only('prefixWarmup', 'stablePrefix') : only('stablePrefix'),
    });
    await before(agent);
    const sent = requests.length;
    sim.resetStats();
    await agent.ask(question, { sessionId: 'chat' });
    return {
      evaluated: sim.stats().promptTokensEvaluated,
      warmups: requests.slice(0, sent),
      agent,
      requests,
    };
  }

  it("warmup() has Ollama evaluate a new conversation's system prompt and tools, so a turn evaluates little more than its question", async () => {
    const on = await evaluatedFor(true, (agent) => agent.warmup());
    const off = await evaluatedFor(false, (agent) => agent.warmup());
    expect(on.warmups).toHaveLength(1);
    expect(on.warmups[0]?.messages.at(-1)).toEqual({ role: 'user', content: '' });
    expect(on.warmups[0]?.options).toMatchObject({ num_predict: 1 });
    expect(on.warmups[0]?.tools.map((tool) => tool.function.name)).toEqual(['get_weather']);
    expect(off.warmups).toHaveLength(0);
    // The tool definitions llama3.2 renders before the question: about a hundred tokens.
    expect(off.evaluated - on.evaluated).toBeGreaterThan(80);
  });

  it("prepare() evaluates a session's history and tools while the user types", async () => {
    const ask = async (agent: ReturnType<typeof createAgent>) => {
      await agent.ask('How do tides work?', { sessionId: 'chat' });
      await agent.ask('What is the weather in Oslo?', { sessionId: 'other' });
      await agent.prepare({ sessionId: 'chat' });
    };
    const on = await evaluatedFor(true, ask);
    const off = await evaluatedFor(false, ask);
    const prepared = on.warmups.at(-1);
    expect(prepared?.messages.map((message) => message.content)).toContain('How do tides work?');
    expect(prepared?.messages.at(-1)).toEqual({ role: 'user', content: '' });
    expect(off.warmups.every((request) => request.options.num_predict === undefined)).toBe(true);
    expect(off.evaluated - on.evaluated).toBeGreaterThan(80);
  });

  it('prepare() checks its options', async () => {
    const agent = createAgent({ model: MODEL, host: 'http://127.0.0.1:9' });
    await expect(agent.prepare({ sessionId: '' })).rejects.toThrow(/sessionId must be a non-empty string/);
    await expect(agent.prepare({ session: 'x' } as never)).rejects.toThrow(/unknown option "session"/);
  });
});
