import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_EMBED_MODEL, openAgentMemory } from '@lunar/agent';
import type { OllamaClient } from '@lunar/ollama-stream';
import envPaths from 'env-paths';
import { CliError } from './cli-error.js';

/** `<the user's data directory>/memory.db`, e.g. `~/.local/share/lunar/memory.db` on Linux. */
export function defaultMemoryPath(): string {
  return path.join(envPaths('lunar', { suffix: '' }).data, 'memory.db');
}

/** Opens the memory file (creating its directory), with embeddings from the engine's Ollama. */
export async function openMemoryFile(file: string, client: OllamaClient) {
  const resolved = path.resolve(file);
  try {
    await mkdir(path.dirname(resolved), { recursive: true });
    return {
      path: resolved,
      memory: openAgentMemory({ location: resolved, client, embedModel: DEFAULT_EMBED_MODEL }),
    };
  } catch (error) {
    throw new CliError(
      'CLI_MEMORY_OPEN',
      `Cannot open the memory file ${resolved}: ${(error as Error).message}`,
      { cause: error },
    );
  }
}
