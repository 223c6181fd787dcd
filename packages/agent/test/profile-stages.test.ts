// The profile adds up: each tool call is its own span, the `tools` stage is the tools' own time,
// and the time one side of an eager round waited for the other is a `wait` stage. Asserted on the
// spans' relations (order, containment, equal ends), never on how long anything took.
import { describe, expect, it } from 'vitest';
import { createAgent, type StageRecord, type TurnProfile } from '../src/index.js';
import { collect, stockTool, useSim, weatherTool } from './helpers.js';

// A slow writer (50 tokens/s): a tool that answers at once is done long before the model.
const shared = useSim({ preload: ['llama3.2:3b', 'qwen3:8b'], latency: { tokensPerSecond: 50 } });

const endOf = (record: { startMs: number; durationMs: number }) => record.startMs + record.durationMs;

function stage(profile: TurnProfile, name: StageRecord['name'], round?: number): StageRecord {
  const found = profile.stages.find((each) => each.name === name && each.round === round);
  if (!found) throw new Error(`no ${name} #${round} stage in ${profile.stages.map((each) => each.name)}`);
  return found;
}

async function profileOf(events: AsyncIterable<import('../src/index.js').AgentEvent>): Promise<TurnProfile> {
  const all = await collect(events);
  const done = all.find((event) => event.type === 'done');
  if (done?.type !== 'done') throw new Error(`the turn failed: ${JSON.stringify(all.at(-1))}`);
  return done.profile;
}

describe('the profile with eager tools', () => {
  it("a quick tool against a slow model: the tools stage is the tool's own time, then a wait for the model", async () => {
    // qwen3 closes its call with `</tool_call>`, written after the call arrived: the tool, which
    // answers at once, is done while the model still writes.
    const agent = createAgent({ model: 'qwen3:8b', client: shared.client, tools: [weatherTool()] });
    const profile = await profileOf(agent.run('What is the weather in Paris?'));
    const llm = stage(profile, 'llm', 1);
    const tools = stage(profile, 'tools', 1);
    const wait = stage(profile, 'wait', 1);
    const [span] = profile.toolSpans;

    expect(profile.toolSpans).toHaveLength(1);
    expect(span).toMatchObject({ name: 'get_weather', round: 1, ok: true, early: true, cache: 'bypass' });
    // The stage is the span, nothing more.
    expect(tools.startMs).toBe(span!.startMs);
    expect(tools.durationMs).toBe(span!.durationMs);
    // Inside the model's round, and shorter than it.
    expect(tools.startMs).toBeGreaterThan(llm.startMs);
    expect(endOf(tools)).toBeLessThan(endOf(llm));
    expect(tools.durationMs).toBeLessThan(llm.durationMs);
    // The rest of the round was the model's: a wait for it, from the tool's end to the model's.
    expect(wait).toMatchObject({ waitingFor: 'llm', startMs: endOf(tools) });
    expect(endOf(wait)).toBeCloseTo(endOf(llm), 9);
    // The first token waited for the model and that wait, not for the tool.
    const critical = profile.stages.filter((each) => each.critical).map((each) => each.name);
    expect(critical).toEqual(expect.arrayContaining(['llm', 'wait']));
    expect(tools.critical).toBeUndefined();
    expect(stage(profile, 'llm', 2).critical).toBe(true);
  });

  it('a tool that outlasts the model: the tools stage ends with it, and the model waited for it', async () => {
    let modelDone!: () => void;
    const released = new Promise<void>((resolve) => {
      modelDone = resolve;
    });
    const agent = createAgent({
      model: 'llama3.2:3b',
      client: shared.client,
      tools: [weatherTool(released), stockTool()],
    });
    const events = [];
    // get_weather returns only once the model's first round has ended.
    for await (const event of agent.run('What is the weather in Paris and the stock price of ACME?')) {
      events.push(event);
      if (event.type === 'stage' && event.stage.name === 'llm' && event.stage.round === 1) modelDone();
    }
    const done = events.find((event) => event.type === 'done');
    if (done?.type !== 'done') throw new Error('the turn failed');
    const { profile } = done;
    const llm = stage(profile, 'llm', 1);
    const tools = stage(profile, 'tools', 1);
    const wait = stage(profile, 'wait', 1);
    const weather = profile.toolSpans.find((span) => span.name === 'get_weather')!;
    const stock = profile.toolSpans.find((span) => span.name === 'get_stock_price')!;

    expect(weather.startMs).toBeLessThan(endOf(llm));
    expect(endOf(weather)).toBeGreaterThan(endOf(llm));
    // From the first tool's start to the last one's end: the tools' own span.
    expect(tools.startMs).toBe(Math.min(weather.startMs, stock.startMs));
    expect(endOf(tools)).toBeCloseTo(endOf(weather), 9);
    expect(wait).toMatchObject({ waitingFor: 'tools', startMs: endOf(llm) });
    expect(endOf(wait)).toBeCloseTo(endOf(tools), 9);
    expect(stage(profile, 'llm', 2).startMs).toBeGreaterThanOrEqual(endOf(tools));
    for (const record of [llm, tools, wait, stage(profile, 'llm', 2)]) expect(record.critical).toBe(true);
  });

  it('without eager tools: the tools start after the model, with no wait', async () => {
    const agent = createAgent({
      model: 'llama3.2:3b',
      client: shared.client,
      tools: [weatherTool(), stockTool()],
      optimizations: { eagerTools: false },
    });
    const profile = await profileOf(agent.run('What is the weather in Paris and the stock price of ACME?'));
    const llm = stage(profile, 'llm', 1);
    // Committed together, the calls make one burst (unless a pause of the machine split them).
    const tools = profile.stages.filter((each) => each.name === 'tools');
    expect(profile.stages.some((each) => each.name === 'wait')).toBe(false);
    expect(profile.toolSpans.map((span) => span.early)).toEqual([false, false]);
    expect(tools[0]!.startMs).toBeGreaterThanOrEqual(endOf(llm));
    expect(endOf(tools.at(-1)!)).toBeCloseTo(Math.max(...profile.toolSpans.map(endOf)), 9);
    expect(tools.at(-1)!.critical).toBe(true);
  });
});
