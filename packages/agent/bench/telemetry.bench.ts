// What the agent's OpenTelemetry spans cost per turn. Off: no SDK registered, the API alone (a
// no-op; every user without OpenTelemetry runs this). On: the SDK registered as `lunar` and
// `lunar-server` register it, with a batch processor and an exporter that drops what it gets
// (the network is left out). Whole tool turns against an in-process simulator (`fast` profile,
// caches off), off and on in alternating rounds: CPU time of this process per turn, the
// simulator's share included on both sides. Then the span-making alone, on a finished profile.
import { collectGarbage, summarise } from '@lunar/dev-kit';
import { startOllamaSim } from '@lunar/ollama-sim';
import { OllamaClient } from '@lunar/ollama-stream';
import { defineTool } from '@lunar/tools-parallel';
import { context, trace } from '@opentelemetry/api';
import { BatchSpanProcessor, NodeTracerProvider, type SpanExporter } from '@opentelemetry/sdk-trace-node';
import { z } from 'zod';
import { CACHES_OFF, createAgent, type TurnProfile } from '../src/index.js';
import { recordTurnSpans } from '../src/profile/turn-spans.js';

export interface TelemetryBenchResult {
  turnsPerSide: number;
  /** CPU ms per whole turn (median of rounds). */
  cpuOffMs: number;
  cpuOnMs: number;
  /** Making one turn's spans from its profile, in µs (median). */
  spansOffUs: number;
  spansOnUs: number;
  spansPerTurn: number;
}

const dropAll: SpanExporter = {
  export: (_spans, done) => done({ code: 0 }),
  shutdown: async () => {},
};

function instantTool(name: string, field: string) {
  return defineTool({
    name,
    description: `Get the ${name.replace('get_', '').replace('_', ' ')}.`,
    parameters: z.object({ [field]: z.string() }),
    readOnly: true,
    execute: async (args) => ({ ...args, value: 42 }),
  });
}

function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

export async function benchTelemetry(rounds = 10, turnsPerRound = 10): Promise<TelemetryBenchResult> {
  const sim = await startOllamaSim({ profile: 'fast', preload: ['llama3.2:3b'] });
  const client = new OllamaClient({ host: sim.url });
  const provider = new NodeTracerProvider({ spanProcessors: [new BatchSpanProcessor(dropAll)] });
  const agent = createAgent({
    model: 'llama3.2:3b',
    client,
    tools: [instantTool('get_weather', 'city'), instantTool('get_stock_price', 'symbol')],
    options: { temperature: 0 },
    optimizations: { ...CACHES_OFF },
  });
  const cities = ['Paris', 'Tokyo', 'Lisbon', 'Oslo', 'Lima'];
  let asked = 0;
  const turn = async () => {
    const city = cities[asked++ % cities.length];
    return (await agent.ask(`What is the weather in ${city} and the stock price of ACME?`)).profile;
  };
  const setOn = (on: boolean) => {
    trace.disable();
    context.disable();
    if (on) provider.register();
  };
  const side = async (on: boolean) => {
    setOn(on);
    collectGarbage();
    const started = cpuMs();
    for (let index = 0; index < turnsPerRound; index++) await turn();
    return (cpuMs() - started) / turnsPerRound;
  };
  try {
    const off: number[] = [];
    const on: number[] = [];
    await side(false);
    await side(true);
    for (let round = 0; round < rounds; round++) {
      off.push(await side(false));
      on.push(await side(true));
    }
    // The span-making alone, on one finished profile.
    const profile: TurnProfile = await turn();
    const spans = 1 + profile.stages.length + profile.toolSpans.length;
    const making = (enabled: boolean) => {
      setOn(enabled);
      const calls = 2_000;
      const started = performance.now();
      for (let index = 0; index < calls; index++) {
        recordTurnSpans(profile, {
          model: 'llama3.2:3b',
          sessionId: 'bench',
          parent: context.active(),
          startedAt: performance.now(),
        });
      }
      return ((performance.now() - started) * 1000) / calls;
    };
    const spansOff = summarise([making(false), making(false), making(false)]).p50;
    const spansOn = summarise([making(true), making(true), making(true)]).p50;
    return {
      turnsPerSide: rounds * turnsPerRound,
      cpuOffMs: summarise(off).p50,
      cpuOnMs: summarise(on).p50,
      spansOffUs: spansOff,
      spansOnUs: spansOn,
      spansPerTurn: spans,
    };
  } finally {
    setOn(false);
    await provider.shutdown();
    await agent.close();
    await client.close();
    await sim.close();
  }
}

export function formatTelemetryBench(result: TelemetryBenchResult): string {
  const us = (value: number) =>
    `${value < 10 ? value.toFixed(2) : Math.round(value).toLocaleString('en-US')} µs`;
  const ms = (value: number) => `${value.toFixed(2)} ms`;
  return [
    `OpenTelemetry spans per agent turn (a two-tool turn, ${result.spansPerTurn} spans; ${result.turnsPerSide} turns per side, in alternating rounds; in-process CPU time, a figure of this machine):`,
    '| | no SDK registered (the API alone) | SDK registered (batch processor, exporter dropping all) |',
    '|---|---:|---:|',
    `| CPU per whole turn (median of rounds; the in-process simulator's share included) | ${ms(result.cpuOffMs)} | ${ms(result.cpuOnMs)} |`,
    `| making the turn's spans from its profile (median) | ${us(result.spansOffUs)} | ${us(result.spansOnUs)} |`,
    `The spans cost ${us(result.spansOffUs)} a turn when no SDK is registered: ${((result.spansOffUs / 1000 / result.cpuOffMs) * 100).toFixed(3)}% of the turn's CPU time.`,
  ].join('\n');
}
