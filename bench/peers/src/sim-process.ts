// The simulator in a process of its own, so that neither its CPU nor its event loop shares the
// framework's: `sim-process <profile> <model>`. Answers `stats` with the simulator's counters and
// the `tools` field of the first request that offered tools, as the framework sent it (the
// scripted model itself is the simulator's own); exits on `close`.
import { defaultScript, type ProfileName, startOllamaSim } from '@lunar/ollama-sim';
import { serveParent } from './child-link.js';

const [profile = 'gpu', model = 'llama3.2:3b'] = process.argv.slice(2);

try {
  // The model is loaded at start, as after a warm-up: no run pays (or skips) a load the others do not.
  let toolsSent: string | undefined;
  const sim = await startOllamaSim({
    profile: profile as ProfileName,
    preload: [model],
    script: (input) => {
      if (toolsSent === undefined && input.tools.length > 0) toolsSent = JSON.stringify(input.tools);
      return defaultScript(input);
    },
  });
  serveParent(async (message) => {
    if (message.type === 'stats') return { type: 'stats', stats: sim.stats(), toolsSent };
    if (message.type === 'close') {
      await sim.close();
      process.exit(0);
    }
    throw new Error(`unknown request ${message.type}`);
  });
  process.send?.({ type: 'listening', url: sim.url });
} catch (error) {
  process.send?.({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  process.exit(1);
}
