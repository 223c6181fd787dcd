import { stat } from 'node:fs/promises';
import path from 'node:path';
import {
  type Agent,
  calculatorTool,
  createAgent,
  currentTimeTool,
  memoryTools,
  type Optimizations,
  readFileTool,
} from '@lunar/agent';
import type { AnyTool } from '@lunar/tools-parallel';
import type { Backend } from './backend.js';
import { CliError } from './cli-error.js';
import { EMBED_MODEL, hasModel, openMemoryFile } from './memory-file.js';

export const DEFAULT_MODEL = 'llama3.2:3b';

export const DEFAULT_SYSTEM = [
  'You are Lunar, a helpful assistant running on a local model. Answer briefly and plainly.',
  'Call a tool when a question needs the current time, arithmetic, long-term memory or a file,',
  'and use every tool result in your answer.',
].join(' ');

/** Every cache off, for `--no-cache`. */
export const NO_CACHE: Partial<Optimizations> = Object.freeze({
  llmCache: false,
  memoryCache: false,
  embeddingCache: false,
  toolCache: false,
});

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
  /** Whether memory (and the remember / recall tools) is on. */
  memory: boolean;
  close(): Promise<void>;
}

/** The directory of `--allow-dir`, resolved; a missing one is an error now, not at the first read. */
export async function checkAllowDir(dir: string): Promise<string> {
  const resolved = path.resolve(dir);
  const info = await stat(resolved).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new CliError('LUNAR_BAD_ALLOW_DIR', `--allow-dir: ${resolved} is not a directory.`);
  }
  return resolved;
}

/**
 * The chat agent: the built-in tools (current time, arithmetic, remember / recall, and read_file
 * under `--allow-dir`), the memory file, temperature and caches as asked.
 */
export async function openChatAgent(
  settings: ChatSettings,
  backend: Backend,
  notice: (line: string) => void,
  signal: AbortSignal,
): Promise<ChatAgent> {
  const tools: AnyTool[] = [currentTimeTool(), calculatorTool()];
  let opened: Awaited<ReturnType<typeof openMemoryFile>> | undefined;
  if (await hasModel(backend.client, EMBED_MODEL, signal)) {
    opened = await openMemoryFile(settings.memoryFile, backend.client);
    tools.push(...memoryTools(opened.memory.store));
  } else {
    notice(
      `Memory is off: the Ollama at ${backend.url} has no ${EMBED_MODEL}. Run \`ollama pull ${EMBED_MODEL}\` to turn it on.`,
    );
  }
  if (settings.allowDir !== undefined) tools.push(readFileTool({ allowDir: settings.allowDir }));
  const agent = createAgent({
    model: settings.model,
    client: backend.client,
    system: settings.system,
    tools,
    options: { temperature: settings.temperature },
    ...(opened ? { memory: opened.memory } : {}),
    ...(settings.cache ? {} : { optimizations: NO_CACHE }),
  });
  return {
    agent,
    memory: opened !== undefined,
    async close() {
      await agent.close();
      await opened?.memory.store.close();
    },
  };
}

/** Loads the model before the first question; a model the server lacks is an error the user can fix. */
export async function warmModel(agent: Agent, backend: Backend, signal: AbortSignal): Promise<void> {
  try {
    await agent.warmup({ signal });
  } catch (error) {
    signal.throwIfAborted();
    if ((error as { code?: unknown }).code === 'OLLAMA_MODEL_NOT_FOUND') {
      throw new CliError(
        'LUNAR_MODEL_NOT_FOUND',
        `The model ${agent.model} is not on the Ollama server at ${backend.url}. Run \`ollama pull ${agent.model}\`, or choose another with --model.`,
        { cause: error },
      );
    }
    throw new CliError(
      'LUNAR_WARMUP_FAILED',
      `Could not load ${agent.model} at ${backend.url}: ${(error as Error).message}`,
      { cause: error },
    );
  }
}
