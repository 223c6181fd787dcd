import { startOllamaSim } from '@lunar/ollama-sim';
import { DEFAULT_OLLAMA_HOST, OllamaClient, parseOllamaHost } from '@lunar/ollama-stream';
import { CliError, UsageError } from './cli-error.js';

/** The Ollama a command talks to: a real server, or the simulator started in this process. */
export interface Backend {
  url: string;
  kind: 'ollama' | 'simulator';
  client: OllamaClient;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** `--host`, when given. */
  host: string | undefined;
  env: NodeJS.ProcessEnv;
  /** Prints a line for the user on stderr. */
  notice(line: string): void;
  signal?: AbortSignal;
}

/** How long Ollama has to answer `GET /api/version` before it counts as absent. */
export const PROBE_TIMEOUT_MS = 1_000;
/** The simulator profile used when no Ollama answers: realistic timings, scripted answers. */
export const FALLBACK_PROFILE = 'seed';

export const GET_OLLAMA =
  'For real answers: install Ollama from https://ollama.com, then run `ollama pull llama3.2:3b` (and `ollama pull nomic-embed-text` for memory).';

/** Where the user asked for Ollama: `--host`, else OLLAMA_HOST; undefined when neither is set. */
export function requestedHost(host: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  if (host !== undefined) {
    if (host.trim() === '') throw new UsageError('--host expects a URL, got ""');
    try {
      return parseOllamaHost(host, '--host');
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  const fromEnv = env.OLLAMA_HOST?.trim();
  if (fromEnv === undefined || fromEnv === '') return undefined;
  try {
    return parseOllamaHost(fromEnv, 'OLLAMA_HOST');
  } catch (error) {
    throw new CliError('LUNAR_BAD_HOST', (error as Error).message);
  }
}

/** The client's message, with what to do when it does not say already. */
export function withAdvice(failure: string): string {
  return failure.includes('ollama serve')
    ? failure
    : `${failure} Start it with \`ollama serve\`, or check the address.`;
}

/** Resolves with undefined when Ollama answers at `url`, else with the reason it does not. */
export async function probeOllama(url: string, signal?: AbortSignal): Promise<string | undefined> {
  const client = new OllamaClient({ host: url, retry: { retries: 0 } });
  try {
    await client.version({ timeouts: { totalMs: PROBE_TIMEOUT_MS }, ...(signal ? { signal } : {}) });
    return undefined;
  } catch (error) {
    signal?.throwIfAborted();
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.close();
  }
}

/**
 * The backend rule: Ollama at `--host` / OLLAMA_HOST must answer (else exit 1); with neither set,
 * Ollama at the default address is used when it answers, and the built-in simulator otherwise.
 */
export async function connectBackend(options: ConnectOptions): Promise<Backend> {
  const requested = requestedHost(options.host, options.env);
  const url = requested ?? DEFAULT_OLLAMA_HOST;
  const failure = await probeOllama(url, options.signal);
  if (failure === undefined) {
    const client = new OllamaClient({ host: url });
    return { url, kind: 'ollama', client, close: () => client.close() };
  }
  if (requested !== undefined) {
    const source = options.host !== undefined ? '--host' : 'OLLAMA_HOST';
    throw new CliError(
      'LUNAR_OLLAMA_UNREACHABLE',
      `Ollama does not answer at ${url} (from ${source}): ${withAdvice(failure)}`,
    );
  }
  const sim = await startOllamaSim({
    profile: FALLBACK_PROFILE,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const client = new OllamaClient({ host: sim.url });
  options.notice(
    `No Ollama answers at ${url}, so Lunar is using its built-in simulator (scripted answers, realistic timings: profile "${FALLBACK_PROFILE}").\n${GET_OLLAMA}`,
  );
  return {
    url: sim.url,
    kind: 'simulator',
    client,
    async close() {
      await client.close();
      await sim.close();
    },
  };
}
