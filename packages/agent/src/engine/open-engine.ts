import {
  DEFAULT_OLLAMA_HOST,
  type HostProbe,
  isOllamaError,
  OllamaClient,
  parseOllamaHost,
} from '@lunar/ollama-stream';
import { checkObject, checkOptionKeys } from '../agent/check-options.js';
import { AgentError } from '../agent/errors.js';

/** An Ollama simulator started for the engine: where it listens, and how to stop it. */
export interface Simulator {
  url: string;
  close(): Promise<void>;
}

export interface OpenEngineOptions {
  /**
   * Ollama hosts the user named (a flag, OLLAMA_HOST). Named hosts are used, never replaced by
   * the simulator. Default: none, so `defaultHost` is probed.
   */
  hosts?: readonly string[];
  /** Where the named hosts come from, for messages (e.g. `'--host'`). */
  hostsFrom?: string;
  /** The host probed when none is named (default `http://127.0.0.1:11434`). */
  defaultHost?: string;
  /**
   * Starts the simulator when no host was named and the default one does not answer. Without it,
   * that is an `AGENT_OLLAMA_UNREACHABLE` error. `@lunar/ollama-sim`'s `startOllamaSim` fits.
   */
  simulator?: (signal: AbortSignal | undefined) => Promise<Simulator>;
  /**
   * Named hosts none of which answers: `'throw'` (default) rejects with `AGENT_OLLAMA_UNREACHABLE`;
   * `'keep'` uses them anyway (a server that waits for Ollama to come up).
   */
  whenUnreachable?: 'throw' | 'keep';
  /** How long each host has to answer `GET /api/version`, in ms (default 1,000). */
  probeTimeoutMs?: number;
  /** Aborts the probe and the simulator's start. */
  signal?: AbortSignal;
}

/** Ollama or the simulator, whichever answers, with a client for it. */
export interface Engine {
  /** `ollama`: the named or default hosts; `simulator`: the one `simulator()` started. */
  kind: 'ollama' | 'simulator';
  /** Base URLs the client talks to. */
  hosts: string[];
  client: OllamaClient;
  /** What each probed host answered; for the simulator, why the default host did not. */
  probes: HostProbe[];
  /** True when the engine has `model` (a name without a tag matches `name:latest`). */
  hasModel(model: string, options?: { signal?: AbortSignal }): Promise<boolean>;
  /** Closes the client, and stops the simulator when there is one. */
  close(): Promise<void>;
}

const OPTION_KEYS = {
  hosts: true,
  hostsFrom: true,
  defaultHost: true,
  simulator: true,
  whenUnreachable: true,
  probeTimeoutMs: true,
  signal: true,
} as const;

function engine(
  kind: Engine['kind'],
  hosts: string[],
  probes: HostProbe[],
  stop?: () => Promise<void>,
): Engine {
  const client = new OllamaClient({ hosts });
  return {
    kind,
    hosts,
    client,
    probes,
    async hasModel(model, options = {}) {
      const { models } = await client.tags(options.signal === undefined ? {} : { signal: options.signal });
      const wanted = model.includes(':') ? [model] : [model, `${model}:latest`];
      return models.some((entry) => wanted.includes(entry.name) || wanted.includes(entry.model));
    },
    async close() {
      await client.close();
      await stop?.();
    },
  };
}

async function probe(hosts: string[], timeoutMs: number, signal: AbortSignal | undefined) {
  const client = new OllamaClient({ hosts, retry: { retries: 0 } });
  try {
    return await client.probe({ timeoutMs, ...(signal === undefined ? {} : { signal }) });
  } finally {
    await client.close();
  }
}

function unreachable(probes: HostProbe[], from: string | undefined): AgentError {
  const where = probes.map((probe) => probe.host).join(', ');
  const reasons = probes.map((probe) => {
    const reason = probe.error?.message ?? 'no answer';
    // A connection refused says already how to start Ollama; a timeout or a wrong answer does not.
    return isOllamaError(probe.error, 'OLLAMA_UNREACHABLE')
      ? reason
      : `${reason} Start Ollama with \`ollama serve\`, or check the address.`;
  });
  return new AgentError(
    'AGENT_OLLAMA_UNREACHABLE',
    `Ollama does not answer at ${where}${from === undefined ? '' : ` (from ${from})`}: ${reasons.join(' ')}`,
    { host: probes[0]?.host ?? where, cause: probes[0]?.error },
  );
}

/**
 * Lunar's engine rule, in one place: named hosts are used as named (and must answer, unless
 * `whenUnreachable` is `'keep'`); with none named, Ollama at the default host is used when it
 * answers, else the simulator `simulator()` starts. The agent does not depend on the simulator:
 * the caller passes it in.
 */
export async function openEngine(options: OpenEngineOptions = {}): Promise<Engine> {
  checkObject('openEngine: options', options);
  checkOptionKeys<OpenEngineOptions>('openEngine: options', options, OPTION_KEYS);
  const timeoutMs = options.probeTimeoutMs ?? 1_000;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1) {
    throw new TypeError(`openEngine: probeTimeoutMs must be a positive integer, got ${String(timeoutMs)}`);
  }
  const whenUnreachable = options.whenUnreachable ?? 'throw';
  if (whenUnreachable !== 'throw' && whenUnreachable !== 'keep') {
    throw new TypeError(
      `openEngine: whenUnreachable must be 'throw' or 'keep', got ${String(whenUnreachable)}`,
    );
  }
  const { signal } = options;
  const named = (options.hosts ?? []).map((host, index) =>
    parseOllamaHost(host, options.hostsFrom ?? `hosts[${index}]`),
  );
  if (named.length > 0) {
    const probes = await probe(named, timeoutMs, signal);
    if (!probes.some((answer) => answer.ok) && whenUnreachable === 'throw') {
      throw unreachable(probes, options.hostsFrom);
    }
    return engine('ollama', named, probes);
  }
  const host = parseOllamaHost(options.defaultHost ?? DEFAULT_OLLAMA_HOST, 'defaultHost');
  const probes = await probe([host], timeoutMs, signal);
  if (probes.some((answer) => answer.ok)) return engine('ollama', [host], probes);
  if (options.simulator === undefined) throw unreachable(probes, undefined);
  const simulator = await options.simulator(signal);
  return engine('simulator', [simulator.url], probes, () => simulator.close());
}
