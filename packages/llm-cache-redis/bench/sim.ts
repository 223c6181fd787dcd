import { type OllamaSim, startOllamaSim } from '@lunar/ollama-sim';
import { type ChatRequest, OllamaClient } from '@lunar/ollama-stream';

/** The simulator with the `gpu` profile (model preloaded) and a client for it. */
export async function gpuSimulator(): Promise<{
  sim: OllamaSim;
  client: OllamaClient;
  close(): Promise<void>;
}> {
  const sim = await startOllamaSim({ profile: 'gpu', preload: ['llama3.2:3b'], parallel: 4 });
  const client = new OllamaClient({ host: sim.url });
  return {
    sim,
    client,
    async close() {
      await client.close();
      await sim.close();
    },
  };
}

/** A deterministic chat request, distinct per `id`. */
export function question(id: string): ChatRequest {
  return {
    model: 'llama3.2:3b',
    messages: [
      { role: 'system', content: 'You are a helpful assistant. Answer briefly.' },
      { role: 'user', content: `Why is the sky blue? (${id})` },
    ],
    options: { temperature: 0, seed: 42 },
  };
}
