import type { OllamaSimStats } from '@lunar/ollama-sim';
import { ChildLink } from './child-link.js';
import { FRAMEWORKS, type FrameworkName } from './frameworks.js';
import type { TurnMeasure } from './measure.js';
import { SCENARIO_NAMES, SCENARIOS, type ScenarioName } from './scenario.js';

/** One ask of a scenario: the measure, and what the engine saw meanwhile. */
export interface AskRecord extends TurnMeasure {
  /** Chat requests the engine received during the turn. */
  modelCalls: number;
  /** Prompt tokens of those requests (evaluated plus served from the engine's prefix cache). */
  promptTokens: number;
  /** Of those, the tokens the engine had to evaluate. */
  promptTokensEvaluated: number;
}

/** A scenario asked twice in the same process: the first ask and the same question again. */
export interface ScenarioRecord {
  first: AskRecord;
  second: AskRecord;
}

/** One run of one framework: a fresh simulator, a fresh process, the warm-up, then each scenario. */
export interface RunRecord {
  framework: FrameworkName;
  scenarios: Partial<Record<ScenarioName, ScenarioRecord>>;
  /** The `tools` field of the framework's first request that offered tools, as JSON. */
  toolsSent: string | undefined;
}

export interface RunSettings {
  model: string;
  profile: string;
}

function chatRequests(stats: OllamaSimStats): number {
  return stats.requests['/api/chat'] ?? 0;
}

/** The simulator's counters, and the tools the framework sent it first (see sim-process.ts). */
async function readSimulator(sim: ChildLink) {
  const answer = await sim.request({ type: 'stats' });
  return {
    stats: answer.stats as OllamaSimStats,
    toolsSent: typeof answer.toolsSent === 'string' ? answer.toolsSent : undefined,
  };
}

/**
 * Runs `framework` once: its own simulator (no KV cache inherited from another run), its own
 * process (no cache of its own inherited), the same warm-up as every framework, then each
 * scenario asked twice.
 */
export async function runOnce(framework: FrameworkName, settings: RunSettings): Promise<RunRecord> {
  const entry = FRAMEWORKS[framework];
  const sim = await ChildLink.start('./sim-process.js', [settings.profile, settings.model], 'the simulator');
  try {
    const url = String(sim.hello.url);
    const child = await ChildLink.start(
      './framework-process.js',
      [framework, url, settings.model],
      framework,
    );
    try {
      await child.link.request({ type: 'warmup' });
      const scenarios: RunRecord['scenarios'] = {};
      // A row that reports only its second ask needs no other scenario than the repeated one.
      const asked = 'secondAskOnly' in entry && entry.secondAskOnly ? (['tools'] as const) : SCENARIO_NAMES;
      for (const scenario of asked) {
        const ask = async (): Promise<AskRecord> => {
          const before = (await readSimulator(sim.link)).stats;
          const answer = await child.link.request({ type: 'turn', question: SCENARIOS[scenario].question });
          const after = (await readSimulator(sim.link)).stats;
          const evaluated = after.promptTokensEvaluated - before.promptTokensEvaluated;
          return {
            ...(answer.measure as TurnMeasure),
            modelCalls: chatRequests(after) - chatRequests(before),
            promptTokens: evaluated + after.promptTokensCached - before.promptTokensCached,
            promptTokensEvaluated: evaluated,
          };
        };
        const first = await ask();
        scenarios[scenario] = { first, second: await ask() };
      }
      return { framework, scenarios, toolsSent: (await readSimulator(sim.link)).toolsSent };
    } finally {
      await child.link.close();
    }
  } finally {
    await sim.link.close();
  }
}
