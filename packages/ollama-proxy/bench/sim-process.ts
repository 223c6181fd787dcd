/** The simulator in its own process for the benchmark: `fast` profile, 8 slots; prints its URL. */
import { startOllamaSim } from '@lunar/ollama-sim';

const MODEL = 'llama3.2:3b';
const sim = await startOllamaSim({
  profile: 'fast',
  parallel: 8,
  preload: [MODEL],
  // 200-token answers: a stream long enough that relaying it shows, short enough for many samples.
  models: [{ name: MODEL, answerTokens: 200 }],
});
console.log(sim.url);
process.on('SIGTERM', () => void sim.close());
