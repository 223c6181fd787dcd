import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { openAgentMemory } from '@lunar/agent';
import type { OllamaClient } from '@lunar/ollama-stream';
import envPaths from 'env-paths';
import { CliError } from './cli-error.js';

/** The embedding model memory uses (what `openAgentMemory` defaults to). */
export const EMBED_MODEL = 'nomic-embed-text';

/** `<the user's data directory>/memory.db`, e.g. `~/.local/share/lunar/memory.db` on Linux. */
export function defaultMemoryPath(): string {
  return path.join(envPaths('lunar', { suffix: '' }).data, 'memory.db');
}

/** True when the Ollama server has `model` (a name without a tag matches `:latest`). */
export async function hasModel(client: OllamaClient, model: string, signal?: AbortSignal): Promise<boolean> {
  const { models } = await client.tags(signal ? { signal } : {});
  const wanted = model.includes(':') ? [model] : [model, `${model}:latest`];
  return models.some((entry) => wanted.includes(entry.name) || wanted.includes(entry.model));
}

/** Opens the memory file (creating its directory), with embeddings from the backend's Ollama. */
export async function openMemoryFile(file: string, client: OllamaClient) {
  const resolved = path.resolve(file);
  try {
    await mkdir(path.dirname(resolved), { recursive: true });
    return {
      path: resolved,
      memory: openAgentMemory({ location: resolved, client, embedModel: EMBED_MODEL }),
    };
  } catch (error) {
    throw new CliError(
      'LUNAR_MEMORY_OPEN',
      `Cannot open the memory file ${resolved}: ${(error as Error).message}`,
      { cause: error },
    );
  }
}
