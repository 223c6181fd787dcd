import { getEventListeners } from 'node:events';
import { mulberry32 } from '@lunar/dev-kit';
import { type OllamaSim, type OllamaSimOptions, startOllamaSim } from '@lunar/ollama-sim';
import { isOllamaError, type OllamaError } from '../src/errors.js';
import { OllamaClient, type OllamaClientOptions } from '../src/index.js';

/** The rejection of `promise`, which must be an OllamaError. */
export async function failure(promise: Promise<unknown>): Promise<OllamaError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!isOllamaError(error))
    throw new Error(`expected an OllamaError, got ${String(error)}`, { cause: error });
  return error;
}

/** A port nothing listens on (bound, read, released). */
export { freePort } from '@lunar/dev-kit';

export function abortListeners(signal: AbortSignal): number {
  return getEventListeners(signal, 'abort').length;
}

/** Timers alive in this process now (vitest's own are constant between two reads). */
export function activeTimers(): number {
  return process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;
}

export const user = (content: string) => [{ role: 'user' as const, content }];

export const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Current weather in a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

/** A seeded PRNG (mulberry32), so a failing fuzz case can be replayed. */
export const seededRandom = mulberry32;

/** Simulators (llama3.2:3b preloaded) and clients a test starts; `closeAll()` in afterEach closes them. */
export function fixtures() {
  const sims: OllamaSim[] = [];
  const clients: OllamaClient[] = [];
  return {
    async sim(port = 0, options: OllamaSimOptions = {}): Promise<OllamaSim> {
      const started = await startOllamaSim({ port, preload: ['llama3.2:3b'], ...options });
      sims.push(started);
      return started;
    },
    client(options: OllamaClientOptions): OllamaClient {
      const created = new OllamaClient(options);
      clients.push(created);
      return created;
    },
    async closeAll(): Promise<void> {
      await Promise.all(clients.splice(0).map((client) => client.close()));
      await Promise.all(sims.splice(0).map((sim) => sim.close()));
    },
  };
}
