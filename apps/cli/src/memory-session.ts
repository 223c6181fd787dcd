import type { MemoryStore } from '@lunar/agent';
import { connectBackend } from './backend.js';
import { CliError } from './cli-error.js';
import { interruptible } from './interruptible.js';
import { defaultMemoryPath, EMBED_MODEL, hasModel, openMemoryFile } from './memory-file.js';
import type { Terminal } from './terminal.js';
import { printable } from './terminal-text.js';

/** Flags every memory command takes. */
export const MEMORY_OPTIONS = {
  memory: { type: 'string' },
  host: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const MEMORY_FLAGS_USAGE = `  --memory <file>   memory database (default: <data dir>/memory.db)
  --host <url>      Ollama for embeddings (default: OLLAMA_HOST, else http://127.0.0.1:11434;
                    with neither set and no Ollama there, the built-in simulator)
  --json            print the result as JSON
  -h, --help        show this help`;

/**
 * Runs `body` on the memory store, with embeddings from Ollama (the backend rule of `lunar chat`),
 * and closes everything after it. Ctrl-C aborts the embedding request.
 */
export async function withMemory(
  flags: { memory?: string | undefined; host?: string | undefined },
  terminal: Terminal,
  body: (store: MemoryStore, signal: AbortSignal) => Promise<number>,
): Promise<number> {
  const notice = (line: string) => terminal.stderr.write(`${terminal.style.dim(printable(line))}\n`);
  return interruptible(notice, async ({ signal, onClose }) => {
    const backend = await connectBackend({ host: flags.host, env: terminal.env, notice, signal });
    onClose(() => backend.close());
    if (!(await hasModel(backend.client, EMBED_MODEL, signal))) {
      throw new CliError(
        'LUNAR_NO_EMBED_MODEL',
        `Memory needs the embedding model ${EMBED_MODEL}, which the Ollama at ${backend.url} does not have. Run \`ollama pull ${EMBED_MODEL}\`.`,
      );
    }
    const { memory } = await openMemoryFile(flags.memory ?? defaultMemoryPath(), backend.client);
    onClose(() => memory.store.close());
    return await body(memory.store, signal);
  });
}
