import { stat } from 'node:fs/promises';
import path from 'node:path';
import {
  type Agent,
  CACHES_OFF,
  createAgent,
  DEFAULT_EMBED_MODEL,
  defaultTools,
  type Engine,
  isAgentError,
  pullCommandFor,
} from '@lunar/agent';
import { CliError } from './cli-error.js';
import { openMemoryFile } from './memory-file.js';

export interface ChatSettings {
  model: string;
  system: string;
  temperature: number;
  memoryFile: string;
  allowDir: string | undefined;
  cache: boolean;
}

export interface ChatAgent {
  agent: Agent;
  /** Why memory (and the remember / recall tools) is off; undefined when it is on. */
  memoryOff: string | undefined;
  close(): Promise<void>;
}

/** The directory of `--allow-dir`, resolved; a missing one is an error now, not at the first read. */
export async function checkAllowDir(dir: string): Promise<string> {
  const resolved = path.resolve(dir);
  const info = await stat(resolved).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new CliError('CLI_BAD_ALLOW_DIR', `--allow-dir: ${resolved} is not a directory.`);
  }
  return resolved;
}

/**
 * The chat agent: Lunar's default tools (memory ones when the engine has the embedding model,
 * read_file under `--allow-dir`), the memory file, temperature and caches as asked.
 */
export async function openChatAgent(
  settings: ChatSettings,
  engine: Engine,
  signal: AbortSignal,
): Promise<ChatAgent> {
  const url = engine.hosts.join(', ');
  const opened = (await engine.hasModel(DEFAULT_EMBED_MODEL, { signal }))
    ? await openMemoryFile(settings.memoryFile, engine.client)
    : undefined;
  const agent = createAgent({
    model: settings.model,
    client: engine.client,
    system: settings.system,
    tools: defaultTools({
      ...(opened ? { memory: opened.memory } : {}),
      ...(settings.allowDir === undefined ? {} : { allowDir: settings.allowDir }),
    }),
    options: { temperature: settings.temperature },
    ...(opened ? { memory: opened.memory } : {}),
    ...(settings.cache ? {} : { optimizations: CACHES_OFF }),
  });
  return {
    agent,
    memoryOff: opened
      ? undefined
      : `Memory is off: the Ollama at ${url} has no ${DEFAULT_EMBED_MODEL}. Run \`${pullCommandFor(DEFAULT_EMBED_MODEL)}\` to turn it on.`,
    async close() {
      await agent.close();
      await opened?.memory.store.close();
    },
  };
}

/** Loads the model before the first question; a model the server lacks is an error the user can fix. */
export async function warmModel(agent: Agent, engine: Engine, signal: AbortSignal): Promise<void> {
  const url = engine.hosts.join(', ');
  try {
    await agent.warmup({ signal });
  } catch (error) {
    signal.throwIfAborted();
    if (isAgentError(error, 'AGENT_MODEL_NOT_FOUND')) {
      throw new CliError(
        'CLI_MODEL_NOT_FOUND',
        `The model ${error.model ?? agent.model} is not on the Ollama server at ${url}. Run \`${error.pullCommand ?? pullCommandFor(agent.model)}\`, or choose another with --model.`,
        { cause: error },
      );
    }
    throw new CliError(
      'CLI_WARMUP_FAILED',
      `Could not load ${agent.model} at ${url}: ${(error as Error).message}`,
      { cause: error },
    );
  }
}
