import {
  DEFAULT_EMBED_MODEL,
  DEFAULT_MODEL,
  type Engine,
  isAgentError,
  openEngine,
  pullCommandFor,
} from '@lunar/agent';
import { startOllamaSim } from '@lunar/ollama-sim';
import { parseOllamaHost } from '@lunar/ollama-stream';
import { CliError, UsageError } from './cli-error.js';

/** The simulator profile used when no Ollama answers: realistic timings, scripted answers. */
export const FALLBACK_PROFILE = 'seed';

export const GET_OLLAMA = `For real answers: install Ollama from https://ollama.com, then run \`${pullCommandFor(DEFAULT_MODEL)}\` (and \`${pullCommandFor(DEFAULT_EMBED_MODEL)}\` for memory).`;

/** The Ollama the user named, and where they named it. */
export interface RequestedHost {
  host: string;
  from: string;
}

/** The flags that name an Ollama: `--ollama-host`, and `--host`, its older name. */
export const HOST_OPTIONS = {
  'ollama-host': { type: 'string' },
  host: { type: 'string' },
} as const;

export const HOST_USAGE = `  --ollama-host <url>  Ollama's address (default: OLLAMA_HOST, else http://127.0.0.1:11434;
                       with neither set and no Ollama there, the built-in simulator);
                       --host is the same flag under its older name`;

/** Where the user asked for Ollama: the flag, else OLLAMA_HOST; undefined when neither is set. */
export function requestedHost(
  flags: { 'ollama-host'?: string | undefined; host?: string | undefined },
  env: NodeJS.ProcessEnv,
): RequestedHost | undefined {
  if (flags['ollama-host'] !== undefined && flags.host !== undefined) {
    throw new UsageError('--ollama-host and --host are the same flag: give one');
  }
  const [flag, value] =
    flags['ollama-host'] !== undefined ? ['--ollama-host', flags['ollama-host']] : ['--host', flags.host];
  if (value !== undefined) {
    if (value.trim() === '') throw new UsageError(`${flag} expects a URL, got ""`);
    try {
      return { host: parseOllamaHost(value, flag), from: flag };
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  const fromEnv = env.OLLAMA_HOST?.trim();
  if (fromEnv === undefined || fromEnv === '') return undefined;
  try {
    return { host: parseOllamaHost(fromEnv, 'OLLAMA_HOST'), from: 'OLLAMA_HOST' };
  } catch (error) {
    throw new CliError('CLI_BAD_HOST', (error as Error).message, { cause: error });
  }
}

/**
 * The engine a command talks to, by Lunar's rule (`openEngine`): the named Ollama, which must
 * answer; else Ollama at the default address; else the simulator, started in this process.
 */
export async function connectEngine(
  requested: RequestedHost | undefined,
  signal: AbortSignal,
): Promise<Engine> {
  try {
    return await openEngine({
      ...(requested === undefined ? {} : { hosts: [requested.host], hostsFrom: requested.from }),
      simulator: () => startOllamaSim({ profile: FALLBACK_PROFILE, signal }),
      signal,
    });
  } catch (error) {
    if (isAgentError(error, 'AGENT_OLLAMA_UNREACHABLE')) {
      throw new CliError('CLI_OLLAMA_UNREACHABLE', error.message, { cause: error });
    }
    throw error;
  }
}

/** The line the user gets when the simulator answers instead of Ollama; undefined for Ollama. */
export function simulatorNotice(engine: Engine): string | undefined {
  if (engine.kind !== 'simulator') return undefined;
  return `No Ollama answers at ${engine.probes[0]?.host}, so Lunar is using its built-in simulator (scripted answers, realistic timings: profile "${FALLBACK_PROFILE}").\n${GET_OLLAMA}`;
}
