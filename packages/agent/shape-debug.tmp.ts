import { embed, modelLatency, startOllamaSim } from '@lunar/ollama-sim';
import { runAgentBenchmark } from './src/bench/index.js';

const result = await runAgentBenchmark({
  turns: 1,
  eachOptimization: false,
  memories: 100,
  models: [process.argv[2] ?? 'llama3.2:3b'],
  engine: async () => {
    const sim = await startOllamaSim({ profile: 'fast' });
    return {
      url: sim.url,
      close: () => sim.close(),
      embedLocally: (t) => t.map((x) => embed(x)),
      latency: (m) => modelLatency(m, 'seed'),
    };
  },
});
const m = result.models[0]!;
console.log(JSON.stringify(m.bounds, null, 1));
for (const s of ['text', 'tools'] as const) {
  const p = m.after.turns[s][0]!;
  console.log(
    s,
    p.stages.filter((x) => x.name === 'llm').map((x) => [x.detail?.promptTokens, x.detail?.outputTokens]),
  );
}
